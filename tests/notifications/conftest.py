"""Fixtures for the notifications tests: users and a real SMTP server on loopback."""

import asyncio
import email
import email.policy
import itertools
import socket
import threading
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from accounts.models import User

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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class SmtpSink:
    """Messages received by the loopback SMTP server, as parsed e-mails.

    ``refuse`` maps an address to an SMTP reply (e.g. ``"550 5.1.1 No such
    user"``) given at ``RCPT TO``. With ``hold_after`` set, every message after
    that many is stored but its final "250" is held back until ``release`` is
    set: the sender is stuck between "the server has it" and "I know it".
    """

    host: str = "127.0.0.1"
    port: int = 0
    messages: list = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    hold_after: int | None = None
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope: Envelope):
        message = email.message_from_bytes(
            envelope.content, policy=email.policy.default
        )
        with self.lock:
            self.messages.append(message)
            held = self.hold_after is not None and len(self.messages) > self.hold_after
        while held and not self.release.is_set():
            await asyncio.sleep(0.01)
        return "250 Message accepted for delivery"

    def keys(self) -> list[str]:
        with self.lock:
            return [m["X-Idempotency-Key"] for m in self.messages]


@pytest.fixture
def smtp_sink():
    """A real SMTP server (aiosmtpd) on a free loopback port, for the test."""
    sink = SmtpSink(port=free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        sink.release.set()
        controller.stop()


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


@pytest.fixture
def make_citizen(make_user):
    """A user with a verified phone and a channel order, e.g. ``["sms", "email"]``."""
    from django.utils import timezone

    from notifications.models import ContactPoint

    def make(*, phone="+6281234567890", channels=("sms", "email"), **fields):
        user = make_user(**fields)
        ContactPoint.objects.create(
            user=user,
            phone=phone,
            phone_verified_at=timezone.now() if phone else None,
            channels=list(channels),
        )
        return user

    return make
