"""Routes of the walk-in queue. Office pages need a counter, ticket or
booking: their checks live in the queueing tests."""

from .rules import Rule, public, signed_in

_elsewhere = "tests/queueing/test_views.py"
_api = "tests/queueing/test_api.py"

RULES = {
    "queueing:offices": public(),
    "queueing:ticket": Rule(elsewhere=_elsewhere),
    "queueing:ticket-status": Rule(elsewhere=_elsewhere),
    "queueing:counters": Rule(elsewhere="tests/queueing/test_counter_work.py"),
    "queueing:counter": Rule(elsewhere="tests/queueing/test_counter_work.py"),
    "queueing:counter-action": Rule(elsewhere="tests/queueing/test_counter_work.py"),
    "queueing:bookings": signed_in(),
    "queueing:booking": Rule(elsewhere="tests/queueing/test_booking.py"),
    "queueing:booking-cancel": Rule(elsewhere="tests/queueing/test_booking.py"),
    "queueing:kiosk": Rule(elsewhere=_elsewhere),
    "queueing:board": Rule(elsewhere=_elsewhere),
    "queueing:board-calls": Rule(elsewhere=_elsewhere),
    "queueing:booking-new": Rule(elsewhere="tests/queueing/test_booking.py"),
    "queueing:statistics": Rule(elsewhere=_elsewhere),
    # An officer who sees the application; others 404 (the applicant too).
    "queueing:invite": Rule(elsewhere="tests/queueing/test_invitations.py"),
    "api:queueing-api:queue-office-detail": Rule(elsewhere=_api),
    "api:queueing-api:queue-office-board": Rule(elsewhere=_api),
    "api:queueing-api:queue-office-check-in": Rule(elsewhere=_api),
    "api:queueing-api:queue-office-slots": Rule(elsewhere=_api),
    "api:queueing-api:queue-office-tickets": Rule(elsewhere=_api),
    "api:queueing-api:queue-ticket-detail": Rule(elsewhere=_api),
    "api:queueing-api:queue-counter-list": Rule(elsewhere=_api),
    "api:queueing-api:queue-counter-detail": Rule(elsewhere=_api),
    "api:queueing-api:queue-counter-call-next": Rule(elsewhere=_api),
    "api:queueing-api:queue-counter-current": Rule(elsewhere=_api),
    "api:queueing-api:queue-counter-finish": Rule(elsewhere=_api),
    "api:queueing-api:queue-counter-park": Rule(elsewhere=_api),
    "api:queueing-api:queue-counter-recall": Rule(elsewhere=_api),
    "api:queueing-api:queue-counter-start": Rule(elsewhere=_api),
    "api:queueing-api:queue-counter-transfer": Rule(elsewhere=_api),
    "api:queueing-api:queue-booking-list": signed_in(),
    "api:queueing-api:queue-booking-detail": Rule(elsewhere=_api),
    "api:queueing-api:queue-booking-cancel": Rule(elsewhere=_api),
}
