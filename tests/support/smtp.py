"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives.

In a test: ``with smtp_sink_running() as sink: ...`` (the ``smtp_sink`` fixture
does this). As a process of its own, for benchmarks, so that it does not share
the sender's interpreter: ``python -m tests.support.smtp --port 2525``; it then
only counts messages and prints the count when stopped (SIGTERM or SIGINT).
"""

import argparse
import asyncio
import email
import email.policy
import signal
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class SmtpSink:
    """Messages received by the loopback SMTP server, as parsed e-mails.

    ``refuse`` maps an address to an SMTP reply (e.g. ``"550 5.1.1 No such
    user"``) given at ``RCPT TO``. With ``hold_after`` set, every message after
    that many is stored but its final "250" is held back until ``release`` is
    set: the sender is stuck between "the server has it" and "I know it".
    ``keep=False`` only counts (``received``), for long benchmark runs.
    """

    host: str = "127.0.0.1"
    port: int = 0
    keep: bool = True
    received: int = 0
    messages: list = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    hold_after: int | None = None
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope: Envelope):
        message = (
            email.message_from_bytes(envelope.content, policy=email.policy.default)
            if self.keep
            else None
        )
        with self.lock:
            self.received += 1
            if self.keep:
                self.messages.append(message)
            held = self.hold_after is not None and self.received > self.hold_after
        while held and not self.release.is_set():
            await asyncio.sleep(0.01)
        return "250 Message accepted for delivery"

    def keys(self) -> list[str]:
        with self.lock:
            return [m["X-Idempotency-Key"] for m in self.messages]


@contextmanager
def smtp_sink_running(**options) -> Iterator[SmtpSink]:
    """Run an ``SmtpSink(**options)`` on a free loopback port for the block."""
    options.setdefault("port", free_port())
    sink = SmtpSink(**options)
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        sink.release.set()
        controller.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args().port
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    with smtp_sink_running(port=port, keep=False) as sink:
        print(f"listening on 127.0.0.1:{port}", flush=True)  # noqa: T201
        stop.wait()
    print(f"received {sink.received}", flush=True)  # noqa: T201


if __name__ == "__main__":
    main()
