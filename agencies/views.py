"""Public catalogue pages: list with search and filters, service detail, and the
service standard (*standar pelayanan*, UU 25/2009 Pasal 21)."""

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

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


def service_list(request: HttpRequest) -> HttpResponse:
    filterset = ServiceFilter(request.GET or None, queryset=service_qs_public())
    services = filterset.qs if filterset.is_bound else service_qs_public()
    if filterset.is_bound and not filterset.is_valid():
        services = service_qs_public().none()
    services = list(services)
    return render(
        request,
        "agencies/service_list.html",
        {
            "filter": filterset,
            "services": services,
            "total": service_qs_public().count(),
            "agencies": Agency.objects.filter(is_active=True).order_by("code"),
        },
    )


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


def service_detail(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "agencies/service_detail.html", _detail_context(code))


def service_standard(request: HttpRequest, code: str) -> HttpResponse:
    context = _detail_context(code)
    context["offices"] = (
        Office.objects.filter(is_active=True, kind="mpp")
        .select_related("service_calendar")
        .prefetch_related("service_calendar__weekly_intervals")
    )
    return render(request, "agencies/service_standard.html", context)
