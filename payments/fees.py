"""Fee rules from the catalogue and the levy computation. Pure where it can be.

``rule_defaults(version)`` derives a service's rule from its catalogue
``fee`` entry (``agencies.ServiceVersion.fee_*``): ``free`` → free, a
``retribusi`` with an amount → fixed, a ``retribusi`` computed per case for a
building approval (service codes starting ``pbg``) → the PP 16/2021 formula
with assumed parameters, ``tax``/``lease``/``contribution`` → shown, not
billed (other systems bill them). ``assess(rule, ...)`` computes one amount.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from agencies.choices import FeeType
from ptsp.exceptions import ApplicationError

from .choices import BuildingFunction, FeeRuleKind

#: Assumed PBG parameters (no Kota Tangerang tariff figures in the catalogue):
#: ILo at the 0.5 % ceiling of PP 16/2021, an SHST in the range published by
#: comparable cities, and the function indices of PP 16/2021's annex. Shown as
#: assumed until an administrator confirms or replaces them.
ASSUMED_PBG = {
    "unit_price_idr_per_m2": 5_000_000,
    "locality_index": Decimal("0.005"),
    "built_index": Decimal("1"),
    "integrated_indices": {
        BuildingFunction.RESIDENTIAL.value: "0.15",
        BuildingFunction.RELIGIOUS.value: "0",
        BuildingFunction.BUSINESS.value: "0.70",
        BuildingFunction.SOCIAL_CULTURAL.value: "0.30",
        BuildingFunction.SPECIAL.value: "1.00",
        BuildingFunction.MIXED.value: "0.60",
    },
    "basis": "PP 16/2021 (Lampiran: retribusi PBG = LLt * ILo * SHST * It * Ibg); "
    "parameter Kota Tangerang diasumsikan, belum dikonfirmasi.",
}


def _slug(text: str) -> str:
    lowered = text.lower()
    if "mbr" in lowered or "berpenghasilan rendah" in lowered:
        return "mbr"
    return "exemption"


def rule_defaults(version) -> dict:
    """Field values of a ``FeeRule`` for the service of ``version`` (an
    ``agencies.ServiceVersion``) from its catalogue fee entry."""
    exemptions = []
    for i, item in enumerate(version.fee_exemptions or []):
        code = _slug(item.get("text", ""))
        exemptions.append(
            {
                "code": code if code == "mbr" else f"{code}-{i + 1}",
                "text": item.get("text", ""),
                "text_en": item.get("text_en", ""),
            }
        )
    values = {
        "description": version.fee_rule,
        "description_en": version.fee_rule_en,
        "exemptions": exemptions,
    }
    if version.fee_type == FeeType.FREE or (
        version.fee_type == FeeType.RETRIBUSI and version.fee_amount == 0
    ):
        return {**values, "kind": FeeRuleKind.FREE, "exemptions": []}
    if version.fee_type != FeeType.RETRIBUSI:
        return {**values, "kind": FeeRuleKind.NOT_BILLED}
    if version.fee_amount:
        return {
            **values,
            "kind": FeeRuleKind.FIXED,
            "fixed_amount": version.fee_amount,
            "basis": "catalogue",
        }
    if version.service.code.startswith("pbg"):
        return {
            **values,
            "kind": FeeRuleKind.PBG,
            **{k: v for k, v in ASSUMED_PBG.items() if k != "integrated_indices"},
            "integrated_indices": dict(ASSUMED_PBG["integrated_indices"]),
        }
    # A levy computed per case by a rule we do not model: shown, not billed.
    return {**values, "kind": FeeRuleKind.NOT_BILLED}


@dataclass(frozen=True)
class Assessment:
    """One computed levy: ``amount`` in whole IDR (0 when exempt) and the
    inputs and parameters used (JSON-serialisable, frozen on the bill)."""

    amount: int
    exemption: str = ""
    details: dict = field(default_factory=dict)


def _decimal(value, name: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ApplicationError(
            _("Enter a valid number."), extra={"field": name}
        ) from None
    if not number.is_finite() or number < 0:
        raise ApplicationError(_("Enter a valid number."), extra={"field": name})
    return number


def assess(
    rule,
    *,
    floor_area_m2=None,
    building_function: str = "",
    exemption: str = "",
) -> Assessment:
    """The levy of ``rule`` (a ``FeeRule``) for one application.

    ``pbg``: needs ``floor_area_m2`` (m², > 0) and ``building_function`` (a key
    of the rule's ``integrated_indices``); amount = LLt * ILo * SHST * It * Ibg,
    rounded half up to whole IDR. ``fixed``: the fixed amount. ``exemption``
    (a code of ``rule.exemptions``, e.g. ``mbr``) makes it 0. Raises
    ``ApplicationError`` (with ``extra["field"]``) for missing or bad inputs
    and for a rule that bills nothing (free, not billed).
    """
    if not rule.billable:
        raise ApplicationError(_("This service is not billed through the portal."))
    codes = {e["code"] for e in rule.exemptions}
    if exemption and exemption not in codes:
        raise ApplicationError(
            _("This exemption does not apply to this service."),
            extra={"field": "exemption"},
        )
    details: dict = {"rule_status": rule.status, "kind": rule.kind}
    if rule.kind == FeeRuleKind.FIXED:
        amount = Decimal(rule.fixed_amount)
    else:
        if floor_area_m2 in (None, ""):
            raise ApplicationError(
                _("Enter the total floor area."), extra={"field": "floor_area_m2"}
            )
        area = _decimal(floor_area_m2, "floor_area_m2")
        if area <= 0:
            raise ApplicationError(
                _("The floor area must be more than 0 m²."),
                extra={"field": "floor_area_m2"},
            )
        index = rule.integrated_indices.get(building_function)
        if index is None:
            raise ApplicationError(
                _("Choose the building function."),
                extra={"field": "building_function"},
            )
        it = _decimal(index, "building_function")
        amount = (
            area
            * Decimal(rule.locality_index)
            * Decimal(rule.unit_price_idr_per_m2)
            * it
            * Decimal(rule.built_index)
        )
        details |= {
            "formula": "LLt \u00d7 ILo \u00d7 SHST \u00d7 It \u00d7 Ibg",
            "floor_area_m2": str(area),
            "building_function": building_function,
            "locality_index": str(rule.locality_index),
            "unit_price_idr_per_m2": rule.unit_price_idr_per_m2,
            "integrated_index": str(it),
            "built_index": str(rule.built_index),
        }
    rounded = int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    details["computed_amount"] = rounded
    if exemption:
        details["exemption"] = exemption
        return Assessment(amount=0, exemption=exemption, details=details)
    return Assessment(amount=rounded, details=details)
