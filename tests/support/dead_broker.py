"""A Celery broker nobody listens on, for outage tests: a Redis URL on port 1,
set on the Celery app itself (the settings are read once at start-up)."""

import pytest

from ptsp.celery import app as celery_app


@pytest.fixture
def dead_broker():
    old = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        celery_app.conf.broker_url = old
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
