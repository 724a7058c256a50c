"""Real server processes for tests and benchmarks: a stoppable Redis, a Celery
worker in its own process group, and waiting for a condition."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def wait_for[T](
    condition: Callable[[], T], *, timeout: float, step: float = 0.2, what: str = ""
) -> T:
    """Poll ``condition()`` until it returns something true and return that;
    raise ``AssertionError`` naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def port_answers(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


class RedisServer:
    """A redis-server process owned by the caller, on its own port, stoppable."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: port_answers(self.port), timeout=10, what="redis-server")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


class _Pinger:
    """Asks a worker over its broker whether it consumes (``celery inspect
    ping`` to one host); answers ``False`` while the broker cannot be reached."""

    def __init__(self, env: dict[str, str], hostname: str) -> None:
        self.broker = env.get("CELERY_BROKER_URL") or env.get("REDIS_URL") or ""
        self.hostname = hostname
        self.app = None
        self.next_at = time.monotonic() + 2  # the log usually answers first

    def answers(self) -> bool:
        if not self.broker.startswith("redis") or time.monotonic() < self.next_at:
            return False
        self.next_at = time.monotonic() + 2
        from celery import Celery

        if self.app is None:
            self.app = Celery("ptsp-readiness", broker=self.broker)
        try:
            return bool(self.app.control.ping(destination=[self.hostname], timeout=1.0))
        except Exception:  # broker down or refusing: not ready yet
            return False

    def close(self) -> None:
        if self.app is not None:
            self.app.close()


class CeleryWorker:
    """``celery -A ptsp worker`` as a process group of its own (so that ``kill``
    reaches its pool children too), logging to ``log``."""

    def __init__(
        self,
        env: dict[str, str],
        log: Path,
        *,
        options: Sequence[str] = ("--pool=prefork", "--concurrency=2"),
    ) -> None:
        self.env = env
        self.log = log
        self.options = list(options)
        self.process: subprocess.Popen | None = None
        self.hostname = ""
        self.started_in: float | None = None  # seconds the last start took

    def start(self, *, timeout: float = 180) -> None:
        """Start the worker and return once it consumes tasks: its log says
        "<hostname> ready." or it answers a ``ping`` on its broker (the
        ``CELERY_BROKER_URL`` or ``REDIS_URL`` of ``env``). ``timeout`` is in
        seconds and generous: the start-up (Django, every app's tasks, the
        pool's fork) took 13 s at a load average of 35 on the 2-core machine.
        Raises ``RuntimeError`` with the log's end if the worker exits or is
        not ready in time; the worker is stopped first, so that no stray
        worker takes the next run's tasks."""
        offset = self.log.stat().st_size if self.log.exists() else 0
        self.hostname = f"w{time.monotonic_ns()}@{socket.gethostname()}"
        started = time.monotonic()
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "ptsp",
                    "worker",
                    *self.options,
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--loglevel=INFO",
                    f"--hostname={self.hostname}",
                ],
                cwd=BASE_DIR,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, for killpg
            )
        pinger = _Pinger(self.env, self.hostname)
        deadline = started + timeout
        ready = False
        try:
            while time.monotonic() < deadline and self.process.poll() is None:
                logged = f"{self.hostname} ready.".encode()
                if logged in self.log.read_bytes()[offset:] or pinger.answers():
                    ready = True
                    break
                time.sleep(0.5)
        finally:
            pinger.close()
        self.started_in = time.monotonic() - started
        if ready:
            return
        exited = self.process.poll()
        self.stop()
        tail = self.log.read_bytes()[offset:][-3000:].decode(errors="replace")
        cause = (
            f"exited with code {exited}"
            if exited is not None
            else f"was not ready after {timeout:.0f} s (load average "
            f"{' / '.join(f'{x:.1f}' for x in os.getloadavg())}; it was stopped)"
        )
        raise RuntimeError(
            f"The Celery worker {self.hostname} {cause}. Its log ({self.log}) "
            f"ends with:\n{tail or '(nothing)'}"
        )

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and its pool children)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
