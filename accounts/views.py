"""Pages of the accounts app: login, registration and verification, password
reset, the citizen's account and businesses, staff homes, two-step verification
and delegations. Views parse and authorize; services write."""

import base64
import contextlib
import io

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import segno
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import forms, selectors, services
from accounts.choices import SIGNATORY_ROLES, DelegationKind
from accounts.models import BusinessMembership, Delegation, User
from accounts.permissions import (
    home_url,
    is_auditor,
    is_staff_member,
    officer_of,
    user_can,
)
from accounts.phones import email_mask, phone_mask
from audit.services import audit_record

BACKEND = "accounts.backends.IdentifierBackend"
SESSION_PENDING = "accounts_pending_user"
SESSION_RESET = "accounts_reset_user"


def _form_errors(form, error: ValidationError) -> None:
    """Attach a service's ``ValidationError`` to the form's fields (or to the
    form when a key is not a field)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


# --- Login ---------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    form_class = forms.LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        if form.pending_user is not None:
            self.request.session[SESSION_PENDING] = form.pending_user.pk
            # A recent code may still be on its way: then none is sent now.
            with contextlib.suppress(services.CodeError):
                services.registration_code_resend(user=form.pending_user)
            messages.info(
                self.request,
                _("Your account is not verified yet. Enter the code we sent."),
            )
            return redirect("accounts:register_verify")
        return super().form_valid(form)

    def get_default_redirect_url(self):
        return home_url(self.request.user)


def lockout(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' response once a login is locked out (HTTP 429)."""
    return render(request, "accounts/lockout.html", status=429)


# --- Registration ----------------------------------------------------------------


def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(home_url(request.user))
    form = forms.RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.citizen_register(
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                nik=data["nik"],
                password=data["password1"],
                preferred_language=get_language() or "id",
            )
        except ValidationError as error:
            _form_errors(form, error)
        except services.CodeError as error:
            form.add_error(None, error.message)
        else:
            request.session[SESSION_PENDING] = user.pk
            return redirect("accounts:register_verify")
    return render(request, "accounts/register.html", {"form": form})


def _pending_user(request: HttpRequest) -> User | None:
    pk = request.session.get(SESSION_PENDING)
    user = User.objects.filter(pk=pk).first() if pk else None
    return user if user is not None and user.is_pending_verification else None


def register_verify(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("Log in, or register first."))
        return redirect("accounts:login")
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and "resend" in request.POST:
        form = forms.CodeForm()  # unbound: a resend carries no code to check
        try:
            services.registration_code_resend(user=user)
        except services.CodeError as error:
            # An unbound form cannot hold errors; the message says what to do.
            messages.error(request, error.message)
        else:
            messages.success(request, _("We sent a new code."))
    elif request.method == "POST" and form.is_valid():
        try:
            user = services.registration_verify(
                user=user, code=form.cleaned_data["code"]
            )
        except services.CodeError as error:
            form.add_error("code", error.message)
        except ValidationError as error:
            # E.g. the NIK was verified meanwhile by another account: the error
            # names a field this form does not have.
            _form_errors(form, error)
        else:
            request.session.pop(SESSION_PENDING, None)
            login(request, user, backend=BACKEND)
            messages.success(request, _("Your account is verified. Welcome!"))
            return redirect(home_url(user))
    sent_to = email_mask(user.email) if user.email else phone_mask(user.phone)
    return render(
        request, "accounts/register_verify.html", {"form": form, "sent_to": sent_to}
    )


# --- Password reset ----------------------------------------------------------------


def password_reset(request: HttpRequest) -> HttpResponse:
    form = forms.PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.password_reset_request(
            identifier=form.cleaned_data["identifier"]
        )
        request.session[SESSION_RESET] = user.pk if user else None
        messages.info(
            request,
            _("If an account matches, we sent it a code, valid for a few minutes."),
        )
        return redirect("accounts:password_reset_confirm")
    return render(request, "accounts/password_reset.html", {"form": form})


