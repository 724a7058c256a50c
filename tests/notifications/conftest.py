"""Fixtures for the notifications tests: users, a real SMTP server on loopback,
and for the fault tests a test-owned redis-server and a real Celery worker process
(the loopback SMS/WhatsApp gateway is ``gateway`` in ``tests/conftest.py``)."""

import asyncio
import email
import email.policy
import itertools
import os
import shutil
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings as django_settings
from django.db import connection

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from accounts.models import User
from notifications import services
from ptsp.celery import app as celery_app
from tests.support.processes import CeleryWorker as Worker
from tests.support.processes import RedisServer

BASE_DIR = Path(django_settings.BASE_DIR)

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


# --- Fault tests: a broker and a worker of our own --------------------------------
# The processes themselves live in tests/support/processes.py (shared with the
# benchmarks); these fixtures point them at the test database.


@pytest.fixture
def redis_server():
    if shutil.which("redis-server") is None:
        reason = "needs the redis-server program (apt-get install redis-server)"
        if os.environ.get("PTSP_REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    server = RedisServer(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def broker(redis_server, settings):
    """Point this process's Celery app at the test-owned Redis."""
    settings.NOTIFICATIONS_REDRIVE_GRACE_SECONDS = 1
    old_url = celery_app.conf.broker_url
    celery_app.conf.broker_url = redis_server.url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    services._publish_paused_until = 0.0
    try:
        yield redis_server
    finally:
        celery_app.conf.broker_url = old_url
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
        services._publish_paused_until = 0.0


@pytest.fixture
def worker_env_extra() -> dict[str, str]:
    """Extra environment of the worker process; a test module overrides it."""
    return {}


@pytest.fixture
def worker(broker, smtp_sink, tmp_path, worker_env_extra):
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
        f":{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ptsp.settings.dev",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": broker.url,
        "CELERY_BROKER_URL": broker.url,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": smtp_sink.host,
        "EMAIL_PORT": str(smtp_sink.port),
        "EMAIL_USE_TLS": "false",
        "NOTIFICATIONS_LEASE_SECONDS": "3",
        "LOG_LEVEL": "WARNING",
        **worker_env_extra,
    }
    process = Worker(env, tmp_path / "worker.log")
    try:
        yield process
    finally:
        process.stop()
