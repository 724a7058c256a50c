"""A gateway for development (``make run``): logs each message instead of sending
it, like Django's console e-mail backend, so a one-time code can be read in the
worker's output. Accepts no callbacks."""

import logging
from collections.abc import Mapping
from datetime import datetime

from .base import CallbackReport, Gateway, InvalidCallback, OutboundMessage, SendResult

logger = logging.getLogger(__name__)


class ConsoleGateway(Gateway):
    @property
    def configured(self) -> bool:
        return True

    def send(self, message: OutboundMessage) -> SendResult:
        logger.warning(
            "%s to %s [%s]: %s",
            message.channel.upper(),
            message.to,
            message.idempotency_key,
            message.text or f"template {message.template} {list(message.parameters)}",
        )
        return SendResult(message_id=f"console-{message.idempotency_key}")

    def parse_callback(
        self, *, body: bytes, headers: Mapping[str, str], now: datetime
    ) -> CallbackReport:
        raise InvalidCallback(
            "The console gateway accepts no callbacks.", status_code=403
        )
