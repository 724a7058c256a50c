"""Fixtures of issued documents: the permits fixtures (a practice-licence-like
service, officers, citizens) and a helper that walks an application to its
issued permit."""

import pytest

from accounts.choices import OfficerRole
from accounts.models import User
from documents.tasks import document_render
from permits.services import application_approve, application_step_complete
from tests.permits.conftest import (  # noqa: F401  (fixtures)
    _audit_actor,
    licence,
    submitted,
)
from tests.support.workflow import (  # noqa: F401  (used here or by tests)
    make_officer,
    submit,
)


def act(fn, application, officer, **kwargs):
    application.refresh_from_db()
    step = application.steps.get(status="active")
    return fn(
        application=application,
        step=step,
        user=officer.user,
        seen_version=application.version,
        **kwargs,
    )


def issue(application, fo, reviewer, signatory):
    """Walk ``application`` through its four steps to the issued permit and
    render the permit's PDF (as the worker would after commit)."""
    act(application_step_complete, application, fo)
    act(application_step_complete, application, reviewer)
    act(application_approve, application, signatory)
    act(application_step_complete, application, fo)
    application.refresh_from_db()
    document = application.issued_documents.exclude(kind="receipt").get()
    document_render(document.pk)
    document.refresh_from_db()
    return document


@pytest.fixture
def issued(submitted, front_office, verifier, approver):  # noqa: F811
    approver.user.full_name = "Budi Santoso"
    approver.user.save(update_fields=["full_name"])
    return issue(submitted, front_office, verifier, approver)


@pytest.fixture
def auditor(db):
    from django.contrib.auth.models import Group

    user = User.objects.create_user(username="auditor", password="pw-Rahasia-123")
    user.groups.add(Group.objects.get_or_create(name="auditor")[0])
    return user


@pytest.fixture
def dinsos_approver(db):
    from agencies.choices import AgencyKind
    from agencies.models import Agency

    dinsos = Agency.objects.create(code="DINSOS", name="Dinsos", kind=AgencyKind.DINAS)
    return make_officer("ttd-dinsos", agency=dinsos, role=OfficerRole.APPROVER)
