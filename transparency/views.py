"""HTML views: the public dashboard (city and agency, CSV), the survey, and
complaints (citizen and agency). Parse, authorize, call a service, render."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import user_can
from agencies.models import Agency
from ptsp.exceptions import ApplicationError
from ptsp.pagecache import public_page

from . import services
from .charts import sla_chart, trend_chart
from .choices import ComplaintSubject
from .forms import AnswerForm, ComplaintForm, SurveyForm
from .ikm import ELEMENTS, GRADES, index_from_sums
from .selectors import (
    Semester,
    complaints_inbox,
    complaints_visible_to,
    csv_rows,
    dashboard_figures,
    invitations_of,
    monthly_trend,
    officer_workload,
    refreshed_at,
    survey_stats,
)


def _semester(request) -> Semester:
    current = Semester.current()
    return Semester.parse(request.GET.get("semester"), current)


def _semesters(selected: Semester) -> list[Semester]:
    out, s = [], Semester.current()
    for _i in range(4):
        out.append(s)
        s = s.previous()
    if selected not in out:
        out.append(selected)
    return out


def _dashboard(request, agency: Agency | None) -> HttpResponse:
    semester = _semester(request)
    headline, lines = dashboard_figures(agency=agency, semester=semester)
    trend = monthly_trend(agency=agency)
    points = [(f"{m.month:%m/%y}", m.received, m.finished) for m in trend]
    context = {
        "agency": agency,
        "semester": semester,
        "semesters": _semesters(semester),
        "headline": headline,
        "lines": lines,
        "trend": trend,
        "trend_chart": trend_chart(points),
        "sla_chart": sla_chart(lines),
        "refreshed_at": refreshed_at(),
        "grades": GRADES,
        "ikm_elements": [
            (name, label, mean)
            for (name, label), mean in zip(
                ELEMENTS, headline.ikm.element_means, strict=True
            )
        ]
        if headline and headline.ikm
        else [],
        "workload": None,
    }
    if agency is not None and user_can(
        request.user, "transparency.view_agency", agency
    ):
        context["workload"] = list(officer_workload(agency=agency))
    return render(request, "transparency/dashboard.html", context)


#: The semester picker's values (``2026-1``); figures change with a refresh.
DASHBOARD_CACHE = {
    "params": {"semester": r"20[0-9]{2}-[12]"},
    "stamps": ("catalogue", "transparency"),
}


@public_page(**DASHBOARD_CACHE)
def dashboard(request: HttpRequest) -> HttpResponse:
    """City-wide figures, one line per agency. Public."""
    return _dashboard(request, None)


@public_page(**DASHBOARD_CACHE)
def agency_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """One agency's figures, one line per service; the agency's supervisors
    and heads also see the workload per officer. Public."""
    agency = get_object_or_404(Agency, code=code)
    return _dashboard(request, agency)


def _agency_from_query(request) -> Agency | None:
    """The agency of ``?instansi=CODE`` (404 when unknown), or ``None``."""
    code = request.GET.get("instansi")
    if not code:
        return None
    if "\x00" in code:
        raise Http404  # PostgreSQL refuses NUL in a text literal (a 500)
    return get_object_or_404(Agency, code=code)


def dashboard_csv(request: HttpRequest) -> HttpResponse:
    """Every monthly and 12-month row (of one agency with ``?instansi=CODE``)
    as CSV (UTF-8, comma-separated). Public."""
    agency = _agency_from_query(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"transparansi-{agency.code if agency else 'kota'}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "period",
            "agency",
            "service",
            "received",
            "finished",
            "rejected",
            "finished_with_deadline",
            "finished_within_sla",
            "within_sla_percent",
            "median_days",
        ]
    )
    for row in csv_rows(agency=agency):
        share = row.sla_share
        writer.writerow(
            [
                f"{row.month:%Y-%m}" if row.month else "last-12-months",
                row.agency.code if row.agency_id else "",
                row.service.code if row.service_id else "",
                row.received,
                row.finished,
                row.rejected,
                row.with_due,
                row.within_sla,
                "" if share is None else f"{100 * share:.1f}",
                "" if row.median_days is None else f"{row.median_days:.1f}",
            ]
        )
    return response


def ikm_csv(request: HttpRequest) -> HttpResponse:
    """The IKM of every semester per city, agency and service (of one agency
    with ``?instansi=CODE``): respondents, the nine element means (NRR), the
    index (25-100) and its grade. Public."""
    agency = _agency_from_query(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"ikm-{agency.code if agency else 'kota'}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    names = [f"nrr_{name}" for name, _label in ELEMENTS]
    writer.writerow(
        ["semester", "agency", "service", "respondents", *names, "ikm", "grade"]
    )
    for row in survey_stats(agency=agency):
        index = index_from_sums(row.respondents, row.sums)
        if index is None:
            continue
        writer.writerow(
            [
                f"{row.year}-{row.half}",
                row.agency.code if row.agency_id else "",
                row.service.code if row.service_id else "",
                index.respondents,
                *index.element_means,
                index.value,
                index.grade,
            ]
        )
    return response


# --- Survey --------------------------------------------------------------------------


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    """The citizen's survey invitations, open ones first."""
    invitations = invitations_of(request.user).order_by("-answered_at", "-created_at")
    pending = [i for i in invitations if i.answered_at is None]
    done = [i for i in invitations if i.answered_at is not None]
    return render(
        request, "transparency/survey_list.html", {"pending": pending, "done": done}
    )


