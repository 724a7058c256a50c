"""HTTP gateways for SMS and WhatsApp: pluggable adapters chosen in settings.

``NOTIFICATIONS_GATEWAYS[channel]`` names the adapter class (``ADAPTER``), the
provider's ``URL`` and ``TOKEN``, the secrets its callbacks are signed with
(``CALLBACK_SECRETS``) and the ``SENDER`` (SMS sender id or WhatsApp number).
The portal ships ``GenericJsonGateway`` (the protocol in the README, "SMS and
WhatsApp") and ``ConsoleGateway`` for development; an adapter for a particular
provider subclasses ``Gateway``.
"""

from .base import (
    CallbackReport,
    Gateway,
    InvalidCallback,
    OutboundMessage,
    SendResult,
    WindowClosed,
    channel_available,
    get_gateway,
)
from .generic import GenericJsonGateway
from .signing import signature_header, signature_verify

__all__ = [
    "CallbackReport",
    "Gateway",
    "GenericJsonGateway",
    "InvalidCallback",
    "OutboundMessage",
    "SendResult",
    "WindowClosed",
    "channel_available",
    "get_gateway",
    "signature_header",
    "signature_verify",
]
