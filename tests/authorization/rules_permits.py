"""Routes of applications (pages and API). Another citizen's or agency's
application is a 404 (``hidden``)."""

from .rules import (
    AGENCY_A,
    AGENCY_OFFICERS,
    CITIZEN_A,
    SIGNED_IN,
    Rule,
    public,
    signed_in,
)

A = frozenset({CITIZEN_A})
SEES_APPLICATION = A | AGENCY_A
_app = lambda w: {"uuid": w.application.uuid}  # noqa: E731
_draft = lambda w: {"uuid": w.draft.uuid}  # noqa: E731
_step = lambda w: {"step": w.step.pk, "version": w.application.version}  # noqa: E731


def _seen_by(allow, **kw) -> Rule:
    return Rule(allow=allow, hidden=SIGNED_IN - allow, **kw)


def _officer_api(**kw) -> Rule:
    """Officer actions: officers with an agency reach them (the service
    checks the step); other agencies get a 404; others a 403."""
    return Rule(
        allow=AGENCY_A,
        hidden=AGENCY_OFFICERS - AGENCY_A,
        method="post",
        kwargs=_app,
        data=_step,
        **kw,
    )


RULES = {
    "permits:list": signed_in(),
    "permits:track": public(),
    "permits:work_list": Rule(allow=AGENCY_OFFICERS),
    "permits:start": signed_in(
        method="post", kwargs=lambda w: {"code": w.service.code}
    ),
    "permits:detail": _seen_by(SEES_APPLICATION, kwargs=_app),
    "permits:edit": _seen_by(A, kwargs=_draft),
    "permits:receipt": _seen_by(A, kwargs=_app),
    "permits:withdraw": _seen_by(A, method="post", kwargs=_draft),
    "permits:object": _seen_by(A, method="post", kwargs=_app),
    # The applicant reaches the view (it is their application); the service
    # refuses them (tests/permits/test_permissions.py).
    "permits:step_action": _seen_by(
        SEES_APPLICATION,
        method="post",
        kwargs=lambda w: {
            "uuid": w.application.uuid,
            "step_id": w.step.pk,
            "action": "complete",
        },
    ),
    "permits:document_download": _seen_by(
        SEES_APPLICATION,
        kwargs=lambda w: {"uuid": w.application.uuid, "document_uuid": w.document.uuid},
    ),
    "api:permits-api:application-list": signed_in(),
    "api:permits-api:application-detail": _seen_by(SEES_APPLICATION, kwargs=_app),
    "api:permits-api:application-timeline": _seen_by(SEES_APPLICATION, kwargs=_app),
    "api:permits-api:application-submit": _seen_by(A, method="post", kwargs=_draft),
    "api:permits-api:application-documents": _seen_by(A, method="post", kwargs=_draft),
    "api:permits-api:application-withdraw": _seen_by(A, method="post", kwargs=_draft),
    "api:permits-api:application-objection": _seen_by(A, method="post", kwargs=_app),
    "api:permits-api:application-resubmit": _seen_by(A, method="post", kwargs=_app),
    "api:permits-api:application-complete": _officer_api(),
    "api:permits-api:application-approve": _officer_api(),
    "api:permits-api:application-reject": _officer_api(),
    "api:permits-api:application-record-external": _officer_api(),
    "api:permits-api:application-request-revision": _officer_api(),
    "api:permits-api:document-list": signed_in(),
    "api:permits-api:document-detail": _seen_by(
        A, kwargs=lambda w: {"uuid": w.document.uuid}
    ),
}
