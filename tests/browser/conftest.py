"""Browser harness: Playwright driving Debian's Chromium against ``live_server``.

Every page a browser test visits should pass ``assert_page_ok``: axe-core (from npm,
injected by the test; CSP is bypassed only for that injection) reports no serious or
critical violation, and at a 360 px viewport nothing scrolls sideways.
"""

import json
import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("PTSP_CHROMIUM", "/usr/bin/chromium")
AXE_JS = (
    Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
)
MOBILE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
#: ``make screenshots`` sets this; the journeys then save their key pages there.
SCREENSHOTS_DIR = os.environ.get("PTSP_SCREENSHOTS_DIR", "")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": MOBILE,
        "locale": "id-ID",
        "timezone_id": "Asia/Jakarta",
        # Lets the test inject axe-core; the app's own CSP is tested apart.
        "bypass_csp": True,
    }


def axe_violations(page) -> list[dict]:
    """Run axe-core on the current page; return serious and critical violations."""
    if not AXE_JS.exists():
        pytest.fail(f"axe-core missing at {AXE_JS}: run `npm ci` (make test does).")
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        v for v in result["violations"] if v.get("impact") in {"serious", "critical"}
    ]


def horizontal_overflow(page) -> int:
    """Pixels by which the page is wider than the viewport (0 when it fits)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )


@pytest.fixture
def assert_page_ok():
    """Callable gate: accessibility (axe) and 360 px mobile width of the page."""

    def check(page) -> None:
        # A click that navigates returns before the next page exists; judge
        # the page the click led to, not the gap between the two.
        page.wait_for_load_state("load")
        page.set_viewport_size(MOBILE)
        overflow = horizontal_overflow(page)
        assert overflow == 0, f"{page.url} scrolls sideways by {overflow}px at 360px"
        violations = axe_violations(page)
        summary = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "nodes": [n["target"] for n in v["nodes"]],
            }
            for v in violations
        ]
        assert not violations, (
            f"{page.url}: axe violations\n{json.dumps(summary, indent=1)}"
        )

    return check


@pytest.fixture
def capture():
    """Callable ``capture(page, name, desktop=False, full_page=None)``.

    Under ``make screenshots`` (``PTSP_SCREENSHOTS_DIR`` set) it saves the page as
    ``<dir>/<name>.png`` at 360 px, or 1280 px for staff pages; otherwise it does
    nothing. The journeys call it on the pages the README shows, so the pictures
    always come from a passing test."""

    def save(page, name: str, *, desktop: bool = False, full_page=None) -> None:
        if not SCREENSHOTS_DIR:
            return
        target = Path(SCREENSHOTS_DIR) / f"{name}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if desktop:
            page.set_viewport_size(DESKTOP)
        full = (not desktop) if full_page is None else full_page
        page.screenshot(path=str(target), full_page=full)
        page.set_viewport_size(MOBILE)
        assert target.stat().st_size > 0, f"empty screenshot {target}"

    return save
