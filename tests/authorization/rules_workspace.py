"""Routes of the officer workspace (pages and API): officers with an agency;
an application of another agency is a 404."""

from .rules import AGENCY_A, AGENCY_OFFICERS, SIGNED_IN, Rule

_app = lambda w: {"uuid": w.application.uuid}  # noqa: E731
_doc = lambda w: {"uuid": w.application.uuid, "document_uuid": w.document.uuid}  # noqa: E731


def _of_agency_a(**kw) -> Rule:
    return Rule(allow=AGENCY_A, hidden=AGENCY_OFFICERS - AGENCY_A, **kw)


RULES = {
    "workspace:queue": Rule(allow=AGENCY_OFFICERS),
    "workspace:bulk": Rule(allow=AGENCY_OFFICERS, method="post"),
    # Pages of one application: everyone else signed in gets a 404.
    "workspace:application": Rule(
        allow=AGENCY_A, hidden=SIGNED_IN - AGENCY_A, kwargs=_app
    ),
    "workspace:note_add": Rule(
        allow=AGENCY_A,
        hidden=SIGNED_IN - AGENCY_A,
        method="post",
        kwargs=_app,
        data=lambda w: {"body": "x"},
    ),
    "workspace:claim": Rule(
        allow=AGENCY_A,
        hidden=SIGNED_IN - AGENCY_A,
        method="post",
        kwargs=lambda w: {"uuid": w.application.uuid, "step_id": w.step.pk},
    ),
    "workspace:document": Rule(
        allow=AGENCY_A, hidden=SIGNED_IN - AGENCY_A, kwargs=_doc
    ),
    "workspace:document_page": Rule(
        allow=AGENCY_A,
        hidden=SIGNED_IN - AGENCY_A,
        kwargs=lambda w: {**_doc(w), "number": 1},
    ),
    "api:workspace-api:task-list": Rule(allow=AGENCY_OFFICERS),
    "api:workspace-api:task-counts": Rule(allow=AGENCY_OFFICERS),
    "api:workspace-api:task-claim": Rule(
        allow=AGENCY_OFFICERS, method="post", data=lambda w: {"steps": [w.step.pk]}
    ),
    "api:workspace-api:task-assign": Rule(
        allow=AGENCY_OFFICERS, method="post", data=lambda w: {"steps": [w.step.pk]}
    ),
    "api:workspace-api:application-detail": _of_agency_a(kwargs=_app),
    "api:workspace-api:application-notes": _of_agency_a(kwargs=_app),
}
