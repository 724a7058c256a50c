"""Suite-wide fixtures and the service gate.

Tests marked ``postgres`` or ``redis`` need the real server. When it is not reachable
they are skipped with a reason (listed by ``-rs`` at the end of the run); with
``PTSP_REQUIRE_SERVICES=1`` (CI) such a skip becomes a failure instead.
"""

import os

from django.db.backends.signals import connection_created

import pytest
from hypothesis import settings as hypothesis_settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

#: The workflow fixtures (agencies, citizen, officers, login) every folder shares.
pytest_plugins = ["tests.support.fixtures"]

REQUIRE_SERVICES = os.environ.get("PTSP_REQUIRE_SERVICES") == "1"

# Property tests: no deadline (a timing assert in disguise, flaky on a busy CI
# machine). "ci" is reproducible and keeps the suite fast; "dev" explores new
# examples each run; "thorough" for a long local run before touching the SLA maths.
# Pick one with HYPOTHESIS_PROFILE; CI (PTSP_REQUIRE_SERVICES=1) uses "ci".
hypothesis_settings.register_profile(
    "ci", max_examples=60, deadline=None, derandomize=True, database=None
)
hypothesis_settings.register_profile("dev", max_examples=60, deadline=None)
hypothesis_settings.register_profile("thorough", max_examples=3000, deadline=None)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if REQUIRE_SERVICES else "dev")
)


def _allow_flush_of_audit_tables(sender, connection, **kwargs) -> None:
    """Transactional tests end with a TRUNCATE of every table; on PostgreSQL the
    audit tables refuse TRUNCATE unless the session opts in (audit migration 0003).
    Only the test suite's connections do."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET ptsp.audit_allow_truncate = 'on'")


connection_created.connect(_allow_flush_of_audit_tables)


def _service_missing(item) -> str | None:
    from django.conf import settings

    if item.get_closest_marker("postgres") and not settings.IS_POSTGRES:
        return "needs PostgreSQL (none reachable: running on SQLite)"
    if item.get_closest_marker("redis") and not settings.REDIS_URL:
        return "needs Redis (none reachable)"
    return None


def pytest_runtest_setup(item):
    reason = _service_missing(item)
    if reason is None:
        return
    if REQUIRE_SERVICES:
        pytest.fail(
            f"{reason}; PTSP_REQUIRE_SERVICES=1 forbids skipping", pytrace=False
        )
    pytest.skip(reason)


@pytest.fixture
def redis_url(settings) -> str:
    """The Redis URL the suite runs against (a test database number)."""
    return settings.REDIS_URL


@pytest.fixture
def gateway(settings):
    """A fake SMS/WhatsApp gateway on loopback, configured for both channels."""
    from tests.notifications.fake_gateway import (
        SECRET,
        TOKEN,
        FakeGateway,
        GatewayServer,
    )

    with GatewayServer(FakeGateway()) as fake:
        settings.NOTIFICATIONS_GATEWAYS = {
            channel: {
                "ADAPTER": "notifications.gateways.GenericJsonGateway",
                "URL": f"{fake.url}/{channel}",
                "TOKEN": TOKEN,
                "CALLBACK_SECRETS": [SECRET],
                "SENDER": "PTSP TNG",
            }
            for channel in ("sms", "whatsapp")
        }
        settings.NOTIFICATIONS_GATEWAY_TIMEOUT = 0.5
        settings.NOTIFICATIONS_QUIET_HOURS = ""  # tests of quiet hours turn them on
        yield fake


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Pages cached by an earlier test (another database state) are stale
    for this one: new stamps (ptsp.pagecache) before each test."""
    from ptsp.pagecache import stamp_bump_all

    stamp_bump_all()
