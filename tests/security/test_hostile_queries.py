"""Every GET route, as each actor allowed through it, with hostile query
strings: SQL and HTML in search and filter parameters, malformed cursors and
pages, dates in the wrong format, huge and negative numbers, NUL bytes and
RTL text. None may be a 500 (a clear 4xx or the page ignoring the garbage)."""

import dataclasses

import pytest

from tests.authorization.test_routes import CHECKED, RULES, _request
from tests.authorization.world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

NASTY = "' OR 1=1--<script>alert(1)</script>\u202e\u0000" + "x" * 3000
PARAMS = {
    "q": NASTY,
    "search": NASTY,
    "status": NASTY,
    "service": NASTY,
    "agency": NASTY,
    "office": NASTY,
    "cursor": "%%%not-a-cursor\u0000",
    "page": "-99999999999999999999",
    "page_size": "99999999999999999999",
    "limit": "-1",
    "offset": "99999999999999999999",
    "ordering": "-password,__class__",
    "date": "31/12/2026",
    "from": "2026-13-45",
    "to": "yesterday",
    "since": "\u0000",
    "until": "9999-99-99T99:99",
    "year": "99999999999999999999",
    "month": "-1",
    "created_at__gte": "not-a-date",
    "created_at__lte": "2026-02-30",
    "id": "1;DROP TABLE permits_application",
    "actor": NASTY,
    "action": NASTY,
    "kind": NASTY,
    "lang": NASTY,
    "next": "https://evil.example/",
    "baru": NASTY,
    "dari": "32/13/2026",
    "sampai": "\u0000",
    "instansi": NASTY,
    "order": NASTY,
    "sort": NASTY,
    "reference": NASTY,
    "semester": "2026-9\u0000",
    "tab": NASTY,
    "tentang": NASTY,
    "nik_prefix": NASTY,
}


def _hostile(rule):
    from urllib.parse import urlencode

    extra = urlencode(PARAMS)
    return dataclasses.replace(
        rule, query=f"{rule.query}&{extra}" if rule.query else extra
    )


def test_no_get_route_500s_on_hostile_query_strings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    world = build_world()
    crashes = []
    for name in CHECKED:
        rule = RULES[name]
        if rule.method != "get":
            continue
        for actor in sorted(rule.allow):
            try:
                response = _request(world, actor, name, _hostile(rule))
            except Exception as error:
                crashes.append(f"{name} as {actor}: {type(error).__name__}: {error}")
                continue
            if response.status_code >= 500:
                crashes.append(f"{name} as {actor}: {response.status_code}")
    assert not crashes, "\n".join(crashes)
