"""Scenario 6: public pages under load vs a trivial Django view on the same server.

gunicorn with sync workers (as in production: 2 x cores + 1) on loopback serves
the catalogue list (``/layanan/``), a service's detail page and the public
tracking page (``/permohonan/lacak/``, the empty form); the baseline is
``/bench/trivial/`` (``bench.urls``), which passes the same middleware and
returns two bytes. The load is ``wrk`` (Debian's package) when installed, else a
bounded Python client; every run is bounded in time and stays on 127.0.0.1.

The tracking lookup itself (``?reference=…&code=…``) is not measured: it checks
the tracking code against its Argon2 hash, slow on purpose (about 50 ms of CPU
per guess, the brake on guessing codes), and shows an application's status, so
it is never cached. The form a visitor opens first is measured and judged.

Anonymous visitors get these pages whole from the page cache
(``ptsp.pagecache``): every request but the first per page and language is a
hit, which is what a busy public page sees.
"""

import http.client
import os
import re
import shutil
import subprocess
import sys
import threading
import time

from bench.harness import Outcome, Row, interleave, median
from tests.support.processes import port_answers, wait_for

GOAL = 0.5
PAGES = {
    "catalogue list": "/layanan/",
    "service detail": "/layanan/pbg-rts-10jam/",
    "tracking form": "/permohonan/lacak/",
}
# Not a goal: the home page (the base template around little content) and the
# transparency dashboard (figures from the aggregate tables).
REFERENCE = {
    "home page (base template)": "/",
    "transparency dashboard": "/transparansi/",
}
TRIVIAL = "/bench/trivial/"


class Gunicorn:
    def __init__(self, context, workers: int) -> None:
        self.context = context
        self.workers = workers
        self.process: subprocess.Popen | None = None
        self.log = context.workdir / "gunicorn.log"

    def __enter__(self) -> "Gunicorn":
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "ptsp.wsgi",
                    "--bind",
                    f"127.0.0.1:{self.context.port}",
                    "--worker-class",
                    "sync",
                    "--workers",
                    str(self.workers),
                    "--timeout",
                    "30",
                    "--log-level",
                    "warning",
                ],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(
            lambda: port_answers(self.context.port) or self.process.poll() is not None,
            timeout=30,
            what="gunicorn",
        )
        if self.process.poll() is not None:
            raise RuntimeError("gunicorn exited:\n" + self.log.read_text()[-2000:])
        return self

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _wrk(url: str, seconds: int, connections: int) -> dict:
    result = subprocess.run(
        [
            "wrk",
            "--threads",
            "2",
            "--connections",
            str(connections),
            "--duration",
            f"{seconds}s",
            "--latency",
            "--timeout",
            "10s",  # a slow page under load is counted, not dropped
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    )
    text = result.stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = re.search(r"Socket errors: (.+)", text)
    if bad:
        raise RuntimeError(f"{url}: {bad.group(1)} non-2xx responses\n{text}")
    rate = float(re.search(r"Requests/sec:\s*([\d.]+)", text).group(1))
    if not rate:
        raise RuntimeError(f"{url}: no request completed\n{text}")
    latency = {}
    for label, value, unit in re.findall(
        r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)", text, re.M
    ):
        scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
        latency[label] = float(value) * scale
    return {
        "rate": rate,
        "p50": latency.get("50"),
        "p99": latency.get("99"),
        "errors": errors.group(1) if errors else "",
    }


def _python_load(url: str, seconds: int, connections: int) -> dict:
    """A bounded closed-loop client: ``connections`` threads, each sending one
    request after the other (a new connection each, as sync workers close them)
    until ``seconds`` have passed."""
    host, port = "127.0.0.1", int(url.split(":")[2].split("/")[0])
    path = "/" + url.split("/", 3)[3]
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    lock = threading.Lock()

    def client() -> None:
        own = []
        while time.monotonic() < deadline:
            began = time.perf_counter()
            conn = http.client.HTTPConnection(host, port, timeout=10)
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}")
            own.append((time.perf_counter() - began) * 1000)
        with lock:
            latencies.extend(own)

    threads = [threading.Thread(target=client) for _ in range(connections)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    return {
        "rate": len(latencies) / elapsed,
        "p50": median(latencies),
        "p99": latencies[int(len(latencies) * 0.99) - 1] if latencies else None,
        "errors": "",
    }


def _get(url: str) -> None:
    host, rest = url.removeprefix("http://").split("/", 1)
    conn = http.client.HTTPConnection(*host.split(":"), timeout=30)
    conn.request("GET", "/" + rest)
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"{url}: HTTP {response.status}")


def _drain(url: str, timeout: float = 10.0) -> None:
    """Wait until the server answers ``url`` promptly again: requests a slow
    run left in gunicorn's backlog must not be charged to the next run."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        began = time.perf_counter()
        _get(url)
        if time.perf_counter() - began < 0.05:
            return


def run(context) -> Outcome:
    started = time.perf_counter()
    cores = os.cpu_count() or 1
    workers = 2 * cores + 1
    seconds = 1 if context.smoke else 5
    connections = 2 * workers
    load = _wrk if shutil.which("wrk") else _python_load
    tool = "wrk" if load is _wrk else "the Python client (wrk not installed)"
    base = f"http://127.0.0.1:{context.port}"
    outcome = Outcome(
        number="6",
        title="Public pages",
        measures=(
            f"Requests per second from {tool}, {connections} connections, "
            f"{seconds} s per run, against gunicorn ({workers} sync workers, "
            "production settings without TLS) on loopback; the baseline is a "
            "trivial view on the same server. The load generator shares the "
            "2 cores with the server."
        ),
        sizes=f"{context.rounds} rounds per page, the catalogue's 46 services",
    )
    with Gunicorn(context, workers):
        for path in [*PAGES.values(), *REFERENCE.values(), TRIVIAL]:
            _get(base + path)  # each answers 200 before any timing
        for name, path in {**PAGES, **REFERENCE}.items():
            judged = name in PAGES

            def measure(url: str) -> dict:
                result = load(url, seconds, connections)
                _drain(base + TRIVIAL)
                return result

            a, b = interleave(
                lambda path=path: measure(base + path),
                lambda: measure(base + TRIVIAL),
                rounds=context.rounds,
                warmup=0,
            )
            rate, trivial = (
                median([x["rate"] for x in a]),
                median([x["rate"] for x in b]),
            )
            outcome.rows += [
                Row(
                    f"{name}: throughput",
                    rate,
                    "req/s",
                    trivial,
                    rate / trivial,
                    goal="≥ 0.50x trivial" if judged else "",
                    met=rate / trivial >= GOAL if judged else None,
                ),
                Row(
                    f"{name}: latency p50",
                    median([x["p50"] for x in a]),
                    "ms",
                    median([x["p50"] for x in b]),
                    median([x["p50"] for x in a]) / median([x["p50"] for x in b]),
                ),
                Row(
                    f"{name}: latency p99",
                    median([x["p99"] for x in a]),
                    "ms",
                    median([x["p99"] for x in b]),
                    median([x["p99"] for x in a]) / median([x["p99"] for x in b]),
                ),
            ]
    outcome.seconds = time.perf_counter() - started
    return outcome
