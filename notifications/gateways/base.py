"""The adapter interface every SMS or WhatsApp gateway implements."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from notifications.failures import TemporaryFailure


@dataclass(frozen=True)
class OutboundMessage:
    """One message to hand to a gateway.

    ``to`` is E.164 (``+628…``). ``idempotency_key`` is the same on every attempt
    of the same notification: the gateway must not send twice for one key.
    Either ``text`` (SMS; WhatsApp inside the 24-hour window) or a WhatsApp
    ``template`` with its ``template_language`` and ordered ``parameters``.
    """

    channel: str
    to: str
    idempotency_key: str
    event: str
    text: str = ""
    template: str = ""
    template_language: str = ""
    parameters: tuple[str, ...] = ()


@dataclass(frozen=True)
class SendResult:
    """The gateway accepted the message: its reference, for delivery reports."""

    message_id: str


@dataclass(frozen=True)
class CallbackReport:
    """One verified report from a gateway.

    ``kind`` is ``status`` (about a message we sent, named by ``reference``, our
    idempotency key, or the gateway's ``message_id``) or ``inbound`` (a citizen
    wrote to us from ``phone``: the WhatsApp window opens). ``status`` is one of
    ``sent``, ``delivered``, ``read`` or ``failed`` (with ``error_code``).
    ``window_closes_at`` is the end of the WhatsApp window when the gateway says
    it. ``payload`` is the report without any message text.
    """

    event_id: str
    kind: str
    reference: str = ""
    message_id: str = ""
    status: str = ""
    error_code: str = ""
    error: str = ""
    phone: str = ""
    occurred_at: datetime | None = None
    window_closes_at: datetime | None = None
    payload: dict[str, Any] = field(default_factory=dict)


class InvalidCallback(Exception):
    """A callback is refused: ``status_code`` 403 (forged signature) or 400
    (malformed, or signed too long ago: a replay)."""

    def __init__(self, message: str, *, status_code: int = 400) -> None:
        super().__init__(message)
        self.status_code = status_code


class WindowClosed(TemporaryFailure):
    """WhatsApp refused free text: the 24-hour window is closed. The next attempt
    uses the event's approved template."""


class Gateway:
    """Base of the adapters. Configured from ``NOTIFICATIONS_GATEWAYS[channel]``.

    ``send`` raises ``notifications.failures.PermanentFailure`` when retrying
    cannot help (an invalid number, a rejected template) and
    ``TemporaryFailure`` when it may (5xx, timeouts, rate limits).
    ``parse_callback`` verifies and decodes the gateway's callbacks, raising
    ``InvalidCallback``.
    """

    def __init__(
        self,
        *,
        channel: str,
        url: str = "",
        token: str = "",
        callback_secrets: list[str] | tuple[str, ...] = (),
        sender: str = "",
        timeout: float = 10.0,
        **options: Any,
    ) -> None:
        self.channel = channel
        self.url = url
        self.token = token
        self.callback_secrets = [s for s in callback_secrets if s]
        self.sender = sender
        self.timeout = timeout
        self.options = options

    @property
    def configured(self) -> bool:
        """Whether messages can be sent (a URL is set)."""
        return bool(self.url)

    def send(self, message: OutboundMessage) -> SendResult:
        raise NotImplementedError

    def parse_callback(
        self, *, body: bytes, headers: Mapping[str, str], now: datetime
    ) -> CallbackReport:
        raise NotImplementedError


def get_gateway(channel: str) -> Gateway | None:
    """The adapter configured for ``channel`` (``sms`` or ``whatsapp``), or None
    when that channel has no gateway."""
    config = settings.NOTIFICATIONS_GATEWAYS.get(channel)
    if not config or not config.get("ADAPTER"):
        return None
    adapter = import_string(config["ADAPTER"])
    return adapter(
        channel=channel,
        url=config.get("URL", ""),
        token=config.get("TOKEN", ""),
        callback_secrets=config.get("CALLBACK_SECRETS", ()),
        sender=config.get("SENDER", ""),
        timeout=settings.NOTIFICATIONS_GATEWAY_TIMEOUT,
        **config.get("OPTIONS", {}),
    )


def channel_available(channel: str) -> bool:
    """Whether ``channel`` can send now: e-mail and in-app always; SMS and
    WhatsApp when a gateway is configured. For example accounts offers codes by
    SMS only when ``channel_available("sms")``."""
    if channel not in settings.NOTIFICATIONS_GATEWAYS:
        return channel in ("email", "in_app")
    gateway = get_gateway(channel)
    return gateway is not None and gateway.configured
