"""Every POST route, as each actor allowed through it, with hostile bodies:
invalid JSON, each field of the route's valid body replaced by a huge
string with SQL, HTML, RTL and NUL, by an integer beyond a bigint, a negative
number, a wrong-format date, a list, an object. None may be a 500."""

import json

from django.urls import reverse

import pytest

from tests.authorization.test_routes import CHECKED, RULES
from tests.authorization.world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

NASTY = "' OR 1=1--<script>alert(1)</script>\u202e\u0000" + "x" * 5000
GARBAGE = [NASTY, 10**30, -1, 0, "31/12/2026", [], {"a": 1}, None, "\u0000"]


def _bodies(data: dict):
    yield {k: NASTY for k in data} or {"x": NASTY}
    for key in data:
        for value in GARBAGE:
            yield {**data, key: value}


def _post(client, url, body, *, is_api):
    if is_api:
        return client.post(url, json.dumps(body), content_type="application/json")
    form = {
        k: (json.dumps(v) if isinstance(v, list | dict) else ("" if v is None else v))
        for k, v in body.items()
    }
    return client.post(url, form)


def test_no_post_route_500s_on_hostile_bodies(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    crashes = []
    for name in CHECKED:
        rule = RULES[name]
        if rule.method != "post":
            continue
        is_api = name.startswith("api:")
        data = dict(rule.data(world)) if rule.data else {}
        data = {k: v for k, v in data.items() if not hasattr(v, "read")}
        url = reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else None)
        for actor in sorted(rule.allow):
            client = world.client(actor)
            attempts = [b"{not json", b"\xff\xfe", b"[]"] if is_api else []
            for raw in attempts:
                try:
                    response = client.post(url, raw, content_type="application/json")
                except Exception as error:
                    crashes.append(f"{name} as {actor} raw {raw!r}: {error!r:.200}")
                    continue
                if response.status_code >= 500:
                    crashes.append(f"{name} as {actor} raw {raw!r}: 500")
            for body in _bodies(data):
                try:
                    response = _post(client, url, body, is_api=is_api)
                except Exception as error:
                    shown = {k: (str(v)[:20]) for k, v in body.items()}
                    crashes.append(f"{name} as {actor} {shown}: {error!r:.200}")
                    continue
                if response.status_code >= 500:
                    shown = {k: (str(v)[:20]) for k, v in body.items()}
                    crashes.append(f"{name} as {actor} {shown}: 500")
    assert not crashes, "\n".join(crashes)
