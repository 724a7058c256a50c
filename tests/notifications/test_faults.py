"""Fault tests with the real parts: a test-owned Redis as broker, a real Celery
worker process on the test database, and a real SMTP server on loopback.

Nothing the portal promised is lost and nothing arrives twice per idempotency key,
(1) when the broker is down while 200 transactions commit, and (2) when the worker
is killed with SIGKILL in the middle of a batch.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings as django_settings
from django.db import connection, transaction
from django.utils import timezone

import pytest

from accounts.models import User
from audit.services import audit_record
from notifications import services
from notifications.choices import DeliveryStatus
from notifications.delivery import LEASE_EXPIRED
from notifications.models import Notification, NotificationAttempt
from notifications.services import notifications_redrive, notify
from ptsp.celery import app as celery_app
from tests.notifications.conftest import free_port

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

BASE_DIR = Path(django_settings.BASE_DIR)
BATCH = 200


def _wait_for(condition, *, timeout: float, step: float = 0.2, what: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class RedisServer:
    """A redis-server process owned by the test, on its own port, stoppable."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for(self._answers, timeout=10, what="redis-server")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False


@pytest.fixture
def redis_server():
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed (apt-get install redis-server)")
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


class Worker:
    """``celery -A ptsp worker`` as a process group on the test database."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "ptsp",
                    "worker",
                    "--pool=prefork",
                    "--concurrency=2",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--loglevel=INFO",
                    f"--hostname=fault-{time.monotonic_ns()}@%h",
                ],
                cwd=BASE_DIR,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, for killpg
            )
        _wait_for(
            lambda: (
                b"ready." in self.log.read_bytes()[offset:]
                or self.process.poll() is not None
            ),
            timeout=60,
            what="the worker to be ready",
        )
        assert self.process.poll() is None, self.log.read_text()[-3000:]

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and its pool children)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@pytest.fixture
def worker(broker, smtp_sink, tmp_path):
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
    }
    process = Worker(env, tmp_path / "worker.log")
    try:
        yield process
    finally:
        process.stop()


def _recipients(count: int) -> list[User]:
    User.objects.bulk_create(
        User(
            username=f"fault{i}",
            email=f"fault{i}@example.org",
            preferred_language="en" if i % 3 == 0 else "id",
        )
        for i in range(count)
    )
    return list(User.objects.filter(username__startswith="fault").order_by("pk"))


@transaction.atomic(durable=True)
def _issue_code(user: User, number: int) -> None:
    """A stand-in for a real notifying change: an audited change and its one-time
    code commit together."""
    audit_record(action="account.otp_issue", obj=user)
    notify(
        event="account.otp",
        recipient=user,
        context={"code": f"{number:06d}", "purpose": "login"},
        dedupe_key=f"challenge-{number}",
    )


def _delivered() -> int:
    return Notification.objects.filter(status=DeliveryStatus.DELIVERED).count()


def _assert_one_message_per_key(smtp_sink, *, allowed_duplicates: int = 0) -> None:
    keys = smtp_sink.keys()
    expected = {str(key) for key in Notification.objects.values_list("uuid", flat=True)}
    assert len(expected) == BATCH
    assert set(keys) == expected  # every promised message arrived ...
    assert len(keys) - len(set(keys)) <= allowed_duplicates  # ... at least once
    assert not Notification.objects.exclude(status=DeliveryStatus.DELIVERED).exists()


def test_broker_outage_loses_nothing_and_sends_each_message_once(
    broker, worker, smtp_sink
):
    users = _recipients(BATCH)
    broker.stop()

    started = time.monotonic()
    for number, user in enumerate(users):
        _issue_code(user, number)  # raises on any failure: every one must succeed
    committing = time.monotonic() - started

    assert Notification.objects.filter(status=DeliveryStatus.QUEUED).count() == BATCH
    # The failed hand-off left every row for the re-drive, nothing was sent.
    assert not Notification.objects.filter(handed_off_at__isnull=False).exists()
    assert smtp_sink.messages == []
    # Publishing paused after the first failure instead of costing each request the
    # connection timeout (2 s): 200 commits take far less than 200 timeouts.
    assert committing < BATCH * django_settings.CELERY_BROKER_CONNECTION_TIMEOUT / 4

    broker.start()
    recovered_at = timezone.now()
    worker.start()
    assert notifications_redrive() == BATCH  # what beat runs every minute
    _wait_for(lambda: _delivered() == BATCH, timeout=60, what="all deliveries")

    _assert_one_message_per_key(smtp_sink)
    assert len(smtp_sink.messages) == BATCH
    assert not Notification.objects.filter(delivered_at__lt=recovered_at).exists()
    attempts = {n.attempt_count for n in Notification.objects.all()}
    assert attempts == {1}


def test_worker_killed_mid_batch_loses_nothing(broker, worker, smtp_sink):
    # A slow server: a message is stored 50 ms before its "250", so the kill most
    # likely lands between the server keeping a message and the worker recording
    # it, the case that forces a second copy with the same key.
    smtp_sink.delay = 0.05
    users = _recipients(BATCH)
    worker.start()
    for number, user in enumerate(users):
        _issue_code(user, number)  # handed to the broker after each commit

    _wait_for(
        lambda: (
            _delivered() >= 20
            and Notification.objects.filter(status=DeliveryStatus.SENDING).exists()
        ),
        timeout=60,
        step=0.02,
        what="the batch to be under way",
    )
    worker.kill()
    delivered_at_kill = _delivered()
    assert delivered_at_kill < BATCH, "the kill came too late to test anything"
    orphaned = set(
        Notification.objects.filter(status=DeliveryStatus.SENDING).values_list(
            "pk", flat=True
        )
    )

    worker.start()

    def redriven_and_done() -> bool:
        notifications_redrive()  # picks rows the dead worker held, once leases end
        return _delivered() == BATCH

    _wait_for(redriven_and_done, timeout=60, step=1.0, what="all deliveries")

    # At-least-once: a message the dead worker sent but could not record may
    # arrive again, with the same idempotency key (at most one per pool process).
    _assert_one_message_per_key(smtp_sink, allowed_duplicates=2)
    # The dead worker's claims expired and another worker took them over.
    expired = NotificationAttempt.objects.filter(
        error=LEASE_EXPIRED, status=DeliveryStatus.TEMPORARY_FAILURE
    )
    assert orphaned
    assert set(expired.values_list("notification_id", flat=True)) >= orphaned
