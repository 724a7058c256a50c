"""Channel senders: deliver one rendered notification, or say why not.

Each sender raises ``PermanentFailure`` when retrying cannot help (an invalid
address or number, a 5xx SMTP reply, no approved WhatsApp template) and
``TemporaryFailure`` when it may (the server is unreachable or times out, a 4xx
SMTP or 5xx HTTP reply). A sender returns the gateway's message id when the
message was only handed to a gateway (SMS, WhatsApp: the notification is then
``sent`` until the delivery report), else None.
"""

import smtplib
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.utils import timezone

from .choices import Channel
from .failures import DeliveryFailure, PermanentFailure, TemporaryFailure
from .gateways import OutboundMessage, WindowClosed, get_gateway
from .models import Notification, WhatsAppConversation, WhatsAppTemplate
from .phones import phone_normalise
from .rendering import render_text
from .variables import context_decode

__all__ = [
    "SENDERS",
    "DeliveryFailure",
    "PermanentFailure",
    "TemporaryFailure",
    "send_email",
    "send_in_app",
    "send_sms",
    "send_whatsapp",
]

#: WhatsApp's customer-service window after the citizen's last message.
WHATSAPP_WINDOW = timedelta(hours=24)


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


def _phone_and_gateway(notification: Notification):
    try:
        phone = phone_normalise(notification.address)
    except ValidationError:
        raise PermanentFailure(
            f"Invalid phone number {notification.address!r}."
            if notification.address
            else "No verified phone number."
        ) from None
    gateway = get_gateway(notification.channel)
    if gateway is None or not gateway.configured:
        raise PermanentFailure(f"No {notification.channel} gateway is configured.")
    return phone, gateway


def send_sms(notification: Notification, subject: str, body: str) -> str:
    """Hand the body (an SMS has no subject) to the SMS gateway; return its
    message id. The idempotency key goes with every attempt."""
    phone, gateway = _phone_and_gateway(notification)
    result = gateway.send(
        OutboundMessage(
            channel=Channel.SMS,
            to=phone,
            idempotency_key=notification.idempotency_key,
            event=notification.event,
            text=body,
        )
    )
    return result.message_id


def whatsapp_window_open(phone: str, *, now=None) -> bool:
    """Whether free text may go to ``phone``: the citizen wrote to us in the
    last 24 hours (or the gateway said the window is open)."""
    now = now or timezone.now()
    return WhatsAppConversation.objects.filter(
        phone=phone, window_closes_at__gt=now
    ).exists()


def whatsapp_parameters(
    notification: Notification, template: WhatsAppTemplate
) -> tuple[str, ...]:
    """The template's parameters, in order, as text in the notification's
    language: amounts with thousands separators, times in WIB."""
    context = context_decode(notification.context, language=notification.language)
    values = []
    for name in template.parameters:
        value = context.get(name, "")
        source = "{{ value }}"
        if hasattr(value, "hour"):
            source = '{{ value|date:"j F Y, H:i" }} WIB'
        elif hasattr(value, "year"):
            source = '{{ value|date:"j F Y" }}'
        elif hasattr(value, "as_tuple"):
            source = "{{ value|intcomma }}"
        values.append(
            render_text(
                source, context={"value": value}, language=notification.language
            ).strip()
        )
    return tuple(values)


def send_whatsapp(notification: Notification, subject: str, body: str) -> str:
    """Inside the 24-hour window: the subject and body as free text. Outside it:
    the event's approved template (``WhatsAppTemplate``) with its parameters;
    without one the message cannot go (permanent: it falls back). A gateway
    that says the window is closed after all closes it here, and the retry uses
    the template."""
    phone, gateway = _phone_and_gateway(notification)
    message = {
        "channel": Channel.WHATSAPP,
        "to": phone,
        "idempotency_key": notification.idempotency_key,
        "event": notification.event,
    }
    if whatsapp_window_open(phone):
        message["text"] = f"*{subject}*\n\n{body}" if subject else body
    else:
        template = WhatsAppTemplate.objects.filter(
            event=notification.event, language=notification.language, is_active=True
        ).first()
        if template is None:
            raise PermanentFailure(
                f"No approved WhatsApp template for {notification.event} "
                f"({notification.language}), and the conversation window is closed."
            )
        message |= {
            "template": template.name,
            "template_language": template.provider_language,
            "parameters": whatsapp_parameters(notification, template),
        }
    try:
        result = gateway.send(OutboundMessage(**message))
    except WindowClosed:
        WhatsAppConversation.objects.filter(phone=phone).update(
            window_closes_at=timezone.now()
        )
        raise
    return result.message_id


SENDERS: dict[str, Callable[[Notification, str, str], str | None]] = {
    Channel.EMAIL: send_email,
    Channel.IN_APP: send_in_app,
    Channel.SMS: send_sms,
    Channel.WHATSAPP: send_whatsapp,
}
