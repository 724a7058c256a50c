"""HTML pages of the auditor workspace: the trail with filters, timelines, the
CSV export and the integrity status. Read-only except "verify now"."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import ensure_can
from permits.models import Application

from . import services
from .forms import TrailFilterForm, VerifyForm
from .selectors import BadCursor, integrity_status, trail_page


def _label_objects(entries) -> None:
    """Set ``object_label`` on entries about an application to its reference
    (*nomor permohonan*), one query for the page; other entries keep
    ``type:id``."""
    from permits.models import Application

    ids = {
        e.object_id
        for e in entries
        if e.object_type == "permits.application" and e.object_id.isdigit()
    }
    references = dict(
        Application.objects.filter(pk__in=ids)
        .exclude(reference=None)
        .values_list("pk", "reference")
    )
    for e in entries:
        reference = ""
        if e.object_type == "permits.application" and e.object_id.isdigit():
            reference = references.get(int(e.object_id), "")
        e.object_label = reference or f"{e.object_type}:{e.object_id}"


def _trail(request: HttpRequest, *, title: str, preset: dict, ascending: bool):
    ensure_can(request.user, "audit_trail.read")
    data = {**request.GET.dict(), **preset}
    form = TrailFilterForm(data)
    page = None
    if form.is_valid():
        try:
            page = trail_page(
                form.filters(ascending=ascending),
                cursor=request.GET.get("cursor", ""),
                limit=settings.AUDITOR_PAGE_SIZE,
            )
        except BadCursor:
            form.add_error(None, _("This page link is broken. Start again."))
    if page is not None:
        _label_objects(page.entries)
    query = request.GET.copy()
    query.pop("cursor", None)
    for key, value in preset.items():
        query[key] = value
    return render(
        request,
        "auditor/trail.html",
        {
            "title": title,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "preset": preset,
            "status": integrity_status(),
        },
    )


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    """The trail, newest first, with every filter."""
    return _trail(request, title=_("Audit trail"), preset={}, ascending=False)


@login_required
def application_timeline(request: HttpRequest, reference: str) -> HttpResponse:
    """Everything recorded about one application and its steps, oldest first."""
    ensure_can(request.user, "audit_trail.read")
    application = get_object_or_404(Application, reference=reference)
    return _trail(
        request,
        title=_("Timeline of application %(reference)s")
        % {"reference": application.reference},
        preset={"reference": application.reference},
        ascending=True,
    )


@login_required
def officer_timeline(request: HttpRequest, username: str) -> HttpResponse:
    """Everything one staff member did, oldest first (narrow it by dates)."""
    ensure_can(request.user, "audit_trail.read")
    person = get_object_or_404(User, username=username)
    return _trail(
        request,
        title=_("Timeline of %(username)s") % {"username": person.username},
        preset={"actor": person.username},
        ascending=True,
    )


@login_required
def object_timeline(request: HttpRequest, object_type: str, object_id: str):
    """Everything recorded about one object (a service, a fee, a calendar...)."""
    return _trail(
        request,
        title=_("Timeline of %(object)s") % {"object": f"{object_type}:{object_id}"},
        preset={"object_type": object_type, "object_id": object_id},
        ascending=True,
    )


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    """The entries of the current filters as CSV, streamed; the export itself
    is recorded in the trail (``audit.export``)."""
    ensure_can(request.user, "audit_trail.read")
    form = TrailFilterForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(f"{_workspace_url()}?{request.GET.urlencode()}")
    rows = services.trail_export(user=request.user, filters=form.filters())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="jejak-audit-{stamp}.csv"'
    return response


def _workspace_url() -> str:
    return reverse("auditor:workspace")


@login_required
def integrity(request: HttpRequest) -> HttpResponse:
    """Last sealed entry, last signed checkpoint, latest verification, and the
    "verify now" button."""
    ensure_can(request.user, "audit_trail.read")
    return render(
        request,
        "auditor/integrity.html",
        {"status": integrity_status(), "form": VerifyForm()},
    )


@login_required
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "audit_trail.read")
    form = VerifyForm(request.POST)
    full = form.is_valid() and form.cleaned_data["full"]
    services.verification_request(user=request.user, full=full)
    messages.success(
        request, _("Verification is queued. This page shows the result when done.")
    )
    return redirect("auditor:integrity")
