"""Routes of the counter (assisted submission) and BPJS corrections.

The counter is for the office's front office (``office_staff``: MPP front
office); another user gets a 404 for a submission (pages) or a 403 (the API
refuses non-counter users before looking). The report is for officers with an
office, auditors and admins. The claim is public. BPJS corrections need a BPJS
application, which this world does not build: they are checked in
``tests/channeling``.
"""

from audit.context import audit_actor

from .rules import ADMIN, AUDITOR, EVERYONE, OFFICE_STAFF, SIGNED_IN, Rule, public

COUNTER = frozenset({OFFICE_STAFF})


def _assisted(world) -> dict:
    """An assisted submission filed by ``office_staff`` (made once per world)."""
    assisted = getattr(world, "_assisted", None)
    if assisted is None:
        from channeling.services import assisted_start

        with audit_actor(system="system:test"):
            assisted = assisted_start(
                user=world.users[OFFICE_STAFF],
                service=world.service,
                nik="3671051203850007",
                full_name="Warga Loket",
                phone="081255550000",
                email="warga.loket@example.org",
            )
        world._assisted = assisted
    return {"uuid": assisted.uuid}


def _page(method="get", **kw) -> Rule:
    # The auditor's writes are refused before any view (read-only role).
    hidden = SIGNED_IN - COUNTER - ({AUDITOR} if method == "post" else set())
    return Rule(allow=COUNTER, hidden=hidden, kwargs=_assisted, method=method, **kw)


def _api(**kw) -> Rule:
    return Rule(allow=COUNTER, kwargs=_assisted, **kw)


_BPJS = "tests/channeling/test_api.py"

RULES = {
    "channeling:list": Rule(allow=COUNTER),
    "channeling:start": Rule(allow=COUNTER),
    "channeling:report": Rule(allow=COUNTER | {AUDITOR, ADMIN}),
    "channeling:claim": public(),
    "channeling:detail": _page(),
    "channeling:resend": _page(method="post"),
    "channeling:confirm": _page(method="post", data=lambda w: {"code": "123456"}),
    "channeling:cancel": _page(method="post"),
    "channeling:bpjs": Rule(elsewhere="tests/channeling/test_views.py"),
    "channeling:bpjs_action": Rule(elsewhere="tests/channeling/test_views.py"),
    "api:channeling-api:assisted-list": Rule(allow=COUNTER),
    "api:channeling-api:assisted-detail": _api(),
    "api:channeling-api:assisted-answers": _api(
        method="post", data=lambda w: {"form_data": {}}
    ),
    "api:channeling-api:assisted-documents": _api(method="post"),
    "api:channeling-api:assisted-send-code": _api(method="post"),
    "api:channeling-api:assisted-confirm": _api(
        method="post", data=lambda w: {"code": "123456"}
    ),
    "api:channeling-api:assisted-cancel": _api(method="post"),
    # Public: a wrong code is a 400 for everyone (and no hint who exists); the
    # auditor's writes are refused.
    "api:channeling-api:claim": Rule(
        allow=EVERYONE - {AUDITOR},
        method="post",
        data=lambda w: {
            "identifier": "3671051203850007",
            "code": "123456",
            "new_password": "Kata-sandi-baru-2026",
        },
    ),
    "api:channeling-api:bpjs-correction-handovers": Rule(elsewhere=_BPJS),
    "api:channeling-api:bpjs-correction-handover": Rule(elsewhere=_BPJS),
    "api:channeling-api:bpjs-correction-complete": Rule(elsewhere=_BPJS),
    "api:channeling-api:bpjs-correction-reject": Rule(elsewhere=_BPJS),
}
