"""Fee rules from the catalogue and the PBG levy formula (PP 16/2021:
LLt * ILo * SHST * It * Ibg, rounded half up to whole rupiah)."""

from decimal import Decimal

import pytest

from agencies.catalogue_loader import read_catalogue
from agencies.services import catalogue_apply
from payments.choices import FeeRuleKind, RuleStatus
from payments.fees import assess, rule_defaults
from payments.models import FeeRule
from payments.selectors import fee_rule_for
from payments.services import fee_rules_sync
from ptsp.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    catalogue_apply(plan=read_catalogue(), reason="test", holiday_years=())


def test_catalogue_services_get_the_rule_their_fee_entry_says(catalogue):
    assert fee_rules_sync() == 46
    rules = dict(FeeRule.objects.values_list("service__code", "kind"))
    assert rules["pbg-rts-10jam"] == FeeRuleKind.PBG
    assert rules["pbg-umum"] == FeeRuleKind.PBG
    assert rules["ktp-el"] == FeeRuleKind.FREE
    # Taxes, leases and contributions are billed elsewhere: shown, not billed.
    assert rules["izin-reklame"] == FeeRuleKind.NOT_BILLED
    assert rules["sewa-bmd"] == FeeRuleKind.NOT_BILLED
    assert rules["bpjstk-daftar-bpu"] == FeeRuleKind.NOT_BILLED
    rts = FeeRule.objects.get(service__code="pbg-rts-10jam")
    assert rts.status == RuleStatus.ASSUMED
    assert [e["code"] for e in rts.exemptions] == ["mbr"]
    assert FeeRule.objects.get(service__code="pbg-umum").exemptions == []
    # Running again creates nothing and keeps an admin's edits.
    rts.unit_price_idr_per_m2 = 6_000_000
    rts.save()
    assert fee_rules_sync() == 0
    rts.refresh_from_db()
    assert rts.unit_price_idr_per_m2 == 6_000_000


def test_an_unsaved_rule_is_derived_for_display(catalogue):
    from agencies.models import Service

    rule = fee_rule_for(Service.objects.get(code="pbg-rts-10jam"))
    assert rule.pk is None
    assert rule.kind == FeeRuleKind.PBG
    assert rule.billable


def _pbg_rule(**kw):
    values = {
        "kind": FeeRuleKind.PBG,
        "unit_price_idr_per_m2": 5_000_000,
        "locality_index": Decimal("0.005"),
        "built_index": Decimal("1"),
        "integrated_indices": {"residential": "0.15", "business": "0.70"},
        "exemptions": [{"code": "mbr", "text": "MBR", "text_en": ""}],
    }
    return FeeRule(**{**values, **kw})


@pytest.mark.parametrize(
    ("area", "function", "expected"),
    [
        ("72", "residential", 270_000),  # 72 * 0.005 * 5e6 * 0.15
        ("90", "residential", 337_500),
        ("120.5", "business", 2_108_750),
        ("0.01", "residential", 38),  # 37.5 rounds half up
    ],
)
def test_pbg_levy(area, function, expected):
    result = assess(_pbg_rule(), floor_area_m2=area, building_function=function)
    assert result.amount == expected
    assert result.details["computed_amount"] == expected
    assert result.details["floor_area_m2"] == str(Decimal(area))


def test_mbr_households_pay_nothing():
    result = assess(
        _pbg_rule(),
        floor_area_m2="72",
        building_function="residential",
        exemption="mbr",
    )
    assert result.amount == 0
    assert result.details["computed_amount"] == 270_000


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"floor_area_m2": None, "building_function": "residential"}, "floor_area_m2"),
        ({"floor_area_m2": "0", "building_function": "residential"}, "floor_area_m2"),
        ({"floor_area_m2": "-5", "building_function": "residential"}, "floor_area_m2"),
        ({"floor_area_m2": "abc", "building_function": "residential"}, "floor_area_m2"),
        (
            {"floor_area_m2": "72", "building_function": "religious"},
            "building_function",
        ),
        (
            {
                "floor_area_m2": "72",
                "building_function": "residential",
                "exemption": "x",
            },
            "exemption",
        ),
    ],
)
def test_bad_inputs_name_the_field(kwargs, field):
    with pytest.raises(ApplicationError) as error:
        assess(_pbg_rule(), **kwargs)
    assert error.value.extra["field"] == field


def test_free_and_not_billed_rules_bill_nothing():
    for kind in (FeeRuleKind.FREE, FeeRuleKind.NOT_BILLED):
        with pytest.raises(ApplicationError):
            assess(FeeRule(kind=kind))


def test_fixed_rule():
    assert assess(FeeRule(kind=FeeRuleKind.FIXED, fixed_amount=50_000)).amount == 50_000


def test_rule_defaults_for_a_fixed_levy(pbg):
    from agencies.models import ServiceVersion

    version = ServiceVersion(service=pbg, fee_type="retribusi", fee_amount=25_000)
    assert rule_defaults(version)["kind"] == FeeRuleKind.FIXED
