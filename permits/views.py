"""HTML views of applications: parse, authorize, call a service, render.

Citizens: start a draft from a service, edit it (answers and documents),
submit, see the receipt, their list, the timeline, withdraw, object, answer a
revision; anyone: track by reference and code. Officers: the work list of
active steps and the actions their role allows at a step.
"""

import datetime as dt
import uuid as uuid_lib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import user_can
from agencies.models import Service
from privacy.access import record_access
from ptsp.exceptions import ApplicationError
from ptsp.pagecache import public_page

from . import services
from .choices import ApplicationStatus
from .forms import DocumentsForm, OfficerActionForm, ReasonForm, TrackForm
from .forms_schema import answers, effective_schema, form_to_json, schema_form_class
from .models import ApplicationStep
from .selectors import (
    application_qs_visible_to,
    application_timeline,
    applications_of,
    documents_of,
    officer_actions_for,
    what_next,
    work_list_for,
)
from .workflow import CLOSED, WITHDRAWABLE

S = ApplicationStatus
WIB = dt.timezone(dt.timedelta(hours=7))


def _english() -> bool:
    return (get_language() or "id").startswith("en")


def _own(request, uuid):
    return get_object_or_404(applications_of(request.user), uuid=uuid)


@login_required
@require_POST
def application_start(request: HttpRequest, code: str) -> HttpResponse:
    service = get_object_or_404(Service.objects.filter(is_published=True), code=code)
    try:
        application, created = services.application_start(
            applicant=request.user, service=service
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("agencies:service_detail", code=code)
    if not created:
        messages.info(
            request, _("You already started this application; continue it here.")
        )
    return redirect("permits:edit", uuid=application.uuid)


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "permits/application_list.html",
        {"applications": applications_of(request.user)},
    )


@login_required
def application_edit(request: HttpRequest, uuid) -> HttpResponse:
    """The draft (or a revision): answers, documents, save or submit."""
    application = _own(request, uuid)
    if application.status not in (S.DRAFT, S.WAITING_FOR_APPLICANT):
        return redirect("permits:detail", uuid=application.uuid)
    schema = effective_schema(application.service_version)
    submitting = request.method == "POST" and "submit" in request.POST
    form_class = schema_form_class(schema, english=_english(), strict=submitting)
    if request.method == "POST":
        form = form_class(request.POST)
        docs = _documents_form(request, application, request.POST, request.FILES)
        # Drafts keep what was typed, even when a file below is refused.
        if form.is_valid():
            services.application_update_draft(
                application=application,
                applicant=request.user,
                form_data=form_to_json(form.cleaned_data),
            )
        if form.is_valid() and docs.is_valid():
            for name, upload in list(docs.cleaned_data.items()):
                if not upload or not name.startswith("doc_"):
                    continue
                try:
                    services.document_upload(
                        owner=request.user,
                        requirement_code=name.removeprefix("doc_"),
                        content=upload.read(),
                        original_name=upload.name,
                        application=application,
                    )
                except ApplicationError as error:
                    docs.add_error(name, error.message)
            reusable = {str(d.uuid): d for d in docs.reusable_documents}
            for code, doc_uuid in docs.reuse_choices().items():
                try:
                    services.document_attach(
                        application=application,
                        document=reusable[doc_uuid],
                        owner=request.user,
                    )
                except ApplicationError as error:
                    docs.add_error(f"reuse_{code}", error.message)
            if not docs.errors and submitting:
                return _submit(request, application, form)
            if not docs.errors:
                messages.success(request, _("Your draft is saved."))
                return redirect("permits:edit", uuid=application.uuid)
    else:
        form = form_class(initial=application.form_data)
        docs = _documents_form(request, application)
    attached = {
        link.requirement_code: link.document
        for link in application.document_links.select_related("document")
    }
    return render(
        request,
        "permits/application_edit.html",
        {
            "application": application,
            "form": form,
            "docs": docs,
            "attached": attached,
            "idempotency_key": uuid_lib.uuid4().hex,
        },
    )


