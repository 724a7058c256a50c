"""Quiet hours: no SMS or WhatsApp message at night, in WIB.

``NOTIFICATIONS_QUIET_HOURS`` is ``"HH:MM-HH:MM"`` in Asia/Jakarta (default
``21:00-06:00``; empty turns quiet hours off), a half-open interval
``[start, end)`` that may wrap past midnight. It applies to the channels in
``NOTIFICATIONS_QUIET_CHANNELS`` (default SMS and WhatsApp): e-mail and the inbox
do not wake anyone. Events marked ``urgent`` (one-time codes, "your turn is
near", a called ticket, SLA breaches) go at any hour. A held message keeps its
place in the outbox with ``next_attempt_at`` at the end of quiet hours, and the
re-drive sends it then.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

WIB = ZoneInfo("Asia/Jakarta")


def quiet_window() -> tuple[time, time] | None:
    """``(start, end)`` in WIB from the setting, or None when quiet hours are off.

    Raises ``ImproperlyConfigured`` for a malformed value.
    """
    raw = (settings.NOTIFICATIONS_QUIET_HOURS or "").strip()
    if not raw:
        return None
    try:
        start, end = (time.fromisoformat(part.strip()) for part in raw.split("-"))
    except ValueError:
        raise ImproperlyConfigured(
            f"NOTIFICATIONS_QUIET_HOURS must be HH:MM-HH:MM, not {raw!r}."
        ) from None
    return (start, end) if start != end else None


def quiet_hours_end(at: datetime) -> datetime | None:
    """The end of the quiet hours that contain the aware instant ``at`` (aware,
    in WIB), or None when ``at`` is outside them."""
    window = quiet_window()
    if window is None:
        return None
    start, end = window
    local = at.astimezone(WIB)
    clock = local.time()
    if start < end:
        inside = start <= clock < end
        end_day = local.date()
    else:  # wraps midnight, e.g. 21:00-06:00
        inside = clock >= start or clock < end
        end_day = local.date() + timedelta(days=1) if clock >= start else local.date()
    if not inside:
        return None
    return datetime.combine(end_day, end, tzinfo=WIB)


def is_held(*, channel: str, urgent: bool) -> bool:
    """Whether quiet hours apply to a message of this channel and urgency."""
    return not urgent and channel in settings.NOTIFICATIONS_QUIET_CHANNELS


def release_at(*, channel: str, urgent: bool, now: datetime) -> datetime:
    """When a message may go: ``now``, or the end of the current quiet hours."""
    if not is_held(channel=channel, urgent=urgent):
        return now
    return quiet_hours_end(now) or now
