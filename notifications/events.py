"""The events the portal notifies about, their safe variables and default texts.

An event is declared once, here or from another app's ``AppConfig.ready()`` with
``register_event(Event(...))``. Its default texts seed ``NotificationTemplate`` rows
after ``migrate`` (admins may then edit them); a missing row falls back to these
defaults. Callers send with ``notifications.services.notify(event=..., ...)``.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from .choices import MESSAGE_CHANNELS, Channel

#: ``{language: (subject, body)}``; both are sandboxed Django templates.
Texts = dict[str, tuple[str, str]]


@dataclass(frozen=True)
class Event:
    """One kind of notification.

    ``variables`` are the only names its templates may use and its callers may
    pass; ``sample`` fills them for the admin preview. ``sensitive`` variables
    (one-time codes, sign-in links) are redacted from the stored row, its text and
    the admin once the notification is final, and such a notification is never
    resent. ``channels`` are the default channels of ``notify``; when they
    include a message channel (e-mail, SMS, WhatsApp), ``notify`` sends the
    message on the recipient's own channel order instead (see ``notify``).
    ``texts`` holds the default subject and body per language for every channel
    (an SMS carries only the body); ``channel_texts`` overrides them per channel.
    ``urgent`` events go by SMS and WhatsApp even in quiet hours
    (``notifications.quiet``).
    """

    name: str
    label: Promise | str
    variables: tuple[str, ...]
    sample: dict[str, Any]
    texts: Texts
    channels: tuple[str, ...] = (Channel.EMAIL, Channel.IN_APP)
    channel_texts: dict[str, Texts] = field(default_factory=dict)
    sensitive: tuple[str, ...] = ()
    urgent: bool = False

    @property
    def message_channels(self) -> tuple[str, ...]:
        """The declared message channels, in the declared order."""
        return tuple(c for c in self.channels if c in MESSAGE_CHANNELS)

    @property
    def text_channels(self) -> tuple[str, ...]:
        """Every channel this event may be sent on, so needs a text for: its
        declared channels, and all message channels when it has a message."""
        extra = MESSAGE_CHANNELS if self.message_channels else ()
        return tuple(dict.fromkeys((*self.channels, *extra)))

    def default_text(self, channel: str, language: str) -> tuple[str, str]:
        """Default ``(subject, body)``; falls back to Indonesian, the first
        language."""
        texts = self.channel_texts.get(channel, self.texts)
        return texts.get(language) or texts["id"]


class UnknownEvent(LookupError):
    """No event of that name is registered."""


_REGISTRY: dict[str, Event] = {}


def register_event(event: Event) -> Event:
    """Add ``event`` to the registry (idempotent for the same object).

    Raises ``ValueError`` when another event already has that name, when a
    language lacks a text, or when ``sample`` does not fill every variable.
    """
    existing = _REGISTRY.get(event.name)
    if existing is not None and existing != event:
        raise ValueError(f"Event {event.name!r} is already registered.")
    if set(event.sample) != set(event.variables):
        raise ValueError(f"Event {event.name!r}: sample must fill every variable.")
    if not set(event.sensitive) <= set(event.variables):
        raise ValueError(f"Event {event.name!r}: sensitive names must be variables.")
    for texts in (event.texts, *event.channel_texts.values()):
        if not {"id", "en"} <= set(texts):
            raise ValueError(f"Event {event.name!r}: texts need 'id' and 'en'.")
    _REGISTRY[event.name] = event
    return event


def get_event(name: str) -> Event:
    """The registered event ``name``; raises ``UnknownEvent``."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownEvent(f"Unknown notification event {name!r}.") from None


def all_events() -> list[Event]:
    """Every registered event, by name."""
    return sorted(_REGISTRY.values(), key=lambda event: event.name)


# The catalogue registers the portal's events; imported last (it uses the above).
from . import catalogue  # noqa: E402, F401
