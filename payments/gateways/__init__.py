"""Payment gateway adapters. ``get_gateway()`` returns the configured one
(``settings.PAYMENTS_GATEWAY``, a dotted path); the generic HMAC protocol is
in ``protocol`` and described in ``docs/payments.md``."""

from django.conf import settings
from django.utils.module_loading import import_string

from .protocol import CallbackMessage, GenericHmacGateway, MalformedMessage

__all__ = ["CallbackMessage", "GenericHmacGateway", "MalformedMessage", "get_gateway"]


def get_gateway() -> GenericHmacGateway:
    return import_string(settings.PAYMENTS_GATEWAY)()