def password_reset_confirm(request: HttpRequest) -> HttpResponse:
    if SESSION_RESET not in request.session:
        return redirect("accounts:password_reset")
    pk = request.session.get(SESSION_RESET)
    user = User.objects.filter(pk=pk, is_active=True).first() if pk else None
    form = forms.PasswordResetCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_complete(
                user=user,
                code=form.cleaned_data["code"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        except services.CodeError as error:
            form.add_error("code", error.message)
        else:
            request.session.pop(SESSION_RESET, None)
            messages.success(request, _("Your password was changed. Log in with it."))
            return redirect("accounts:login")
    return render(request, "accounts/password_reset_confirm.html", {"form": form})


# --- The citizen's account ----------------------------------------------------------


@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/account_home.html",
        {
            "nik_display": user.nik
            if user_can(user, "account.view_nik", user)
            else user.nik_masked,
            "memberships": selectors.memberships_of(user),
            "to_confirm": selectors.memberships_to_confirm(user),
            "is_staff_member": is_staff_member(user),
            "home": home_url(user),
        },
    )


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = forms.ProfileForm(
        request.POST or None,
        initial={
            "full_name": user.full_name,
            "preferred_language": user.preferred_language,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=user, **form.cleaned_data)
        messages.success(request, _("Your details were saved."))
        return redirect("accounts:home")
    return render(request, "accounts/profile_edit.html", {"form": form})


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = forms.PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.password_change(
            user=request.user, new_password=form.cleaned_data["new_password"]
        )
        # Keep this session; every other session of the user ends.
        update_session_auth_hash(request, user)
        messages.success(
            request,
            _("Your password was changed. Your other sessions were logged out."),
        )
        return redirect("accounts:home")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def contact_change(request: HttpRequest, field: str) -> HttpResponse:
    """Change the e-mail address (``field="email"``) or phone number: ask for the
    new value, send a code there, then ask for the code."""
    form_class = forms.EmailChangeForm if field == "email" else forms.PhoneChangeForm
    step = request.POST.get("step", "value")
    form = form_class(request.POST if step == "value" else None)
    code_form = forms.CodeForm(request.POST if step == "code" else None)
    if request.method == "POST" and step == "value" and form.is_valid():
        try:
            services.contact_change_request(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        except services.CodeError as error:
            form.add_error(None, error.message)
        else:
            messages.info(
                request, _("We sent a code to the new address. Enter it below.")
            )
            code_form = forms.CodeForm()
            step = "code"
    elif request.method == "POST" and step == "code" and code_form.is_valid():
        try:
            services.contact_change_confirm(
                user=request.user, field=field, code=code_form.cleaned_data["code"]
            )
        except services.CodeError as error:
            code_form.add_error("code", error.message)
        except ValidationError as error:
            _form_errors(code_form, error)
        else:
            messages.success(request, _("Saved and verified."))
            return redirect("accounts:home")
    return render(
        request,
        "accounts/contact_change.html",
        {
            "form": form,
            "code_form": code_form,
            "step": step,
            "field": field,
            "sms_available": services.sms_available(),
        },
    )


@login_required
def account_close(request: HttpRequest) -> HttpResponse:
    if is_staff_member(request.user):
        raise PermissionDenied
    form = forms.AccountCloseForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.account_close(user=request.user, reason="closed by the account holder")
        logout(request)
        messages.success(
            request, _("Your account was closed and your personal data erased.")
        )
        return redirect("home")
    return render(request, "accounts/account_close.html", {"form": form})


# --- Businesses ----------------------------------------------------------------------


@login_required
def businesses(request: HttpRequest) -> HttpResponse:
    if is_staff_member(request.user):
        raise PermissionDenied
    form = forms.BusinessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.business_register(
                user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if membership.is_confirmed:
                messages.success(request, _("You can now apply as this business."))
            else:
                messages.info(
                    request,
                    _(
                        "This business is already registered. An owner or director "
                        "of it must confirm you before you can apply as the business."
                    ),
                )
            return redirect("accounts:businesses")
    return render(
        request,
        "accounts/business_list.html",
        {
            "form": form,
            "memberships": selectors.memberships_of(request.user),
            "to_confirm": selectors.memberships_to_confirm(request.user),
        },
    )


@login_required
@require_POST
def membership_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("confirm", "end"):
        raise Http404
    membership = get_object_or_404(
        BusinessMembership.objects.select_related("business"), pk=pk
    )
    # Only the member and the business's managers may even see that it exists.
    if membership.user_id != request.user.pk and not user_can(
        request.user, "business.manage_members", membership.business
    ):
        raise Http404
    try:
        if action == "confirm":
            services.membership_confirm(membership=membership, by=request.user)
            messages.success(request, _("Confirmed."))
        else:
            services.membership_end(membership=membership, by=request.user)
            messages.success(request, _("Ended."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("accounts:businesses")


# --- Staff homes and delegations ------------------------------------------------------


def _task_count(user) -> int:
    """Active steps waiting for ``user``'s agency and role (or a delegator's):
    the work list's length."""
    from permits.selectors import work_list_for

    return len(work_list_for(user))


@login_required
def officer_home(request: HttpRequest) -> HttpResponse:
    officer = officer_of(request.user)
    if officer is None:
        raise PermissionDenied
    return render(
        request,
        "accounts/officer_home.html",
        {
            "officer": officer,
            "acting_for": selectors.delegations_received(request.user),
            "task_count": _task_count(request.user),
            "has_device": TOTPDevice.objects.filter(
                user=request.user, confirmed=True
            ).exists(),
        },
    )


@login_required
def auditor_home(request: HttpRequest) -> HttpResponse:
    if not is_auditor(request.user):
        raise PermissionDenied
    return render(request, "accounts/auditor_home.html")


@login_required
def delegations(request: HttpRequest) -> HttpResponse:
    """Whose work the officer holds now (and when it ends), the delegations they
    gave, and a form to record leave or a signing delegation."""
    officer = officer_of(request.user)
    if officer is None:
        raise PermissionDenied
    form = forms.DelegationForm(
        request.POST or None,
        delegates=selectors.officers_of_same_unit(officer),
        can_sign=officer.role in SIGNATORY_ROLES,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.delegation_create(
                created_by=request.user, delegator=officer, **form.cleaned_data
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The delegation was recorded."))
            return redirect("accounts:delegations")
    now = timezone.now()
    given = (
        Delegation.objects.filter(
            delegator=officer, ends_at__gt=now, revoked_at__isnull=True
        )
        .select_related("delegate__user")
        .order_by("starts_at", "pk")
    )
    return render(
        request,
        "accounts/delegation_list.html",
        {
            "form": form,
            "officer": officer,
            "acting_for": selectors.delegations_received(request.user, at=now),
            "given": given,
            "can_sign": officer.role in SIGNATORY_ROLES,
            "kinds": DelegationKind,
        },
    )


@login_required
@require_POST
def delegation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = get_object_or_404(
        Delegation.objects.select_related("delegator"), pk=pk
    )
    if not user_can(request.user, "delegation.revoke", delegation):
        raise Http404
    try:
        services.delegation_revoke(delegation=delegation, revoked_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The delegation was ended."))
    return redirect("accounts:delegations")


# --- Two-step verification ------------------------------------------------------------


def _qr_data_url(text: str) -> str:
    # segno is the portal's one QR library (issue 14 dropped qrcode).
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=8, xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _wrong_totp() -> str:
    return _("This code is not right. Check the time on your phone and try again.")


def _after_two_factor(request: HttpRequest) -> HttpResponse:
    return redirect(_safe_next(request) or home_url(request.user))


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: a QR code (served inline from our origin) and
    the secret for typing, then one code to confirm. Only for a user without a
    confirmed device; a new device replaces a lost one after an admin reset."""
    user = request.user
    if not is_staff_member(user):
        raise PermissionDenied  # citizens log in with their password only
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect(
            f"{reverse('accounts:two_factor_verify')}?{request.GET.urlencode()}"
        )
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=_("Authenticator app"), confirmed=False
        )
    form = forms.TwoFactorTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic(durable=True):
            ok = device.verify_token(form.cleaned_data["token"])
            if ok:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                audit_record(action="staff.two_factor_enrol", obj=user)
        if ok:
            otp_login(request, device)
            messages.success(request, _("Two-step verification is on."))
            return _after_two_factor(request)
        form.add_error(
            "token",
            _wrong_totp(),
        )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": _qr_data_url(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _safe_next(request),
        },
    )


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect(
            f"{reverse('accounts:two_factor_setup')}?{request.GET.urlencode()}"
        )
    form = forms.TwoFactorTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            form.add_error(
                "token", _("Too many wrong codes. Wait a moment and try again.")
            )
        else:
            with transaction.atomic(durable=True):
                device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
                ok = device.verify_token(form.cleaned_data["token"])
            if ok:
                otp_login(request, device)
                return _after_two_factor(request)
            form.add_error(
                "token",
                _wrong_totp(),
            )
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _safe_next(request)},
    )


# --- Staff invitation ---------------------------------------------------------


def invitation(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Set the first password from the invitation link (valid for
    ``PASSWORD_RESET_TIMEOUT``; used once, since the token depends on the
    password)."""
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        user = User.objects.filter(pk=pk, is_active=True).first()
    except (ValueError, OverflowError):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/invitation_invalid.html", status=400)
    form = forms.SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic(durable=True):
            user.set_password(form.cleaned_data["new_password"])
            user.email_verified_at = user.email_verified_at or timezone.now()
            user.save(update_fields=["password", "email_verified_at"])
            audit_record(action="staff.invitation_accept", obj=user)
        login(request, user, backend=BACKEND)
        messages.success(request, _("Your password is set."))
        return redirect(home_url(user))
    return render(request, "accounts/invitation.html", {"form": form, "person": user})
