"""Every URL pattern and API route against every kind of user.

The resolver is walked; each named route must have a rule (``rules_*.py`` in
this package), or the test fails naming it: a new route cannot ship without
saying who may use it. Each rule is then checked for every actor of
``rules.ACTORS`` (citizen A vs B, officer of agency A vs B, office staff,
auditor, admin, anonymous): allowed actors get through, ``hidden`` actors get
a 404 (never a hint that the object exists), all others are refused.
"""

import importlib
import pkgutil
from pathlib import Path

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import pytest

from . import rules as r
from .world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
BASE = Path(settings.BASE_DIR)
LOGIN = reverse("accounts:login")
ADMIN_LOGIN = "/admin/login/"


def _collect():
    rules, prefixes, open_admin = {}, {}, set()
    package = Path(__file__).parent
    for info in pkgutil.iter_modules([str(package)]):
        if not info.name.startswith("rules_"):
            continue
        module = importlib.import_module(f"{__package__}.{info.name}")
        for name in getattr(module, "RULES", {}):
            assert name not in rules, f"{name} has two rules"
        rules.update(getattr(module, "RULES", {}))
        prefixes.update(getattr(module, "PREFIX_RULES", {}))
        open_admin |= set(getattr(module, "ADMIN_OPEN", ()))
    return rules, prefixes, open_admin


RULES, PREFIX_RULES, ADMIN_OPEN = _collect()


def _walk(resolver, ns="", prefix=""):
    """``(name, pattern)`` of every route; an unnamed route is named by its
    namespace and path (e.g. ``admin:<path>``) so it still needs a rule."""
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            inner = f"{ns}{p.namespace}:" if p.namespace else ns
            yield from _walk(p, inner, route)
        elif isinstance(p, URLPattern):
            yield (f"{ns}{p.name}" if p.name else f"{ns}<{route}>"), p


def _routes():
    return sorted({name for name, _p in _walk(get_resolver())})


def _rule_for(name):
    if name in RULES:
        return RULES[name]
    for prefix, rule in PREFIX_RULES.items():
        if name.startswith(prefix):
            return rule
    return None


def test_every_route_has_a_rule():
    missing = [name for name in _routes() if _rule_for(name) is None]
    assert not missing, (
        "Routes without an authorization rule (add them to "
        f"tests/authorization/rules_<app>.py): {missing}"
    )
    stale = sorted(set(RULES) - set(_routes()))
    assert not stale, f"Rules for routes that no longer exist: {stale}"
    for name, rule in RULES.items():
        if rule.elsewhere:
            assert (BASE / rule.elsewhere).is_file(), f"{name}: {rule.elsewhere}"


def _refused(response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location.startswith(LOGIN) or location.startswith(ADMIN_LOGIN)
    )


def _request(world, actor, name, rule):
    url = reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else None)
    if rule.query:
        url = f"{url}?{rule.query}"
    client = world.client(actor)
    data = rule.data(world) if rule.data else {}
    if rule.method == "post":
        is_api = name.startswith("api:")
        return (
            client.post(url, data, content_type="application/json" if is_api else None)
            if is_api
            else client.post(url, data)
        )
    return client.get(url)


def _check(world, name, rule) -> list[str]:
    problems = []
    # Refusals first: the allowed actors may change the object.
    order = sorted(r.ACTORS, key=lambda a: a in rule.allow)
    for actor in order:
        response = _request(world, actor, name, rule)
        status = response.status_code
        where = f"{name} as {actor}: {status} {response.get('Location', '')}"
        if actor == r.AUDITOR and rule.method != "get" and not rule.auditor_may_post:
            # Auditors are read-only everywhere: every write is a 403.
            if status != 403:
                problems.append(f"{where} (auditor writes must be 403)")
        elif actor in rule.allow:
            if _refused(response) or status == 405:
                problems.append(f"{where} (should get through)")
        elif actor in rule.hidden:
            if status != 404:
                problems.append(f"{where} (should be 404)")
        elif not _refused(response):
            problems.append(f"{where} (should be refused)")
    return problems


CHECKED = sorted(n for n, rule in RULES.items() if not rule.elsewhere)


def _case(name):
    bug = RULES[name].known_bug
    marks = [pytest.mark.xfail(reason=bug, strict=True)] if bug else []
    return pytest.param(name, marks=marks, id=name)


@pytest.mark.parametrize("name", [_case(n) for n in CHECKED])
def test_route_answers_each_actor_by_its_rule(name, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    problems = _check(world, name, RULES[name])
    assert not problems, "\n".join(problems)


def test_admin_pages_are_for_admins_only(settings, tmp_path):
    """Every admin page without arguments (index, app indexes, change lists,
    add forms, tools): everyone but admins is sent to the admin's login; an
    admin reaches it (a 403 there is the admin's own refusal, e.g. the add
    form of a read-only, service-written model)."""
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    rule = PREFIX_RULES["admin:"]
    problems, checked = [], 0
    for name, pattern in _walk(get_resolver()):
        if not name.startswith("admin:") or name in ADMIN_OPEN:
            continue
        if pattern.pattern.regex.groups or "<" in name:
            continue  # object pages: the admin's own has_*_permission
        checked += 1
        for actor in r.ACTORS:
            response = _request(world, actor, name, rule)
            where = f"{name} as {actor}: {response.status_code}"
            if actor in rule.allow:
                location = response.get("Location", "")
                if response.status_code in (404, 405) or location.startswith(
                    ADMIN_LOGIN
                ):
                    problems.append(f"{where} (should get through)")
            elif not _refused(response):
                problems.append(f"{where} (should be refused)")
    assert checked > 20
    assert not problems, "\n".join(problems)
