"""Services of the shared workflow against the real database."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest
import time_machine

from accounts.choices import OfficerRole
from agencies.choices import ServiceCategory, StepKind
from audit.models import AuditEntry
from notifications.models import Notification
from permits.choices import ApplicationStatus, StepStatus
from permits.models import Application, StatusChange
from permits.permissions import NotAllowedToAct
from permits.services import (
    application_approve,
    application_create_draft,
    application_lapse,
    application_object,
    application_reject,
    application_request_revision,
    application_resubmit,
    application_step_complete,
    application_submit,
    application_track,
    application_withdraw,
    document_upload,
)
from ptsp.exceptions import ApplicationError, InvalidTransition, StaleVersion
from tests.support.workflow import (
    VALID_FORM,
    active_step,
    make_officer,
    make_service,
    submit,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def act(fn, application, officer, **kwargs):
    application.refresh_from_db()
    return fn(
        application=application,
        step=active_step(application),
        user=officer.user,
        seen_version=application.version,
        **kwargs,
    )


def test_submit_numbers_copies_steps_and_starts_the_first(submitted):
    """Submission gives a PTSP-<WIB year>-NNNNNN reference, copies the four
    steps, starts the first, and writes history, audit and the receipt."""
    assert submitted.status == S.SUBMITTED
    year = timezone.now().astimezone(dt.timezone(dt.timedelta(hours=7))).year
    assert submitted.reference == f"PTSP-{year}-000001"
    assert [s.status for s in submitted.steps.order_by("order")] == [
        StepStatus.ACTIVE,
        StepStatus.PENDING,
        StepStatus.PENDING,
        StepStatus.PENDING,
    ]
    change = submitted.status_changes.get()
    assert (change.from_status, change.to_status) == (S.DRAFT, S.SUBMITTED)
    assert AuditEntry.objects.filter(
        action="application.submitted", object_id=str(submitted.pk)
    ).exists()
    assert Notification.objects.filter(
        event="application.submitted", recipient=submitted.applicant
    ).exists()


def test_references_count_up_per_year(licence, citizen):
    first, _ = submit(licence, citizen, key="a")
    second, _ = submit(licence, citizen, key="b")
    assert int(second.reference[-6:]) == int(first.reference[-6:]) + 1


def test_same_idempotency_key_submits_once(licence, citizen):
    """A double click: the second submit returns the same application, no code."""
    draft = application_create_draft(
        applicant=citizen, service=licence, form_data=dict(VALID_FORM)
    )
    first, code = application_submit(
        application=draft, applicant=citizen, idempotency_key="same"
    )
    again, code2 = application_submit(
        application=draft, applicant=citizen, idempotency_key="same"
    )
    assert again.pk == first.pk
    assert code
    assert code2 is None
    assert first.status_changes.count() == 1
    with pytest.raises(InvalidTransition):
        application_submit(application=draft, applicant=citizen, idempotency_key="x")


def test_invalid_form_keeps_the_draft_with_field_errors(licence, citizen):
    draft = application_create_draft(
        applicant=citizen, service=licence, form_data={"nik": "12"}
    )
    with pytest.raises(ValidationError) as error:
        application_submit(application=draft, applicant=citizen, idempotency_key="k")
    assert {"nik", "full_name", "str_number"} <= set(error.value.message_dict)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    assert draft.form_data == {"nik": "12"}
    assert draft.reference is None


def test_whole_journey_with_a_revision(
    submitted, front_office, verifier, approver, citizen
):
    """Front office verifies, Dinkes asks for a revision, the citizen fixes it,
    Dinkes recommends, the signatory approves, issuance issues the permit."""
    act(application_step_complete, submitted, front_office)
    submitted.refresh_from_db()
    assert submitted.status == S.IN_PROGRESS
    assert active_step(submitted).agency.code == "DINKES"
    act(
        application_request_revision,
        submitted,
        verifier,
        note="STR kedaluwarsa.",
        fields=["str_number"],
    )
    submitted.refresh_from_db()
    assert submitted.status == S.WAITING_FOR_APPLICANT
    assert submitted.revision_fields == ["str_number"]
    application_resubmit(
        application=submitted,
        applicant=citizen,
        form_data={**VALID_FORM, "str_number": "STR-999"},
    )
    submitted.refresh_from_db()
    # Back to the step that asked.
    assert submitted.status == S.IN_PROGRESS
    assert active_step(submitted).agency.code == "DINKES"
    act(application_step_complete, submitted, verifier, note="Direkomendasikan.")
    with pytest.raises(ApplicationError):
        act(application_step_complete, submitted, approver)
    act(application_approve, submitted, approver)
    submitted.refresh_from_db()
    assert submitted.status == S.APPROVED
    act(application_step_complete, submitted, front_office)
    submitted.refresh_from_db()
    assert submitted.status == S.ISSUED
    path = list(
        submitted.status_changes.order_by("created_at", "pk").values_list(
            "to_status", flat=True
        )
    )
    assert path == [
        S.SUBMITTED,
        S.IN_PROGRESS,
        S.WAITING_FOR_APPLICANT,
        S.IN_PROGRESS,
        S.IN_PROGRESS,
        S.APPROVED,
        S.APPROVED,  # the issuance step finished
        S.ISSUED,
    ]
    events = set(
        Notification.objects.filter(recipient=citizen).values_list("event", flat=True)
    )
    assert {
        "application.submitted",
        "application.revision_requested",
        "application.resubmitted",
        "application.approved",
        "application.issued",
    } <= events


def test_stale_version_is_refused_and_nothing_changes(submitted, front_office):
    seen = submitted.version
    act(application_step_complete, submitted, front_office)
    submitted.refresh_from_db()
    with pytest.raises(StaleVersion):
        application_step_complete(
            application=submitted,
            step=submitted.steps.get(order=2),
            user=front_office.user,
            seen_version=seen,
        )
    assert submitted.status_changes.count() == 2


def test_only_the_steps_agency_and_role_may_act(submitted, verifier, dinsos):
    stranger = make_officer("asing", agency=dinsos, role=OfficerRole.FRONT_OFFICE)
    for officer in (verifier, stranger):
        with pytest.raises(NotAllowedToAct):
            act(application_step_complete, submitted, officer)
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_a_delegate_acts_for_the_officer_on_leave(submitted, front_office, dpmptsp):
    from accounts.models import Delegation

    delegate = make_officer("pengganti", agency=dpmptsp, role=OfficerRole.APPROVER)
    now = timezone.now()
    Delegation.objects.create(
        delegator=front_office,
        delegate=delegate,
        kind="tasks",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(days=1),
        reason="Cuti.",
        created_by=front_office.user,
    )
    act(application_step_complete, submitted, delegate)
    assert submitted.steps.get(order=1).assigned_officer == front_office


def test_parallel_steps_fan_out_and_join(dpmptsp, dinkes, dinsos, citizen):
    A = StepKind.AGENCY
    service = make_service(
        code="pbg-umum",
        agency=dpmptsp,
        issuer=dpmptsp,
        category=ServiceCategory.PERMIT,
        steps=[
            (A, dinkes, OfficerRole.TECHNICAL_REVIEWER, "teknis", ""),
            (A, dinsos, OfficerRole.TECHNICAL_REVIEWER, "teknis", ""),
            (StepKind.EXTERNAL_SYSTEM, dpmptsp, OfficerRole.FRONT_OFFICE, "", "SIMBG"),
        ],
    )
    application, _ = submit(service, citizen)
    assert application.steps.filter(status=StepStatus.ACTIVE).count() == 2
    one = make_officer("t1", agency=dinkes, role=OfficerRole.TECHNICAL_REVIEWER)
    two = make_officer("t2", agency=dinsos, role=OfficerRole.TECHNICAL_REVIEWER)
    application_step_complete(
        application=application,
        step=application.steps.get(order=1),
        user=one.user,
        seen_version=Application.objects.get(pk=application.pk).version,
    )
    # Joined: the third step waits for the second.
    assert application.steps.get(order=3).status == StepStatus.PENDING
    application_step_complete(
        application=application,
        step=application.steps.get(order=2),
        user=two.user,
        seen_version=Application.objects.get(pk=application.pk).version,
    )
    external = application.steps.get(order=3)
    assert external.status == StepStatus.ACTIVE
    fo = make_officer("fo2", agency=dpmptsp, role=OfficerRole.FRONT_OFFICE)
    with pytest.raises(ApplicationError):
        act(application_step_complete, application, fo)
    act(application_step_complete, application, fo, external_reference="SIMBG-77")
    application.refresh_from_db()
    assert application.steps.get(order=3).external_reference == "SIMBG-77"
    assert application.status == S.ISSUED


def test_data_correction_ends_completed(dpmptsp, citizen):
    bpjs_fo = make_officer("bpjs", agency=dpmptsp, role=OfficerRole.VERIFIER)
    service = make_service(
        code="bpjskes-pindah-fktp",
        agency=dpmptsp,
        issuer=None,
        category=ServiceCategory.DATA_CORRECTION,
        steps=[(StepKind.AGENCY, dpmptsp, OfficerRole.VERIFIER, "", "")],
    )
    application, _ = submit(
        service, citizen, form={k: VALID_FORM[k] for k in ("full_name", "nik", "phone")}
    )
    act(application_step_complete, application, bpjs_fo)
    application.refresh_from_db()
    assert application.status == S.COMPLETED


def test_reject_needs_a_reason_and_an_objection_goes_to_the_agency_head(
    submitted, front_office, verifier, dinkes_head, citizen
):
    act(application_step_complete, submitted, front_office)
    with pytest.raises(ApplicationError):
        act(application_reject, submitted, verifier, reason=" ")
    act(application_reject, submitted, verifier, reason="STR tidak berlaku.")
    submitted.refresh_from_db()
    assert submitted.status == S.REJECTED
    with pytest.raises(InvalidTransition):
        application_withdraw(application=submitted, applicant=citizen)
    application_object(application=submitted, applicant=citizen, reason="STR valid.")
    submitted.refresh_from_db()
    step = active_step(submitted)
    assert (step.role, step.agency.code) == (OfficerRole.AGENCY_HEAD, "DINKES")
    act(application_step_complete, submitted, dinkes_head)
    submitted.refresh_from_db()
    # Granted: the Dinkes review runs again.
    assert active_step(submitted).order == 2
    with pytest.raises(ApplicationError):
        application_object(application=submitted, applicant=citizen, reason="lagi")


def test_objection_period_ends(submitted, front_office, citizen, settings):
    act(application_reject, submitted, front_office, reason="Berkas tidak lengkap.")
    later = timezone.now() + dt.timedelta(days=settings.PERMITS_OBJECTION_DAYS + 1)
    with time_machine.travel(later), pytest.raises(ApplicationError):
        application_object(application=submitted, applicant=citizen, reason="x")


def test_withdraw_before_a_decision(submitted, citizen, other_citizen):
    with pytest.raises(ApplicationError):
        application_withdraw(application=submitted, applicant=other_citizen)
    application_withdraw(application=submitted, applicant=citizen)
    submitted.refresh_from_db()
    assert submitted.status == S.WITHDRAWN
    assert not submitted.steps.filter(status=StepStatus.ACTIVE).exists()


def test_unanswered_revision_lapses_once(submitted, front_office):
    act(application_request_revision, submitted, front_office, note="Foto buram.")
    assert application_lapse(application_id=submitted.pk) is None  # not yet
    submitted.refresh_from_db()
    with time_machine.travel(submitted.applicant_deadline_at + dt.timedelta(minutes=1)):
        assert application_lapse(application_id=submitted.pk) is not None
        assert application_lapse(application_id=submitted.pk) is None
    submitted.refresh_from_db()
    assert submitted.status == S.LAPSED
    assert Notification.objects.filter(event="application.deadline_lapsed").exists()


def test_revision_is_refused_until_each_flagged_item_changed(
    submitted, front_office, verifier, citizen, settings, tmp_path
):
    """The officer flags the STR number and the KTP-el: sending back the same
    answer and no new file names both; a new answer leaves only the KTP-el;
    a new upload lets the revision through."""
    settings.MEDIA_ROOT = tmp_path
    act(application_step_complete, submitted, front_office)
    act(
        application_request_revision,
        submitted,
        verifier,
        note="STR dan KTP tidak terbaca.",
        fields=["str_number", "ktp"],
    )
    submitted.refresh_from_db()
    labels = dict(submitted.revision_choices)
    with pytest.raises(ValidationError) as refused:
        application_resubmit(
            application=submitted, applicant=citizen, form_data=submitted.form_data
        )
    assert labels["str_number"] in refused.value.messages[0]
    assert labels["ktp"] in refused.value.messages[0]
    changed = {**submitted.form_data, "str_number": "STR-999"}
    with pytest.raises(ValidationError) as refused:
        application_resubmit(
            application=submitted, applicant=citizen, form_data=changed
        )
    assert labels["str_number"] not in refused.value.messages[0]
    assert labels["ktp"] in refused.value.messages[0]
    submitted.refresh_from_db()
    assert submitted.status == S.WAITING_FOR_APPLICANT
    document_upload(
        owner=citizen, requirement_code="ktp", content=PDF, application=submitted
    )
    application_resubmit(application=submitted, applicant=citizen, form_data=changed)
    submitted.refresh_from_db()
    assert submitted.status == S.IN_PROGRESS
    assert submitted.revision_baseline == {}


def test_tracking_needs_reference_and_code(licence, citizen):
    application, code = submit(licence, citizen)
    assert application_track(reference=application.reference, code=code) == application
    assert application_track(reference=application.reference, code="AAAA-BBBB") is None
    assert application_track(reference="PTSP-1999-000001", code=code) is None


def test_tracking_accepts_the_code_and_reference_typed_with_spaces_or_none(
    licence, citizen
):
    """The receipt prints "0A49-1AE8-ED2B"; a citizen may type it with spaces,
    without separators or in lower case, and the reference likewise."""
    application, code = submit(licence, citizen)
    compact = code.replace("-", "")
    year, number = application.reference.split("-")[1:]
    for typed in (code.replace("-", " "), compact, compact.lower(), f" {code} "):
        assert (
            application_track(reference=application.reference, code=typed)
            == application
        ), typed
    for reference in (f"ptsp {year} {number}", f"PTSP{year}{number}"):
        assert application_track(reference=reference, code=compact) == application
    assert application_track(reference=application.reference, code=compact[:-1]) is None


def test_upload_sniffs_type_and_attaches(licence, citizen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft = application_create_draft(applicant=citizen, service=licence)
    doc = document_upload(
        owner=citizen,
        requirement_code="ktp",
        content=PDF,
        original_name="ktp.png",
        application=draft,
    )
    assert doc.content_type == "application/pdf"
    assert doc.file.name.endswith(".pdf")
    assert "ktp" not in doc.file.name
    assert list(draft.documents.all()) == [doc]
    with pytest.raises(ApplicationError):
        document_upload(owner=citizen, requirement_code="ktp", content=b"MZ" * 40)
    settings.PERMITS_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ApplicationError):
        document_upload(owner=citizen, requirement_code="ktp", content=PNG)
    assert StatusChange.objects.count() == 0


def test_notices_name_the_service_and_step_in_the_readers_language(
    citizen, dpmptsp, dinkes
):
    """The service and step names are stored in both languages: an English
    reader sees the English names, an Indonesian one the Indonesian names, and
    a step without an English name falls back to the Indonesian."""
    from notifications.delivery import notification_render

    A = StepKind.AGENCY
    licence = make_service(
        code="sip-dokter-en",
        agency=dinkes,
        issuer=dpmptsp,
        name="Surat Izin Praktik Dokter",
        name_en="Doctor's Practice Licence",
        step_names_en=["Document check"],
        steps=[
            (A, dpmptsp, OfficerRole.FRONT_OFFICE, "", ""),
            (A, dinkes, OfficerRole.VERIFIER, "", ""),
        ],
    )
    application, _ = submit(licence, citizen)
    submitted = Notification.objects.filter(
        recipient=citizen, event="application.submitted"
    ).first()
    assert submitted.context["service"] == {
        "$text": {"id": "Surat Izin Praktik Dokter", "en": "Doctor's Practice Licence"}
    }
    assert (
        "Doctor's Practice Licence" in notification_render(submitted, language="en")[1]
    )
    assert (
        "Surat Izin Praktik Dokter" in notification_render(submitted, language="id")[1]
    )

    front_office = make_officer("fo-en", agency=dpmptsp, role=OfficerRole.FRONT_OFFICE)
    act(application_step_complete, application, front_office)
    completed = Notification.objects.get(
        recipient=citizen, event="application.step_completed", channel="in_app"
    )
    _subject, english = notification_render(completed, language="en")
    assert "Document check" in english
    assert "Tahap 2" in english  # the next step has no English name
    assert "Tahap 1" in notification_render(completed, language="id")[1]
