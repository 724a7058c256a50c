"""Channel senders: deliver one rendered notification, or say why not.

Each sender raises ``PermanentFailure`` when retrying cannot help (an invalid
address, a 5xx SMTP reply) and ``TemporaryFailure`` when it may (the server is
unreachable, a 4xx reply). SMS and WhatsApp senders join ``SENDERS`` later.
"""

import smtplib
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email

from .choices import Channel
from .models import Notification


class DeliveryFailure(Exception):
    """Base of the two outcomes a sender may raise."""


class PermanentFailure(DeliveryFailure):
    """Retrying cannot help; the notification ends ``permanent_failure``."""


class TemporaryFailure(DeliveryFailure):
    """Retry later with backoff."""


def message_id_domain() -> str:
    """Right-hand side of our ``Message-ID``s: the portal's host name."""
    return settings.NOTIFICATIONS_MESSAGE_ID_DOMAIN or (
        urlsplit(settings.PORTAL_BASE_URL).hostname or "localhost"
    )


def send_email(notification: Notification, subject: str, body: str) -> None:
    """Send through the ``MAILERS`` alias ``settings.NOTIFICATIONS_MAILER``.

    Headers: ``Message-ID: <idempotency key@portal host>`` and
    ``X-Idempotency-Key``, identical on every attempt, so that a receiver drops
    duplicates; ``Auto-Submitted: auto-generated`` (RFC 3834) stops auto-replies.
    """
    address = notification.address
    try:
        validate_email(address)
    except ValidationError:
        raise PermanentFailure(f"Invalid e-mail address {address!r}.") from None
    key = notification.idempotency_key
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[address],
        headers={
            "Message-ID": f"<{key}@{message_id_domain()}>",
            "X-Idempotency-Key": key,
            "X-PTSP-Event": notification.event,
            "Auto-Submitted": "auto-generated",
        },
    )
    try:
        message.send(using=settings.NOTIFICATIONS_MAILER)
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _reply in error.recipients.values()]
        if codes and all(500 <= code < 600 for code in codes):
            raise PermanentFailure(f"Recipient refused: {error.recipients}") from error
        raise TemporaryFailure(f"Recipient deferred: {error.recipients}") from error
    except smtplib.SMTPResponseException as error:
        reply = f"SMTP {error.smtp_code}: {error.smtp_error!r}"
        if 500 <= error.smtp_code < 600:
            raise PermanentFailure(reply) from error
        raise TemporaryFailure(reply) from error
    except (smtplib.SMTPException, OSError) as error:
        raise TemporaryFailure(f"{type(error).__name__}: {error}") from error
    except ValueError as error:  # Django refuses the address (e.g. CR/LF, non-ASCII)
        raise PermanentFailure(f"Invalid e-mail address: {error}") from error


def send_in_app(notification: Notification, subject: str, body: str) -> None:
    """The inbox is the row itself: storing the rendered text delivers it."""


SENDERS: dict[str, Callable[[Notification, str, str], None]] = {
    Channel.EMAIL: send_email,
    Channel.IN_APP: send_in_app,
}
