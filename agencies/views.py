"""Public catalogue pages: list with search and filters, service detail, and the
service standard (*standar pelayanan*, UU 25/2009 Pasal 21)."""

import contextlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ptsp.pagecache import public_page, stamp_current

from .filters import ServiceFilter
from .models import Agency, Office, Service, ServiceStep
from .selectors import service_get_public, service_qs_public


@dataclass
class StepBlock:
    """Steps shown under one number: one step, or several run in parallel."""

    number: int
    steps: list[ServiceStep]

    @property
    def parallel(self) -> bool:
        return len(self.steps) > 1


def step_blocks(steps: list[ServiceStep]) -> list[StepBlock]:
    """Group consecutive steps of the same ``parallel_group`` into one block."""
    blocks: list[StepBlock] = []
    for step in steps:
        last = blocks[-1] if blocks else None
        if (
            last is not None
            and step.parallel_group
            and last.steps[-1].parallel_group == step.parallel_group
        ):
            last.steps.append(step)
        else:
            blocks.append(StepBlock(len(blocks) + 1, [step]))
    return blocks


def involved_agencies(service: Service, steps: list[ServiceStep]) -> list[Agency]:
    """The responsible agency first, then every other agency with a step."""
    seen = {service.agency_id: service.agency}
    for step in steps:
        if step.agency_id and step.agency_id not in seen:
            seen[step.agency_id] = step.agency
    return list(seen.values())


#: Filters a catalogue page may be cached for: short codes, and an empty search
#: (the form sends ``q=``). A search text is rendered each time: the set of
#: texts has no bound, the cache's memory has one.
CATALOGUE_PARAMS = {
    "q": r"(?!)",
    "agency": r"[A-Za-z0-9_-]{1,32}",
    "category": r"[a-z_]{1,32}",
    "applicant_type": r"[a-z_]{1,32}",
}


#: Fields a catalogue card shows: the versions' JSON fields stay in the database.
CARD_FIELDS = (
    "code",
    "category",
    "applicant_type",
    "agency__code",
    "agency__short_name",
    "agency__working_calendar",  # read on load (sla.signals)
    "current_version__name",
    "current_version__name_en",
    "current_version__sla_value",
    "current_version__sla_unit",
    "current_version__sla_provisional",
    "current_version__fee_type",
    "current_version__fee_amount",
)


def _cards_render() -> dict[int, str]:
    services = (
        service_qs_public()
        .select_related(None)
        .select_related("agency", "current_version")
        .only(*CARD_FIELDS)
    )
    template = "agencies/_service_card.html"
    return {
        service.pk: render_to_string(template, {"service": service})
        for service in services
    }


def catalogue_cards(*, stamp: str | None) -> dict[int, str]:
    """``{service pk: card HTML}`` of every public service in the active
    language, in catalogue order, cached per language under the catalogue
    ``stamp`` (read before any catalogue data, see ``ptsp.pagecache``). Rendered
    each time when ``stamp`` is ``None`` (the cache is down) or
    ``PAGE_CACHE_SECONDS`` is 0. A filtered or searched list joins the cards of
    its services: 46 cards take tens of milliseconds to render, a cache read
    well under one."""
    if stamp is None or not settings.PAGE_CACHE_SECONDS:
        return _cards_render()
    cache = caches[settings.PAGE_CACHE_ALIAS]
    key = f"catalogue:cards:{get_language()}:{stamp}"
    try:
        cards = cache.get(key)
    except Exception:
        return _cards_render()  # went down since the stamp was read
    if cards is None:
        cards = _cards_render()
        with contextlib.suppress(Exception):
            cache.set(key, cards, settings.PAGE_CACHE_SECONDS)
    return cards


#: Filters with fixed choices, shown after the agency.
SELECTS = ("category", "applicant_type")


@public_page(params=CATALOGUE_PARAMS)
def service_list(request: HttpRequest) -> HttpResponse:
    stamp = stamp_current("catalogue")
    filterset = ServiceFilter(request.GET or None, queryset=service_qs_public())
    invalid = filterset.is_bound and not filterset.is_valid()
    cards = catalogue_cards(stamp=stamp)
    if invalid:
        found = []
    elif filterset.is_bound:
        found = list(filterset.qs.values_list("pk", flat=True))
    else:
        found = list(cards)
    if any(pk not in cards for pk in found):
        cards = _cards_render()  # published after the cards were cached
    # Our own cards, rendered with autoescaping.
    html = mark_safe("".join(cards[pk] for pk in found))  # noqa: S308
    # One query for the agency list and the agency filter's options (the
    # field's own choices would count, then list, the agencies again).
    agencies = list(Agency.objects.filter(is_active=True).order_by("code"))
    form = filterset.form
    selects = [
        (
            form["agency"],
            [
                ("", form.fields["agency"].empty_label),
                *((agency.code, str(agency)) for agency in agencies),
            ],
        ),
        *((form[name], form.fields[name].choices) for name in SELECTS),
    ]
    response = render(
        request,
        "agencies/service_list.html",
        {
            "filter": filterset,
            "cards": html,
            "found": len(found),
            "total": len(cards),
            "agencies": agencies,
            "selects": selects,
        },
    )
    if invalid:
        # An unknown agency code or category: not worth a cache entry.
        patch_cache_control(response, private=True)
    return response


def _detail_context(code: str) -> dict:
    service = service_get_public(code=code)
    if service is None:
        raise Http404
    version = service.current_version
    steps = list(version.steps.all())
    return {
        "service": service,
        "version": version,
        "blocks": step_blocks(steps),
        "agencies": involved_agencies(service, steps),
    }


@public_page()
def service_detail(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "agencies/service_detail.html", _detail_context(code))


@public_page()
def service_standard(request: HttpRequest, code: str) -> HttpResponse:
    context = _detail_context(code)
    context["offices"] = (
        Office.objects.filter(is_active=True, kind="mpp")
        .select_related("service_calendar")
        .prefetch_related("service_calendar__weekly_intervals")
    )
    return render(request, "agencies/service_standard.html", context)
