"""Which channel a message takes: the recipient's order, the addresses they can
be reached at, and the event's defaults. Reads only; ``services`` writes."""

from .choices import MESSAGE_CHANNELS, PHONE_CHANNELS, Channel
from .events import Event
from .models import ContactPoint


def contact_for(user) -> ContactPoint | None:
    """``user``'s contact point, or None when they never set one."""
    return ContactPoint.objects.filter(user=user).first()


def channel_address(*, recipient, channel: str, contact: ContactPoint | None) -> str:
    """Where ``channel`` reaches ``recipient``: their e-mail address, their
    *verified* phone number for SMS and WhatsApp, ``""`` for the inbox or when
    they cannot be reached there."""
    if channel == Channel.EMAIL:
        return recipient.email or ""
    if channel in PHONE_CHANNELS:
        return contact.verified_phone if contact is not None else ""
    return ""


def message_route(
    *, recipient, event: Event, contact: ContactPoint | None
) -> list[str]:
    """The message channels to try for ``event``, first choice first.

    The recipient's order (``ContactPoint.channels``) when they chose one, else
    the event's declared message channels; kept only where they can be reached
    (an e-mail address, a verified phone). When nothing is left and the event
    is an e-mail event, e-mail all the same, so that the failure shows in the
    delivery log. Empty for events without a message (in-app only).
    """
    declared = event.message_channels
    if not declared:
        return []
    chosen = contact.channels if contact is not None and contact.channels else declared
    route = [
        channel
        for channel in dict.fromkeys(chosen)
        if channel in MESSAGE_CHANNELS
        and channel_address(recipient=recipient, channel=channel, contact=contact)
    ]
    if not route and declared[0] == Channel.EMAIL:
        route = [Channel.EMAIL]
    return route
