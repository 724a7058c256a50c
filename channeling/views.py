"""HTML views of the counter (assisted submission), the claim of an account
made there, the report per service point and BPJS corrections: parse,
authorize, call a service, render."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import ensure_can, user_can
from accounts.phones import email_mask, phone_mask
from permits.forms import DocumentsForm
from permits.forms_schema import (
    display_value,
    effective_schema,
    form_to_json,
    schema_form_class,
)
from permits.selectors import application_qs_visible_to
from ptsp.exceptions import ApplicationError

from . import services
from .bpjs import bpjs_adapter
from .choices import AssistedStatus
from .forms import AssistedStartForm, ClaimForm, ConfirmForm, ReferenceForm, RejectForm
from .permissions import BPJS_AGENCIES
from .selectors import (
    assisted_visible_to,
    bpjs_step_of,
    handovers_of,
)
from .selectors import service_point_report as report_rows

A = AssistedStatus
WIB = dt.timezone(dt.timedelta(hours=7))


def _english() -> bool:
    return (get_language() or "id").startswith("en")


def _add_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def assisted_list(request: HttpRequest) -> HttpResponse:
    """The office's assisted submissions, newest first (50 a page)."""
    ensure_can(request.user, "channeling.view_assisted", None)
    items = assisted_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in A.values:
        items = items.filter(status=status)
    return render(
        request,
        "channeling/assisted_list.html",
        {
            "items": items[:50],
            "statuses": A.choices,
            "status": status,
            "can_assist": user_can(request.user, "channeling.assist"),
        },
    )


