"""Registration and e-mail verification with a one-time code, end to end through
the notification outbox and the locmem mailer; password reset; change of e-mail;
closing an account."""

import datetime as dt

from django.core import mail
from django.urls import reverse

import pytest
import time_machine

from accounts.models import OneTimeCode, User
from accounts.selectors import businesses_for
from accounts.services import (
    CodeRateLimited,
    CodeRejected,
    account_close,
    business_register,
    citizen_register,
    registration_code_resend,
    registration_verify,
)
from audit.models import AuditEntry
from notifications.models import Notification

from .conftest import deliver_all, last_code, make_nik

pytestmark = pytest.mark.django_db

REGISTER = reverse("accounts:register")
VERIFY = reverse("accounts:register_verify")


def _form(**overrides) -> dict:
    data = {
        "full_name": "Siti Rahayu",
        "email": "siti@example.org",
        "phone": "",
        "nik": "3671 0552 0385 0007",
        "password1": "kopi-tubruk-2026",
        "password2": "kopi-tubruk-2026",
    }
    return {**data, **overrides}


def test_register_verify_by_emailed_code_then_logged_in(client):
    """The form creates an inactive account, the code arrives by e-mail (outbox,
    worker, mailer), entering it activates the account and logs the person in."""
    response = client.post(REGISTER, _form())
    assert response.status_code == 302
    assert response.url == VERIFY
    user = User.objects.get(email="siti@example.org")
    assert not user.is_active
    assert user.nik == "3671055203850007"
    code = last_code("siti@example.org")
    row = OneTimeCode.objects.get(user=user)
    assert code not in row.code_hash
    assert len(row.code_hash) == 64
    page = client.get(VERIFY)
    assert "s***@example.org" in page.text
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 302
    assert response.url == reverse("accounts:home")
    user.refresh_from_db()
    assert user.is_active
    assert user.email_verified_at is not None
    assert client.get(reverse("accounts:home")).status_code == 200
    actions = list(
        AuditEntry.objects.filter(object_id=str(user.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    # Verifying signs the citizen in; the audit trail records that login too.
    assert actions == ["account.register", "account.verify", "auth.login"]
    entry = AuditEntry.objects.get(action="account.register")
    assert "3671055203850007" not in str(entry.changes)  # a reference, not the NIK


def test_invalid_nik_is_refused_with_the_reason_and_nothing_is_lost(client):
    response = client.post(REGISTER, _form(nik="3671051213850007"))  # month 13
    assert response.status_code == 200
    assert User.objects.count() == 0
    assert "(121385)" in response.text  # the message names the faulty digits
    assert 'aria-invalid="true"' in response.text
    assert 'id="id_nik_error"' in response.text
    assert "Siti Rahayu" in response.text  # typed values stay in the form


def test_wrong_code_counts_and_exhausts(client, settings):
    settings.PTSP_OTP_MAX_ATTEMPTS = 3
    client.post(REGISTER, _form())
    user = User.objects.get()
    code = last_code("siti@example.org")
    wrong = "000000" if code != "000000" else "111111"
    for left in (2, 1):
        response = client.post(VERIFY, {"code": wrong})
        assert f"{left}" in response.text
    response = client.post(VERIFY, {"code": wrong})
    assert OneTimeCode.objects.get(user=user).attempts == 3
    response = client.post(VERIFY, {"code": code})  # even the right one now fails
    assert response.status_code == 200
    user.refresh_from_db()
    assert not user.is_active


def test_code_expires(client, settings):
    settings.PTSP_OTP_VALID_MINUTES = 10
    with time_machine.travel(dt.datetime(2026, 5, 1, 1, 0, tzinfo=dt.UTC), tick=False):
        client.post(REGISTER, _form())
        code = last_code("siti@example.org")
    with time_machine.travel(dt.datetime(2026, 5, 1, 1, 11, tzinfo=dt.UTC), tick=False):
        response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert not User.objects.get().is_active


def test_resend_is_rate_limited_and_replaces_the_old_code(settings):
    settings.PTSP_OTP_RESEND_SECONDS = 60
    settings.PTSP_OTP_MAX_PER_HOUR = 3
    start = dt.datetime(2026, 5, 1, 1, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        user = citizen_register(
            full_name="Siti",
            email="siti@example.org",
            phone="",
            nik=make_nik(female=True),
            password="kopi-tubruk-2026",
        )
        first = last_code("siti@example.org")
        with pytest.raises(CodeRateLimited) as caught:
            registration_code_resend(user=user)
        assert caught.value.extra["retry_after"] == 60
    for minutes in (2, 4):
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            registration_code_resend(user=user)
    with time_machine.travel(start + dt.timedelta(minutes=6), tick=False):
        with pytest.raises(CodeRateLimited):  # 3 in the last hour
            registration_code_resend(user=user)
        newest = last_code("siti@example.org")
        if newest != first:
            with pytest.raises(CodeRejected):
                registration_verify(user=user, code=first)
        registration_verify(user=user, code=newest)
    assert User.objects.get(pk=user.pk).is_active
    assert Notification.objects.filter(recipient=user, event="account.otp").count() == 3


def test_registration_again_before_verifying_reuses_the_account(client):
    client.post(REGISTER, _form())
    client.post(REGISTER, _form(full_name="Siti R."), REMOTE_ADDR="127.0.0.2")
    assert User.objects.count() == 1


def test_used_email_and_nik_are_refused(client, make_citizen):
    make_citizen(email="siti@example.org", nik="3671055203850007")
    response = client.post(REGISTER, _form())
    assert response.status_code == 200
    assert User.objects.count() == 1
    assert 'id="id_email_error"' in response.text


def test_registered_nik_is_not_revealed_and_its_holder_is_told(client, make_citizen):
    """Typing someone's NIK gives the same answer as a fresh one (no field error
    saying it is registered); the new account does not get the NIK, and the
    NIK's holder receives a notice."""
    holder = make_citizen(nik="3671055203850007")
    fresh = client.post(REGISTER, _form(email="baru@example.org", nik=make_nik()))
    other = type(client)()
    used = other.post(REGISTER, _form(email="orang@example.org"))
    assert (
        (used.status_code, used.url)
        == (fresh.status_code, fresh.url)
        == (
            302,
            VERIFY,
        )
    )
    newcomer = User.objects.get(email="orang@example.org")
    assert newcomer.nik == ""
    notice = Notification.objects.get(
        event="account.nik_registration_attempt", channel="email"
    )
    assert notice.recipient == holder
    assert AuditEntry.objects.filter(
        action="account.nik_registration_attempt", object_id=str(holder.pk)
    ).exists()
    # The newcomer can still verify their address: nothing tells them apart.
    assert (
        other.post(VERIFY, {"code": last_code("orang@example.org")}).status_code == 302
    )
    assert User.objects.filter(nik="3671055203850007").get() == holder


def test_phone_only_is_refused_until_sms_exists(client):
    response = client.post(REGISTER, _form(email="", phone="0812 3456 7890"))
    assert response.status_code == 200
    assert 'id="id_phone_error"' in response.text
    assert User.objects.count() == 0


def test_login_of_an_unverified_account_leads_to_the_code_page(client):
    client.post(REGISTER, _form())
    client.logout()
    response = client.post(
        reverse("accounts:login"),
        {"username": "siti@example.org", "password": "kopi-tubruk-2026"},
    )
    assert response.status_code == 302
    assert response.url == VERIFY


def test_password_reset_by_code_ends_other_sessions(client, citizen, django_user_model):
    other = client.__class__()
    other.force_login(citizen)
    response = client.post(
        reverse("accounts:password_reset"), {"identifier": citizen.email.upper()}
    )
    assert response.url == reverse("accounts:password_reset_confirm")
    code = last_code(citizen.email)
    response = client.post(
        reverse("accounts:password_reset_confirm"),
        {"code": code, "new_password": "teh-manis-dingin-2026"},
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password("teh-manis-dingin-2026")
    assert other.get(reverse("accounts:home")).status_code == 302  # logged out


def test_password_reset_for_unknown_account_looks_the_same(client):
    response = client.post(reverse("accounts:password_reset"), {"identifier": "x@y.z"})
    assert response.url == reverse("accounts:password_reset_confirm")
    response = client.post(
        reverse("accounts:password_reset_confirm"),
        {"code": "123456", "new_password": "teh-manis-dingin-2026"},
    )
    assert response.status_code == 200
    assert len(mail.outbox) == 0


def test_email_change_sends_the_code_to_the_new_address(client, citizen):
    client.force_login(citizen)
    url = reverse("accounts:email_change")
    client.post(url, {"step": "value", "email": "baru@example.org"})
    citizen.refresh_from_db()
    assert citizen.email != "baru@example.org"  # unchanged until verified
    deliver_all()
    assert mail.outbox[-1].to == ["baru@example.org"]
    code = last_code("baru@example.org")
    response = client.post(url, {"step": "code", "code": code})
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.email == "baru@example.org"
    assert AuditEntry.objects.filter(action="account.email_change").exists()


def test_closing_scrubs_personal_data_and_frees_the_nik(client, citizen, make_citizen):
    nik = citizen.nik
    membership = business_register(
        user=citizen, name="CV Maju", nib="9120001234567", npwp="", role="owner"
    )
    account_close(user=citizen)
    membership.refresh_from_db()
    assert membership.ended_at is not None
    assert list(businesses_for(citizen)) == []
    citizen.refresh_from_db()
    assert (citizen.email, citizen.phone, citizen.nik) == ("", "", "")
    assert citizen.full_name == "Budi Santoso"  # kept for records
    assert not citizen.is_active
    assert citizen.closed_at is not None
    assert not citizen.has_usable_password()
    assert make_citizen(nik=nik).nik == nik  # the NIK may be registered again
    entry = AuditEntry.objects.get(action="account.close")
    assert nik not in str(entry.changes)


def test_weak_password_is_reported_on_the_password_field(client):
    response = client.post(REGISTER, _form(password1="12345678", password2="12345678"))
    assert response.status_code == 200
    assert 'id="id_password1_error"' in response.text
    assert User.objects.count() == 0


def test_resend_too_soon_shows_the_wait_on_the_page(client):
    """Asking for a new code right after one was sent explains the wait (the
    page once crashed adding an error to an unbound form)."""
    client.post(REGISTER, _form())
    response = client.post(VERIFY, {"resend": "1"})
    assert response.status_code == 200
    assert "Kode baru saja dikirim" in response.text


def test_verifying_a_nik_already_verified_elsewhere_is_a_form_error(client):
    """Two pending accounts with one NIK: when the first is verified, the second
    gets a readable error instead of a server error."""
    client.post(REGISTER, _form(email="kembar0@example.org"))
    first_code = last_code("kembar0@example.org")
    other = type(client)()
    other.post(REGISTER, _form(email="kembar1@example.org"))
    second_code = last_code("kembar1@example.org")
    assert client.post(VERIFY, {"code": first_code}).status_code == 302
    response = other.post(VERIFY, {"code": second_code})
    assert response.status_code == 200
    assert User.objects.filter(nik="3671055203850007", is_active=True).count() == 1
    assert 'class="error-summary"' in response.text or "errorlist" in response.text