def _documents_form(request, application, data=None, files=None) -> DocumentsForm:
    """The upload fields of ``application``'s requirements, with the user's own
    earlier files for the same requirements offered for reuse (one query)."""
    requirements = application.service_version.requirements
    codes = {item["code"] for item in requirements}
    attached = set(application.document_links.values_list("document_id", flat=True))
    earlier = [
        doc
        for doc in documents_of(request.user).filter(requirement_code__in=codes)
        if doc.pk not in attached
    ]
    reusable: dict[str, list] = {}
    for doc in earlier:
        offered = reusable.setdefault(doc.requirement_code, [])
        if len(offered) < 5:  # the newest five per requirement
            offered.append(doc)
    form = DocumentsForm(
        data, files, requirements=requirements, english=_english(), reusable=reusable
    )
    form.reusable_documents = earlier
    return form


def _submit(request, application, form):
    try:
        if application.status == S.WAITING_FOR_APPLICANT:
            services.application_resubmit(
                application=application, applicant=request.user
            )
            messages.success(request, _("Your revision is sent."))
            return redirect("permits:detail", uuid=application.uuid)
        application, code = services.application_submit(
            application=application,
            applicant=request.user,
            idempotency_key=request.POST.get("idempotency_key", "")[:64],
        )
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
        return render(
            request,
            "permits/application_edit.html",
            {
                "application": application,
                "form": form,
                "docs": _documents_form(request, application),
                "attached": {},
                "idempotency_key": uuid_lib.uuid4().hex,
            },
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("permits:detail", uuid=application.uuid)
    if code:
        request.session[f"tracking:{application.uuid}"] = code
    return redirect("permits:receipt", uuid=application.uuid)


@login_required
def application_receipt(request: HttpRequest, uuid) -> HttpResponse:
    application = _own(request, uuid)
    if application.status == S.DRAFT:
        raise Http404
    code = request.session.pop(f"tracking:{application.uuid}", None)
    return render(
        request,
        "permits/application_receipt.html",
        {"application": application, "tracking_code": code},
    )


@login_required
def application_detail(request: HttpRequest, uuid) -> HttpResponse:
    application = get_object_or_404(application_qs_visible_to(request.user), uuid=uuid)
    is_applicant = application.applicant_id == request.user.pk
    if application.status == S.DRAFT and not is_applicant:
        raise Http404
    record_access(request, application=application)  # PDP access log (no-op for owner)
    return render(
        request,
        "permits/application_detail.html",
        {
            "application": application,
            "is_applicant": is_applicant,
            "timeline": application_timeline(application),
            "next_step": what_next(application),
            "steps": application.steps.select_related("agency").order_by("order"),
            "links": application.document_links.select_related("document"),
            "answers": []
            if is_applicant
            else answers(
                application.service_version, application.form_data, keep_empty=True
            ),
            "can_withdraw": is_applicant and application.status in WITHDRAWABLE,
            "show_deadline": application.status not in CLOSED,
            "can_object": is_applicant and application.status == S.REJECTED,
            "officer_actions": officer_actions_for(request.user, application),
            "action_form": OfficerActionForm(initial={"version": application.version}),
            "reason_form": ReasonForm(),
        },
    )


@login_required
def application_withdraw(request: HttpRequest, uuid) -> HttpResponse:
    """Withdraw the applicant's own application, in two steps that work
    without JavaScript: GET shows what withdrawing means and a form; POST
    withdraws only with ``confirm=yes`` from that form (a bare POST, e.g. an
    old page's one-tap button, is sent to the confirmation page: 303).
    Another citizen's application is a 404; a decided one is refused
    (``WITHDRAWABLE``) with a message on the application page."""
    application = _own(request, uuid)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if application.status not in WITHDRAWABLE:
        messages.error(request, _("A decided application cannot be withdrawn."))
        return redirect("permits:detail", uuid=application.uuid)
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        if request.method == "POST":
            response = redirect("permits:withdraw", uuid=application.uuid)
            response.status_code = 303
            return response
        return render(
            request, "permits/application_withdraw.html", {"application": application}
        )
    try:
        services.application_withdraw(
            application=application,
            applicant=request.user,
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("Your application is withdrawn."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("permits:detail", uuid=application.uuid)


@login_required
@require_POST
def application_object(request: HttpRequest, uuid) -> HttpResponse:
    application = _own(request, uuid)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Explain why you object."))
        return redirect("permits:detail", uuid=application.uuid)
    try:
        services.application_object(
            application=application,
            applicant=request.user,
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Your objection is sent to the agency head."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("permits:detail", uuid=application.uuid)


#: The flash message after each officer action.
_ACTION_DONE = {
    "complete": gettext_lazy("The step is finished."),
    "record_external": gettext_lazy("The external result is recorded."),
    "request_revision": gettext_lazy(
        "A revision was requested; the applicant is notified."
    ),
    "approve": gettext_lazy("Approved."),
    "reject": gettext_lazy("The application is rejected."),
}


@login_required
@require_POST
def step_action(request: HttpRequest, uuid, step_id: int, action: str) -> HttpResponse:
    application = get_object_or_404(application_qs_visible_to(request.user), uuid=uuid)
    step = get_object_or_404(ApplicationStep, pk=step_id, application=application)
    form = OfficerActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect("permits:detail", uuid=application.uuid)
    data = form.cleaned_data
    common = {
        "application": application,
        "step": step,
        "user": request.user,
        "seen_version": data["version"],
    }
    try:
        if action in ("complete", "record_external"):
            services.application_step_complete(
                **common,
                note=data["note"],
                external_reference=data["external_reference"],
            )
        elif action == "request_revision":
            deadline = None
            if data["deadline"]:
                deadline = dt.datetime.combine(
                    data["deadline"], dt.time(23, 59), tzinfo=WIB
                )
            services.application_request_revision(
                **common,
                note=data["note"],
                # The checklist sends one ``fields`` per ticked box; an old
                # comma-separated value still works.
                fields=[
                    f.strip()
                    for value in request.POST.getlist("fields")
                    for f in value.split(",")
                    if f.strip()
                ],
                deadline_at=deadline,
            )
        elif action == "approve":
            services.application_approve(**common, note=data["note"])
        elif action == "reject":
            services.application_reject(**common, reason=data["note"])
        else:
            raise Http404
        messages.success(request, _ACTION_DONE.get(action, _("Done.")))
    except ApplicationError as error:
        messages.error(request, error.message)
    # The officer workspace posts here too and asks to come back to its page.
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}
    ):
        return redirect(back)
    return redirect("permits:detail", uuid=application.uuid)


@login_required
def document_download(request: HttpRequest, uuid, document_uuid) -> FileResponse:
    """The file as an attachment, for the applicant and allowed officers;
    404 for anyone else."""
    application = get_object_or_404(application_qs_visible_to(request.user), uuid=uuid)
    link = get_object_or_404(
        application.document_links.select_related("document"),
        document__uuid=document_uuid,
    )
    document = link.document
    record_access(request, application=application, document=document)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{link.requirement_code}.{document.file.name.rsplit('.', 1)[-1]}",
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def work_list(request: HttpRequest) -> HttpResponse:
    if not user_can(request.user, "application.work", None):
        raise PermissionDenied
    return render(
        request, "permits/work_list.html", {"items": work_list_for(request.user)}
    )


# Only the empty form is cached (no parameter declared): a lookup
# (``?reference=&code=``) shows an application's status and is rendered each time.
@public_page(stamps=())
def track(request: HttpRequest) -> HttpResponse:
    """Status and dates of an application by reference and tracking code; no
    personal data."""
    # A receipt's QR code opens this page with only the reference filled in.
    form = (
        TrackForm(request.GET)
        if "code" in request.GET
        else TrackForm(initial={"reference": request.GET.get("reference", "")})
    )
    application = None
    if form.is_valid():
        application = services.application_track(
            reference=form.cleaned_data["reference"], code=form.cleaned_data["code"]
        )
        if application is None:
            form.add_error(None, _("No application matches this reference and code."))
    return render(
        request,
        "permits/track.html",
        {
            "form": form,
            "application": application,
            "timeline": application_timeline(application) if application else [],
            "next_step": what_next(application),
            "now": timezone.now(),
        },
    )
