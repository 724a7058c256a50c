"""Every setting the portal reads from the environment is listed in ``.env.example``,
so deployers see the whole configuration in one file."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: ``env("NAME"``, ``env.int("NAME"``, ``os.environ.get("NAME"`` and friends.
READ = re.compile(
    r"""(?:\benv(?:\.\w+)?|os\.environ\.get|os\.environ\.setdefault|os\.getenv)"""
    r"""\(\s*["']([A-Z][A-Z0-9_]+)["']"""
)
#: Set by the test settings or the harness, never by a deployer.
INTERNAL = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def _settings_reads() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "ptsp" / "settings").glob("*.py"):
        if path.name == "test.py":
            continue
        names |= set(READ.findall(path.read_text()))
    return names - INTERNAL


def _documented() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#?\s?([A-Z][A-Z0-9_]+)=", text, flags=re.M))


def test_settings_read_from_the_environment_exist():
    # Guards the regular expression itself: the base settings read dozens.
    assert len(_settings_reads()) > 40


def test_every_setting_is_in_env_example():
    missing = sorted(_settings_reads() - _documented())
    assert not missing, f"add these to .env.example with a comment: {missing}"