@login_required
def assisted_start(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "channeling.assist")
    form = AssistedStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assisted = services.assisted_start(
                user=request.user,
                service=data["service"],
                nik=data["nik"],
                full_name=data["full_name"],
                phone=data["phone"],
                email=data["email"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return redirect("channeling:detail", uuid=assisted.uuid)
    return render(request, "channeling/assisted_start.html", {"form": form})


def _assisted(request, uuid):
    assisted = get_object_or_404(assisted_visible_to(request.user), uuid=uuid)
    return assisted


def _masked(assisted) -> str:
    if not assisted.code_address:
        return ""
    if "@" in assisted.code_address:
        return email_mask(assisted.code_address)
    return phone_mask(assisted.code_address)


@login_required
def assisted_detail(request: HttpRequest, uuid) -> HttpResponse:
    """Fill in (draft), send the code, enter the citizen's code, see the result."""
    assisted = _assisted(request, uuid)
    application = assisted.application
    schema = effective_schema(application.service_version)
    requirements = application.service_version.requirements
    sending = request.method == "POST" and "send_code" in request.POST
    form_class = schema_form_class(schema, english=_english(), strict=sending)
    form = form_class(initial=application.form_data)
    docs = DocumentsForm(requirements=requirements)
    if request.method == "POST" and assisted.status == A.DRAFT:
        form = form_class(request.POST)
        docs = DocumentsForm(request.POST, request.FILES, requirements=requirements)
        # The answers are saved even when the file part is refused (a file
        # for a requirement the service does not list): the draft loses nothing.
        uploads = list(docs.cleaned_data.items()) if docs.is_valid() else []
        if form.is_valid():
            try:
                services.assisted_update(
                    assisted=assisted,
                    user=request.user,
                    form_data=form_to_json(form.cleaned_data),
                )
                for name, upload in uploads:
                    if not upload:
                        continue
                    try:
                        services.assisted_document_upload(
                            assisted=assisted,
                            user=request.user,
                            requirement_code=name.removeprefix("doc_"),
                            content=upload.read(),
                            original_name=upload.name,
                        )
                    except ApplicationError as error:
                        docs.add_error(name, error.message)
                if not docs.errors and sending:
                    services.assisted_send_code(assisted=assisted, user=request.user)
                    messages.success(request, _("The code is sent to the citizen."))
                    return redirect("channeling:detail", uuid=assisted.uuid)
                if not docs.errors:
                    messages.success(request, _("The draft is saved."))
                    return redirect("channeling:detail", uuid=assisted.uuid)
            except ValidationError as error:
                _add_errors(form, error)
            except ApplicationError as error:
                form.add_error(None, error.message)
    attached = {
        link.requirement_code: link.document
        for link in application.document_links.select_related("document")
    }
    return render(
        request,
        "channeling/assisted_detail.html",
        {
            "assisted": assisted,
            "application": application,
            "form": form,
            "docs": docs,
            "attached": attached,
            "confirm_form": ConfirmForm(),
            "sent_to": _masked(assisted),
            "tracking_code": request.session.pop(f"assisted:{assisted.uuid}", None),
        },
    )


@login_required
@require_POST
def assisted_resend(request: HttpRequest, uuid) -> HttpResponse:
    assisted = _assisted(request, uuid)
    try:
        services.assisted_send_code(assisted=assisted, user=request.user)
        messages.success(request, _("A new code is sent to the citizen."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("channeling:detail", uuid=assisted.uuid)


@login_required
@require_POST
def assisted_confirm(request: HttpRequest, uuid) -> HttpResponse:
    """The citizen types the code on the operator's screen."""
    assisted = _assisted(request, uuid)
    ensure_can(request.user, "channeling.assist")
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            assisted, tracking = services.assisted_confirm(
                assisted=assisted, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            if tracking:
                request.session[f"assisted:{assisted.uuid}"] = tracking
            messages.success(
                request,
                _("Confirmed. Application %(reference)s is submitted.")
                % {"reference": assisted.application.reference},
            )
    else:
        messages.error(request, _("Enter the six-digit code."))
    return redirect("channeling:detail", uuid=assisted.uuid)


@login_required
@require_POST
def assisted_cancel(request: HttpRequest, uuid) -> HttpResponse:
    assisted = _assisted(request, uuid)
    try:
        services.assisted_cancel(
            assisted=assisted, user=request.user, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("The submission is cancelled."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("channeling:detail", uuid=assisted.uuid)


def account_claim(request: HttpRequest) -> HttpResponse:
    """A citizen whose account was made at a counter sets a password with the
    code of the confirmation (public page)."""
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.account_claim(
                identifier=data["identifier"],
                code=data["code"],
                new_password=data["new_password"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        except ApplicationError as error:
            form.add_error("code", error.message)
        else:
            messages.success(
                request, _("Your account is ready. Log in with your new password.")
            )
            return redirect("accounts:login")
    return render(request, "channeling/account_claim.html", {"form": form})


def _month_start(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, 1, tzinfo=WIB)


@login_required
def service_point_report(request: HttpRequest) -> HttpResponse:
    """Figures per service point for a month (WIB), default this month."""
    ensure_can(request.user, "channeling.report")
    today = timezone.now().astimezone(WIB).date()
    try:
        month = dt.date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        month = today.replace(day=1)
    since = _month_start(month)
    until = _month_start((month + dt.timedelta(days=32)).replace(day=1))
    rows = report_rows(request.user, since=since, until=until)
    return render(
        request,
        "channeling/report.html",
        {
            "rows": rows,
            "month": month,
            "totals": {
                key: sum(getattr(r, key) for r in rows)
                for key in ("started", "confirmed", "waiting", "finished")
            },
        },
    )


def _bpjs_application(request, uuid):
    application = get_object_or_404(application_qs_visible_to(request.user), uuid=uuid)
    if application.service.agency.code not in BPJS_AGENCIES:
        raise Http404
    return application


@login_required
def bpjs_correction(request: HttpRequest, uuid) -> HttpResponse:
    """A BPJS correction for the BPJS officer: the data, the evidence, the
    hand-over to BPJS's system, recording BPJS's reference, rejecting."""
    application = _bpjs_application(request, uuid)
    step = bpjs_step_of(application)
    can_act = step is not None and user_can(
        request.user, "application.act_on_step", step
    )
    schema = effective_schema(application.service_version)
    labels = []
    for name, spec in schema.get("properties", {}).items():
        # Enum titles, Ya/Tidak and dates as people read them (active language).
        value = display_value(application.form_data.get(name), spec)
        title = (_english() and spec.get("x-title-en")) or spec.get("title") or name
        labels.append((title, value))
    initial = {"version": application.version}
    return render(
        request,
        "channeling/bpjs_correction.html",
        {
            "application": application,
            "step": step,
            "can_act": can_act,
            "fields": labels,
            "links": application.document_links.select_related("document"),
            "handovers": handovers_of(application),
            "adapter": step is not None and bpjs_adapter(step.agency.code) is not None,
            "reference_form": ReferenceForm(initial=initial, prefix="done"),
            "reject_form": RejectForm(initial=initial, prefix="reject"),
        },
    )


@login_required
@require_POST
def bpjs_action(request: HttpRequest, uuid, action: str) -> HttpResponse:
    application = _bpjs_application(request, uuid)
    try:
        if action == "serahkan":
            services.bpjs_handover_start(application=application, user=request.user)
            messages.success(request, _("Handed over to BPJS's system."))
        elif action == "selesai":
            form = ReferenceForm(request.POST, prefix="done")
            if not form.is_valid():
                raise ApplicationError(_("Record BPJS's reference of the change."))
            services.bpjs_correction_complete(
                application=application,
                user=request.user,
                reference=form.cleaned_data["reference"],
                seen_version=form.cleaned_data["version"],
            )
            messages.success(request, _("The correction is completed."))
        elif action == "tolak":
            form = RejectForm(request.POST, prefix="reject")
            if not form.is_valid():
                raise ApplicationError(_("Give the reason for the rejection."))
            services.bpjs_correction_reject(
                application=application,
                user=request.user,
                reason=form.cleaned_data["reason"],
                seen_version=form.cleaned_data["version"],
            )
            messages.success(request, _("The correction is rejected."))
        else:
            raise Http404
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("channeling:bpjs", uuid=application.uuid)
