"""Forms of the accounts pages. They parse and check input; services write."""

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import BusinessRole, DelegationKind
from accounts.models import Officer, User
from accounts.nik import nik_parse
from accounts.phones import phone_normalise

_CODE_WIDGET = forms.TextInput(
    attrs={
        "autocomplete": "one-time-code",
        "inputmode": "numeric",
        "pattern": "[0-9]*",
        "maxlength": "6",
    }
)


class LoginForm(AuthenticationForm):
    """Log in with e-mail address, phone number or username, and password.

    A correct password of an account still waiting for verification is not an
    error: ``pending_user`` is set and the view sends the person to enter their
    code.
    """

    username = forms.CharField(
        label=_("E-mail, phone number or username"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _(
            "The e-mail, phone number or username and the password do not match. "
            "Check both and try again."
        ),
        "inactive": _("This account is not active."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.pending_user: User | None = None

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username and password:
            self.user_cache = authenticate(
                self.request, username=username, password=password
            )
            if self.user_cache is None:
                self.pending_user = _pending_with_password(username, password)
                if self.pending_user is None:
                    raise self.get_invalid_login_error()
            else:
                self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


def _pending_with_password(identifier: str, password: str) -> User | None:
    from accounts.backends import identifier_query

    for user in User.objects.filter(
        identifier_query(identifier.strip()), is_active=False
    ):
        if user.is_pending_verification and user.check_password(password):
            return user
    return None


class RegistrationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name (as on your KTP)"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_("We send a code to verify it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone number (optional)"),
        required=False,
        max_length=20,
        help_text=_("E.g. 0812 3456 7890."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    nik = forms.CharField(
        label=_("NIK"),
        max_length=24,
        help_text=_("The 16-digit population number on your KTP or family card (KK)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=password_validation.password_validators_help_text_html(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"]
        return phone_normalise(value) if value else ""

    def clean_nik(self) -> str:
        return nik_parse(self.cleaned_data["nik"]).nik

    def clean(self):
        data = super().clean()
        if (
            not data.get("email")
            and not data.get("phone")
            and "email" not in self.errors
        ):
            self.add_error(
                "email", _("Enter an e-mail address or a mobile phone number.")
            )
        password = data.get("password1")
        if password and data.get("password2") != password:
            self.add_error("password2", _("The two passwords are not the same."))
        elif password:
            candidate = User(
                full_name=data.get("full_name", ""), email=data.get("email", "")
            )
            try:
                password_validation.validate_password(password, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code"),
        min_length=6,
        max_length=6,
        widget=_CODE_WIDGET,
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise ValidationError(_("The code has six digits."))
        return code


class PasswordResetRequestForm(forms.Form):
    identifier = forms.CharField(
        label=_("E-mail, phone number or username"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )


class PasswordResetCodeForm(CodeForm):
    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        help_text=password_validation.password_validators_help_text_html(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        help_text=password_validation.password_validators_help_text_html(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user: User, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_old_password(self) -> str:
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise ValidationError(_("This is not your current password."))
        return value

    def clean_new_password(self) -> str:
        value = self.cleaned_data["new_password"]
        password_validation.validate_password(value, self.user)
        return value


class SetPasswordForm(forms.Form):
    new_password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        help_text=password_validation.password_validators_help_text_html(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user: User, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_new_password(self) -> str:
        value = self.cleaned_data["new_password"]
        password_validation.validate_password(value, self.user)
        return value


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    preferred_language = forms.ChoiceField(
        label=_("Language of e-mails and notifications"), choices=settings.LANGUAGES
    )


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label=_("New e-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PhoneChangeForm(forms.Form):
    phone = forms.CharField(
        label=_("New mobile phone number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_phone(self) -> str:
        return phone_normalise(self.cleaned_data["phone"])


class AccountCloseForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that my e-mail, phone number and NIK are erased and "
            "that I cannot log in again."
        ),
    )

    def __init__(self, user: User, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        value = self.cleaned_data["password"]
        if not self.user.check_password(value):
            raise ValidationError(_("This is not your current password."))
        return value


class BusinessForm(forms.Form):
    name = forms.CharField(label=_("Company name"), max_length=200)
    nib = forms.CharField(
        label=_("NIB"),
        max_length=20,
        help_text=_("Nomor Induk Berusaha from OSS: 13 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    npwp = forms.CharField(
        label=_("NPWP (optional)"),
        max_length=25,
        required=False,
        help_text=_("15 or 16 digits; dots and dashes are ignored."),
    )
    role = forms.ChoiceField(label=_("Your role in the business"), choices=BusinessRole)


class TwoFactorTokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=6,
        widget=_CODE_WIDGET,
    )


class _LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format="%Y-%m-%dT%H:%M")


class DelegationForm(forms.Form):
    """A leave handover or signing delegation; times are WIB (the portal's time
    zone) and stored as UTC."""

    kind = forms.ChoiceField(label=_("What is delegated"), choices=DelegationKind)
    delegate = forms.ModelChoiceField(
        label=_("Substitute or deputy"),
        queryset=Officer.objects.none(),
        empty_label=_("Choose a colleague"),
    )
    starts_at = forms.DateTimeField(
        label=_("From (WIB)"),
        widget=_LocalDateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    ends_at = forms.DateTimeField(
        label=_("Until (WIB)"),
        widget=_LocalDateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    reason = forms.CharField(label=_("Reason"), max_length=255)

    def __init__(self, *args, delegates, can_sign: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = delegates
        if not can_sign:
            self.fields["kind"].choices = [
                (DelegationKind.TASKS.value, DelegationKind.TASKS.label)
            ]
        self.fields["delegate"].label_from_instance = lambda o: (
            f"{o.user} · {o.get_role_display()}"
        )
        if not self.is_bound:
            start = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("starts_at", start)
            self.initial.setdefault("ends_at", start + dt.timedelta(days=1))


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8, comma- or semicolon-separated, with the header "
            "username,full_name,email,role,agency,office,nip."
        ),
    )
    send_invitations = forms.BooleanField(
        label=_("E-mail each person an invitation to choose a password"),
        required=False,
        initial=True,
    )