@login_required
def survey(request: HttpRequest, uuid) -> HttpResponse:
    invitation = get_object_or_404(invitations_of(request.user), uuid=uuid)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and invitation.answered_at is None and form.is_valid():
        answers = {name: form.cleaned_data[name] for name, _label in ELEMENTS}
        try:
            services.survey_submit(
                invitation=invitation,
                user=request.user,
                answers=answers,
                suggestion=form.cleaned_data["suggestion"],
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you for filling in the survey."))
        return redirect("transparency:survey", uuid=invitation.uuid)
    return render(
        request, "transparency/survey.html", {"invitation": invitation, "form": form}
    )


# --- Complaints ----------------------------------------------------------------------


@login_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    complaints = complaints_visible_to(request.user).filter(citizen=request.user)
    return render(
        request, "transparency/complaint_list.html", {"complaints": complaints}
    )


@login_required
def complaint_new(request: HttpRequest) -> HttpResponse:
    initial = {}
    if kind := request.GET.get("tentang"):
        initial["kind"] = kind
    form = ComplaintForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind = data["kind"]
        try:
            complaint = services.complaint_file(
                citizen=request.user,
                kind=kind,
                title=data["title"],
                description=data["description"],
                application=data["application"]
                if kind == ComplaintSubject.APPLICATION
                else None,
                office=data["office"] if kind == ComplaintSubject.OFFICE else None,
                officer=data["officer"] if kind == ComplaintSubject.OFFICER else None,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Your complaint %(reference)s was sent to %(agency)s.")
                % {"reference": complaint.reference, "agency": complaint.agency.name},
            )
            return redirect("transparency:complaint_detail", uuid=complaint.uuid)
    return render(request, "transparency/complaint_form.html", {"form": form})


def _visible_complaint(request, uuid):
    return get_object_or_404(complaints_visible_to(request.user), uuid=uuid)


@login_required
def complaint_detail(request: HttpRequest, uuid) -> HttpResponse:
    complaint = _visible_complaint(request, uuid)
    can_answer = user_can(request.user, "complaint.answer", complaint)
    return render(
        request,
        "transparency/complaint_detail.html",
        {
            "complaint": complaint,
            "can_answer": can_answer,
            "can_forward": user_can(request.user, "complaint.forward", complaint),
            "answer_form": AnswerForm() if can_answer else None,
        },
    )


@login_required
def complaint_inbox(request: HttpRequest) -> HttpResponse:
    """Complaints routed to the officer's agencies, open ones first."""
    if not user_can(request.user, "application.work"):
        raise PermissionDenied
    complaints = complaints_inbox(request.user).order_by("status", "due_at")
    return render(
        request, "transparency/complaint_inbox.html", {"complaints": complaints}
    )


@login_required
@require_POST
def complaint_answer(request: HttpRequest, uuid) -> HttpResponse:
    complaint = _visible_complaint(request, uuid)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please write the answer."))
        return redirect("transparency:complaint_detail", uuid=uuid)
    try:
        services.complaint_answer(
            complaint=complaint, user=request.user, answer=form.cleaned_data["answer"]
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The answer was sent to the citizen."))
    return redirect("transparency:complaint_detail", uuid=uuid)


@login_required
@require_POST
def complaint_forward(request: HttpRequest, uuid) -> HttpResponse:
    complaint = _visible_complaint(request, uuid)
    services.complaint_forward(complaint=complaint, user=request.user)
    messages.success(request, _("The complaint is being handed over to SP4N-LAPOR!."))
    return redirect("transparency:complaint_detail", uuid=uuid)
