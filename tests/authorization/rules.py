"""The rule table of the route authorization test (``test_routes.py``).

Every URL pattern of the project (HTML pages, API routes, admin) must match a
``Rule`` here, or the suite fails naming the route. Apps add their rules in
their own module ``rules_<app>.py`` in this package (a dict ``RULES`` keyed by
the namespaced URL name, ``PREFIX_RULES`` keyed by a name prefix); the test
collects every such module, so helpers extend it without touching each other's
lines.

Actors (see ``world.py``): ``anon``; ``citizen_a`` (owns the application and
the draft) and ``citizen_b``; ``officer_a`` (DPMPTSP front office: the
application's active step) and ``supervisor_a`` (DPMPTSP supervisor);
``officer_b`` (Dinsos front office: no step in it); ``office_staff`` (MPP front
office with no agency); ``auditor`` (read-only, every agency, submitted
applications only: the trail leaves citizen A's draft out,
``tests/auditor/test_workspace.py``); ``admin``.

The auditor is read-only: on every non-GET route they must get a 403,
whatever the rule says (``auditor_may_post`` for POSTs that change no
record). A rule says which actors get through (``allow``: any answer but 401,
403, 404, 405 or a redirect to the login page) and which must get a 404 because
the object is someone else's (``hidden``); every other actor must be refused
(401, 403, 404 or the login redirect). ``elsewhere`` names the test module that
checks a route needing objects this world does not build (the module must
exist).
"""

import dataclasses
from collections.abc import Callable

ANON = "anon"
CITIZEN_A = "citizen_a"
CITIZEN_B = "citizen_b"
OFFICER_A = "officer_a"
SUPERVISOR_A = "supervisor_a"
OFFICER_B = "officer_b"
OFFICE_STAFF = "office_staff"
AUDITOR = "auditor"
ADMIN = "admin"

ACTORS = (
    ANON,
    CITIZEN_A,
    CITIZEN_B,
    OFFICER_A,
    SUPERVISOR_A,
    OFFICER_B,
    OFFICE_STAFF,
    AUDITOR,
    ADMIN,
)
EVERYONE = frozenset(ACTORS)
SIGNED_IN = EVERYONE - {ANON}
CITIZENS = frozenset({CITIZEN_A, CITIZEN_B})
OFFICERS = frozenset({OFFICER_A, SUPERVISOR_A, OFFICER_B, OFFICE_STAFF})
AGENCY_OFFICERS = frozenset({OFFICER_A, SUPERVISOR_A, OFFICER_B})
AGENCY_A = frozenset({OFFICER_A, SUPERVISOR_A})
AUDITORS = frozenset({AUDITOR, ADMIN})


@dataclasses.dataclass(frozen=True)
class Rule:
    """Who may use a route; see the module docstring. ``kwargs(world)`` gives
    the URL arguments, ``data(world)`` the request body (POST)."""

    allow: frozenset[str] = frozenset()
    hidden: frozenset[str] = frozenset()
    method: str = "get"
    kwargs: Callable | None = None
    data: Callable | None = None
    query: str = ""
    elsewhere: str = ""
    note: str = ""
    #: A bug this test found in the route and left to its owner: the check
    #: runs as a strict xfail, so the fix turns it into a failure to update.
    known_bug: str = ""
    #: A POST that changes no record (log out, language, the auditor's own
    #: integrity check): the auditor follows ``allow`` like everyone else.
    auditor_may_post: bool = False


def public(**kw) -> Rule:
    return Rule(allow=EVERYONE, **kw)


def signed_in(**kw) -> Rule:
    return Rule(allow=SIGNED_IN, **kw)
