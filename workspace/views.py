"""HTML pages of the officer workspace: the queue with its tabs, filters,
keyset pages and bulk actions; the officer's application page with form data,
history, documents in the viewer, internal notes and the step actions.

Every read goes through ``workspace.selectors`` (scoped to the user's
agencies): another agency's application, document or task is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from accounts.models import Officer
from accounts.permissions import ensure_can, user_can
from accounts.selectors import officers_acting_as
from permits.forms import OfficerActionForm
from permits.selectors import application_timeline, officer_actions_for
from permits.workflow import CLOSED
from privacy.access import record_access
from ptsp.exceptions import ApplicationError
from sla.selectors import with_sla_clock

from . import services, viewer
from .filters import TaskFilter
from .forms import BulkActionForm, NoteForm
from .keyset import BadCursor, paginate
from .permissions import MANAGING_ROLES
from .selectors import (
    SORTS,
    Tab,
    applications_for_officer,
    capped_count,
    mark_delegated,
    notes_of,
    tasks_for,
)

SORT_LABELS = {  # lazy: the labels follow each request's language
    "due": _lazy("Deadline, earliest first"),
    "-due": _lazy("Deadline, latest first"),
    "submitted": _lazy("Submitted, oldest first"),
    "-submitted": _lazy("Submitted, newest first"),
    "reference": _lazy("Reference, A-Z"),
    "-reference": _lazy("Reference, Z-A"),
}


def _tabs(officers) -> list[str]:
    if not any(o.agency_id for o in officers):
        return []
    tabs = [Tab.MINE.value, Tab.UNASSIGNED.value]
    if any(o.agency_id and o.role in MANAGING_ROLES for o in officers):
        tabs.append(Tab.AGENCY.value)
    return tabs


def _assignable(officers):
    managed = sorted(
        {o.agency_id for o in officers if o.role in MANAGING_ROLES and o.agency_id}
    )
    if not managed:
        return None
    return (
        Officer.objects.filter(agency_id__in=managed, is_active=True)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The queue of ``?tab=`` (mine, unassigned, agency) filtered by the
    ``TaskFilter`` fields, sorted by ``?sort=``, one keyset page after
    ``?cursor=``. A constant number of queries whatever the page or table
    size (pinned by ``tests/workspace/test_queries.py``)."""
    officers = officers_acting_as(request.user)
    tabs = _tabs(officers)
    if not tabs:
        raise PermissionDenied
    request.workspace_agency_ids = sorted(
        {o.agency_id for o in officers if o.agency_id}
    )
    tab = request.GET.get("tab") or Tab.MINE.value
    if tab not in Tab.values:
        raise Http404
    if tab not in tabs:
        raise PermissionDenied
    base = tasks_for(request.user, tab, officers=officers)
    taskfilter = TaskFilter(request.GET or None, queryset=base, request=request)
    filtered = taskfilter.qs if taskfilter.is_valid() else base
    # The clock's state on the page's rows only (not in the counts): a paused
    # application has no deadline; the row says so, with the time left.
    shown = with_sla_clock(filtered, application="application_id")
    sort = request.GET.get("sort", "due")
    if sort not in SORTS:
        sort = "due"
    try:
        page = paginate(
            shown,
            SORTS[sort],
            request.GET.get("cursor"),
            _page_size(),
        )
    except BadCursor:
        messages.warning(
            request, _("That page link is broken; here is the first page.")
        )
        page = paginate(shown, SORTS[sort], None, _page_size())
    filtering = any(request.GET.get(k) for k in taskfilter.filters)
    counts = {
        t: capped_count(tasks_for(request.user, t, officers=officers)) for t in tabs
    }
    assignable = _assignable(officers)
    query = request.GET.copy()
    query.pop("cursor", None)
    next_query = None
    if page.next_cursor:
        q = query.copy()
        q["cursor"] = page.next_cursor
        next_query = q.urlencode()
    return render(
        request,
        "workspace/queue.html",
        {
            "tab": tab,
            "tabs": [(t, Tab(t).label, counts[t]) for t in tabs],
            "filter": taskfilter,
            "filters_open": filtering or not taskfilter.is_valid(),
            "filtered_count": capped_count(filtered) if filtering else None,
            "rows": mark_delegated(page.rows, officers),
            "next_query": next_query,
            "first_query": query.urlencode(),
            "sort": sort,
            "sorts": list(SORT_LABELS.items()),
            "assignable": list(assignable) if assignable is not None else None,
            "back": request.get_full_path(),
            # "My tasks" is empty while new work waits unassigned: say so.
            "unassigned_waiting": counts[Tab.UNASSIGNED.value].value
            if tab == Tab.MINE and not page.rows and Tab.UNASSIGNED.value in counts
            else 0,
        },
    )


def _page_size() -> int:
    from django.conf import settings

    return settings.WORKSPACE_PAGE_SIZE


