"""Logging in: identifiers, throttling (django-axes), the staff's second factor,
staff session timeouts, and sessions ended by a password change."""

import datetime as dt

from django.urls import reverse

import pytest
import time_machine
from axes.models import AccessAttempt
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.choices import OfficerRole

from .conftest import totp_now

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
PASSWORD = "rahasia-sekali-2026"


@pytest.mark.parametrize("identifier", ["email", "EMAIL", "phone", "username"])
def test_citizen_logs_in_with_email_phone_or_username(client, make_citizen, identifier):
    user = make_citizen(phone="+6281234567890")
    value = {
        "email": user.email,
        "EMAIL": user.email.upper(),
        "phone": "0812-3456-7890",
        "username": user.username,
    }[identifier]
    response = client.post(LOGIN, {"username": value, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("accounts:home")


def test_repeated_failures_lock_the_login_out(client, citizen, settings):
    """After AXES_FAILURE_LIMIT wrong passwords the right one is refused too, with
    a readable page; another address is not affected."""
    settings.AXES_FAILURE_LIMIT = 3
    for _try in range(2):
        response = client.post(LOGIN, {"username": citizen.email, "password": "salah"})
        assert response.status_code == 200
        assert "aria-invalid" in response.text or "error-summary" in response.text
    response = client.post(LOGIN, {"username": citizen.email, "password": "salah"})
    assert response.status_code == 429
    response = client.post(LOGIN, {"username": citizen.email, "password": PASSWORD})
    assert response.status_code == 429
    assert AccessAttempt.objects.get().failures_since_start >= 3
    other = client.__class__(REMOTE_ADDR="10.0.0.9")
    response = other.post(LOGIN, {"username": citizen.email, "password": PASSWORD})
    assert response.status_code == 302


def test_variants_of_one_identifier_share_a_counter(client, citizen, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client.post(LOGIN, {"username": citizen.email, "password": "salah"})
    response = client.post(
        LOGIN, {"username": f"  {citizen.email.upper()} ", "password": "salah"}
    )
    assert response.status_code == 429


@pytest.fixture
def two_factor(settings):
    settings.PTSP_STAFF_2FA_REQUIRED = True


def test_staff_without_device_must_enrol_before_anything(client, verifier, two_factor):
    response = client.post(
        LOGIN, {"username": verifier.username, "password": "petugas-rahasia-2026"}
    )
    home = reverse("accounts:officer_home")
    assert response.url == home
    response = client.get(home)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor_setup"))
    page = client.get(response.url)
    assert "data:image/svg+xml;base64," in page.text  # QR code from our origin
    device = TOTPDevice.objects.get(user=verifier, confirmed=False)
    response = client.post(response.url, {"token": totp_now(device), "next": home})
    assert response.url == home
    assert client.get(home).status_code == 200
    assert TOTPDevice.objects.get(user=verifier).confirmed


def test_staff_with_device_gives_the_code_and_lands_home(
    client, verifier, enrolled, two_factor
):
    device = enrolled(verifier)
    client.post(
        LOGIN, {"username": verifier.username, "password": "petugas-rahasia-2026"}
    )
    response = client.get(reverse("accounts:officer_home"))
    verify_url = response.url
    assert verify_url.startswith(reverse("accounts:two_factor_verify"))
    assert client.get("/api/v1/accounts/me/").status_code == 403
    assert client.get(reverse("admin:index")).status_code == 302
    response = client.post(verify_url, {"token": "000000"})
    assert response.status_code == 200  # wrong code: same page with the error
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post(verify_url, {"token": totp_now(device)})
    assert response.url == reverse("accounts:officer_home")
    assert client.get("/api/v1/accounts/me/").status_code == 200


def test_citizens_need_no_second_factor(client, citizen, two_factor):
    client.post(LOGIN, {"username": citizen.email, "password": PASSWORD})
    assert client.get(reverse("accounts:home")).status_code == 200


def test_enrolment_is_refused_once_a_device_exists(
    client, verifier, enrolled, two_factor
):
    """Someone with only the password cannot add their own authenticator."""
    enrolled(verifier)
    client.force_login(verifier)
    response = client.get(reverse("accounts:two_factor_setup"))
    assert response.url.startswith(reverse("accounts:two_factor_verify"))


@pytest.mark.parametrize(
    ("minutes_later", "logged_in"),
    [(29, True), (31, False)],
)
def test_staff_idle_timeout(client, verifier, settings, minutes_later, logged_in):
    settings.PTSP_STAFF_IDLE_MINUTES = 30
    start = dt.datetime(2026, 5, 4, 1, 0, tzinfo=dt.UTC)
    home = reverse("accounts:officer_home")
    with time_machine.travel(start, tick=False):
        client.post(
            LOGIN, {"username": verifier.username, "password": "petugas-rahasia-2026"}
        )
        assert client.get(home).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=minutes_later), tick=False):
        response = client.get(home)
    assert (response.status_code == 200) is logged_in
    if not logged_in:
        assert response.url.startswith(LOGIN)


def test_staff_absolute_timeout_despite_activity(client, verifier, settings):
    settings.PTSP_STAFF_IDLE_MINUTES = 30
    settings.PTSP_STAFF_MAX_SESSION_HOURS = 2
    start = dt.datetime(2026, 5, 4, 1, 0, tzinfo=dt.UTC)
    home = reverse("accounts:officer_home")
    with time_machine.travel(start, tick=False):
        client.post(
            LOGIN, {"username": verifier.username, "password": "petugas-rahasia-2026"}
        )
    for minutes in range(20, 120, 20):  # active every 20 minutes for 2 hours
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            assert client.get(home).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=121), tick=False):
        response = client.get(home)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_citizen_sessions_have_no_staff_timeout(client, citizen, settings):
    settings.PTSP_STAFF_IDLE_MINUTES = 30
    start = dt.datetime(2026, 5, 4, 1, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client.post(LOGIN, {"username": citizen.email, "password": PASSWORD})
    with time_machine.travel(start + dt.timedelta(hours=3), tick=False):
        assert client.get(reverse("accounts:home")).status_code == 200


def test_password_change_keeps_this_session_and_ends_the_others(client, citizen):
    phone = client.__class__()
    phone.post(LOGIN, {"username": citizen.email, "password": PASSWORD})
    client.post(LOGIN, {"username": citizen.email, "password": PASSWORD})
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password": "teh-manis-dingin-2026"},
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 200
    assert phone.get(reverse("accounts:home")).status_code == 302


def test_staff_land_on_the_home_of_their_role(client, make_staff, dinkes, auditor):
    head = make_staff(OfficerRole.AGENCY_HEAD, agency=dinkes)
    for user, home in (
        (head, reverse("accounts:officer_home")),
        (auditor, reverse("accounts:auditor_home")),
    ):
        c = client.__class__()
        response = c.post(
            LOGIN, {"username": user.username, "password": "petugas-rahasia-2026"}
        )
        assert response.url == home
        assert c.get(home).status_code == 200
