"""Fixtures for the notifications tests: users and a real SMTP server on loopback."""

import itertools

import pytest

from accounts.models import User
from tests.support.smtp import smtp_sink_running

_numbers = itertools.count(1)


@pytest.fixture
def make_user():
    def make(**fields) -> User:
        number = next(_numbers)
        fields.setdefault("username", f"warga{number}")
        fields.setdefault("email", f"warga{number}@example.org")
        fields.setdefault("preferred_language", "id")
        return User.objects.create(**fields)

    return make


@pytest.fixture
def smtp_sink():
    """A real SMTP server (aiosmtpd) on a free loopback port, for the test."""
    with smtp_sink_running() as sink:
        yield sink


@pytest.fixture
def smtp_mailer(settings, smtp_sink):
    """Point the default mailer at ``smtp_sink``."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": smtp_sink.host, "port": smtp_sink.port, "timeout": 5},
        }
    }
    return smtp_sink