@login_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Claim or assign the ticked tasks (one reason for all); back to the
    queue page the officer came from."""
    ensure_can(request.user, "workspace.use")
    officers = officers_acting_as(request.user)
    # ``isdigit`` alone passes "²" and 5000-digit strings that ``int`` refuses.
    step_ids = [
        s
        for s in request.POST.getlist("steps")
        if s.isascii() and s.isdigit() and len(s) <= 18
    ]
    form = BulkActionForm(
        request.POST,
        step_ids=[int(s) for s in step_ids],
        officers=_assignable(officers),
    )
    back = request.POST.get("back", "")
    if not back.startswith(reverse("workspace:queue")):
        back = reverse("workspace:queue")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    try:
        if data["action"] == "claim":
            steps = services.tasks_claim(
                user=request.user, step_ids=data["steps"], reason=data["reason"]
            )
            messages.success(request, _("You claimed %(n)d tasks.") % {"n": len(steps)})
        else:
            steps = services.tasks_assign(
                user=request.user,
                step_ids=data["steps"],
                officer=data["officer"],
                reason=data["reason"],
            )
            messages.success(
                request,
                _("%(n)d tasks are now with %(name)s.")
                % {"n": len(steps), "name": data["officer"].user},
            )
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect(back)


def _application(request, uuid):
    return get_object_or_404(applications_for_officer(request.user), uuid=uuid)


def _answers(app) -> list[tuple[str, str]]:
    """``[(label, text)]`` of the form data, labelled and ordered by the
    version's form schema, values as people read them (Ya/Tidak, dates), in
    the user's language; unknown keys last."""
    from permits.forms_schema import answers

    return answers(app.service_version, app.form_data or {}, keep_empty=True)


@login_required
def application(request: HttpRequest, uuid) -> HttpResponse:
    """The officer's page of one application of their agency. A paused
    service clock (waiting for the applicant) has no deadline: the page shows
    the stopped clock and the working time left instead (``sla_state``,
    ``sla_remaining``: two subqueries in the same query)."""
    app = get_object_or_404(
        with_sla_clock(applications_for_officer(request.user)), uuid=uuid
    )
    record_access(request, application=app)  # PDP access log (privacy)
    steps = list(
        app.steps.select_related("agency", "assigned_officer__user").order_by("order")
    )
    claimable = [
        s
        for s in steps
        if user_can(request.user, "workspace.claim", s)
        and s.assigned_officer_id is None
    ]
    return render(
        request,
        "workspace/application.html",
        {
            "application": app,
            "steps": steps,
            "answers": _answers(app),
            "claimable": claimable,
            "timeline": application_timeline(app),
            "links": app.document_links.select_related("document").order_by(
                "requirement_code"
            ),
            "notes": notes_of(app),
            "note_form": NoteForm(),
            "officer_actions": officer_actions_for(request.user, app),
            "action_form": OfficerActionForm(initial={"version": app.version}),
            "next_url": request.path,
            "show_deadline": app.status not in CLOSED,
        },
    )


@login_required
@require_POST
def note_add(request: HttpRequest, uuid) -> HttpResponse:
    app = _application(request, uuid)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_add(
                user=request.user, application=app, body=form.cleaned_data["body"]
            )
            messages.success(request, _("Your note is saved."))
        except ApplicationError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Write the note first."))
    return redirect("workspace:application", uuid=app.uuid)


@login_required
@require_POST
def claim(request: HttpRequest, uuid, step_id: int) -> HttpResponse:
    """Claim one step from the application page."""
    app = _application(request, uuid)
    step = get_object_or_404(app.steps, pk=step_id)
    try:
        services.tasks_claim(user=request.user, step_ids=[step.pk])
        messages.success(request, _("The task is yours."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("workspace:application", uuid=app.uuid)


def _link(request, uuid, document_uuid):
    app = _application(request, uuid)
    link = get_object_or_404(
        app.document_links.select_related("document"), document__uuid=document_uuid
    )
    return app, link


@login_required
def document(request: HttpRequest, uuid, document_uuid) -> HttpResponse:
    """The viewer: the document's pages as images rendered on the server."""
    app, link = _link(request, uuid, document_uuid)
    record_access(request, application=app, document=link.document)
    try:
        pages = range(1, viewer.page_count(link.document) + 1)
        problem = ""
    except viewer.CannotRender as error:
        pages, problem = range(0), error.message
    return render(
        request,
        "workspace/document.html",
        {"application": app, "link": link, "pages": pages, "problem": problem},
    )


@login_required
def document_page(
    request: HttpRequest, uuid, document_uuid, number: int
) -> HttpResponse:
    """Page ``number`` of the document as a PNG (private, not cached by
    shared caches)."""
    _app, link = _link(request, uuid, document_uuid)
    try:
        png = viewer.render_page(link.document, number)
    except viewer.CannotRender as error:
        raise Http404(error.message) from error
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response
