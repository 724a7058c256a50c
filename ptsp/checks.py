"""System checks for things Django's own checks do not know about."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_broker_not_embedded(app_configs, **kwargs):
    """Production needs a real broker: the filesystem broker is for one machine."""
    if settings.CELERY_BROKER_URL.startswith(("filesystem://", "memory://")):
        return [
            Error(
                "CELERY_BROKER_URL points at an embedded broker.",
                hint="Set REDIS_URL (or CELERY_BROKER_URL) to a Redis server.",
                id="ptsp.E001",
            )
        ]
    return []
