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

    def start(self, *, timeout: float = 60) -> None:
        offset = self.log.stat().st_size if self.log.exists() else 0
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
                    f"--hostname=w{time.monotonic_ns()}@%h",
                ],
                cwd=BASE_DIR,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, for killpg
            )
        wait_for(
            lambda: (
                b"ready." in self.log.read_bytes()[offset:]
                or self.process.poll() is not None
            ),
            timeout=timeout,
            what="the worker to be ready",
        )
        if self.process.poll() is not None:
            raise RuntimeError(
                "The Celery worker exited:\n" + self.log.read_text()[-3000:]
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
