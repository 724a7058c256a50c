"""The two outcomes a channel sender may raise (re-exported by ``channels``)."""


class DeliveryFailure(Exception):
    """Base of the two outcomes a sender may raise."""


class PermanentFailure(DeliveryFailure):
    """Retrying cannot help; the notification ends ``permanent_failure`` (and a
    routed message falls back to the recipient's next channel)."""


class TemporaryFailure(DeliveryFailure):
    """Retry later with backoff."""
