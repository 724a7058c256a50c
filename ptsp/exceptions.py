"""Domain errors raised by services and mapped to HTTP by ``ptsp.api``."""


class ApplicationError(Exception):
    """A business rule refused the action. ``message`` is translated, user-facing."""

    def __init__(self, message: str, *, extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class InvalidTransition(ApplicationError):
    """The requested state change is not allowed from the current state (HTTP 409)."""


class StaleVersion(ApplicationError):
    """The object changed since the actor saw it (HTTP 409, with the current state)."""
