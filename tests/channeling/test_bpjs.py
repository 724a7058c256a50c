"""BPJS participant-data corrections: their form, the BPJS queue, completion
by BPJS's reference (recorded by hand or through the hand-over adapter against
a fake BPJS gateway on loopback), rejection."""

import pytest

from channeling import services
from channeling.choices import HandoverStatus
from channeling.tasks import bpjs_handover_send_task, bpjs_handovers_poll_task
from notifications.models import Notification
from permits import services as permits_services
from permits.choices import ApplicationStatus
from permits.forms_schema import effective_schema
from permits.selectors import work_list_for
from ptsp.exceptions import ApplicationError, StaleVersion

from .conftest import CORRECTION, NIK, code_sent_to
from .fake_bpjs import TOKEN, BpjsServer

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def fake_bpjs(settings):
    with BpjsServer() as fake:
        settings.CHANNELING_BPJS_ADAPTERS = {
            "BPJSKES": {
                "ADAPTER": "channeling.bpjs.HttpJsonBpjsAdapter",
                "URL": fake.url,
                "TOKEN": TOKEN,
            }
        }
        settings.CHANNELING_BPJS_TIMEOUT = 2
        yield fake


def confirmed_correction(operator, service):
    assisted = services.assisted_start(
        user=operator,
        service=service,
        nik=NIK,
        full_name="Siti Rahma",
        phone="081234567890",
        email="siti@example.org",
    )
    services.assisted_update(
        assisted=assisted,
        user=operator,
        form_data={**assisted.application.form_data, **CORRECTION},
    )
    services.assisted_send_code(assisted=assisted, user=operator)
    assisted, _ = services.assisted_confirm(
        assisted=assisted, code=code_sent_to("siti@example.org")
    )
    return assisted.application


@pytest.fixture
def at_data_update(operator, correction_service, bpjs_verifier):
    """A confirmed correction whose document check BPJS has done."""
    application = confirmed_correction(operator, correction_service)
    step = application.steps.get(role="verifier")
    application.refresh_from_db()
    return permits_services.application_step_complete(
        application=application,
        step=step,
        user=bpjs_verifier,
        seen_version=application.version,
    )


def test_the_forms_carry_the_correction_fields(catalogue, correction_service):
    from agencies.models import Service

    health = effective_schema(correction_service.current_version)["properties"]
    assert health["participant_number"]["pattern"] == "^[0-9]{13}$"
    assert health["data_item"]["enum"] == [
        "nama",
        "tanggal_lahir",
        "nik",
        "anggota_keluarga",
        "alamat",
        "faskes",
    ]
    employment = Service.objects.get(code="bpjstk-ubah-data").current_version
    items = effective_schema(employment)["properties"]["data_item"]["enum"]
    assert "faskes" not in items
    assert "anggota_keluarga" in items


def test_the_correction_reaches_the_bpjs_queue(
    operator, correction_service, bpjs_verifier, bpjs_officer
):
    application = confirmed_correction(operator, correction_service)
    assert [i.step.application for i in work_list_for(bpjs_verifier)] == [application]
    assert work_list_for(bpjs_officer) == []


def test_the_officer_completes_by_recording_bpjs_reference(
    at_data_update, bpjs_officer, bpjs_verifier
):
    application = at_data_update
    with pytest.raises(ApplicationError):  # the verifier may not change the data
        services.bpjs_correction_complete(
            application=application,
            user=bpjs_verifier,
            reference="X",
            seen_version=application.version,
        )
    with pytest.raises(StaleVersion):
        services.bpjs_correction_complete(
            application=application,
            user=bpjs_officer,
            reference="JKN-77",
            seen_version=application.version - 1,
        )
    done = services.bpjs_correction_complete(
        application=application,
        user=bpjs_officer,
        reference=" JKN-77 ",
        seen_version=application.version,
    )
    assert done.status == ApplicationStatus.COMPLETED
    step = done.steps.get(role="approver")
    assert step.external_reference == "JKN-77"
    assert Notification.objects.filter(
        recipient=done.applicant, event="application.completed"
    ).exists()


def test_a_rejection_needs_a_reason_and_ends_it(at_data_update, bpjs_officer):
    application = at_data_update
    with pytest.raises(ApplicationError):
        services.bpjs_correction_reject(
            application=application,
            user=bpjs_officer,
            reason=" ",
            seen_version=application.version,
        )
    rejected = services.bpjs_correction_reject(
        application=application,
        user=bpjs_officer,
        reason="Nama di KK berbeda.",
        seen_version=application.version,
    )
    assert rejected.status == ApplicationStatus.REJECTED


def test_without_an_adapter_the_hand_over_is_refused(at_data_update, bpjs_officer):
    with pytest.raises(ApplicationError):
        services.bpjs_handover_start(application=at_data_update, user=bpjs_officer)


def test_hand_over_then_bpjs_completes_it_later(
    at_data_update, bpjs_officer, fake_bpjs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        handover = services.bpjs_handover_start(
            application=at_data_update, user=bpjs_officer
        )
    assert len(callbacks) == 1  # sent after the commit
    assert handover.status == HandoverStatus.PENDING
    bpjs_handover_send_task(handover.pk)
    bpjs_handover_send_task(handover.pk)  # twice: nothing more happens
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.SENT
    method, path, body = fake_bpjs.requests[0]
    assert (method, path) == ("POST", "/corrections")
    assert body["participant_number"] == CORRECTION["participant_number"]
    assert body["reference"] == at_data_update.reference
    assert body["data_item"] == "nama"
    assert len(fake_bpjs.corrections) == 1
    assert bpjs_handovers_poll_task() == 1  # still being worked on at BPJS
    reference = fake_bpjs.finish(handover.ticket)
    bpjs_handovers_poll_task()
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.COMPLETED
    assert handover.external_reference == reference
    at_data_update.refresh_from_db()
    assert at_data_update.status == ApplicationStatus.COMPLETED
    assert at_data_update.steps.get(role="approver").external_reference == reference
    assert bpjs_handovers_poll_task() == 0


def test_bpjs_down_keeps_it_pending_for_the_sweep(
    at_data_update, bpjs_officer, fake_bpjs
):
    fake_bpjs.fail_next = 1
    fake_bpjs.answer_state = "rejected"
    handover = services.bpjs_handover_start(
        application=at_data_update, user=bpjs_officer
    )
    bpjs_handover_send_task(handover.pk)
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.PENDING
    assert handover.attempts == 1
    bpjs_handovers_poll_task()
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.REJECTED
    at_data_update.refresh_from_db()
    assert at_data_update.status == ApplicationStatus.REJECTED
    assert "Data KK beda" in at_data_update.status_changes.last().reason


def test_recording_by_hand_closes_an_open_hand_over(
    at_data_update, bpjs_officer, fake_bpjs
):
    handover = services.bpjs_handover_start(
        application=at_data_update, user=bpjs_officer
    )
    at_data_update.refresh_from_db()
    services.bpjs_correction_complete(
        application=at_data_update,
        user=bpjs_officer,
        reference="JKN-BY-HAND",
        seen_version=at_data_update.version,
    )
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.COMPLETED
    bpjs_handover_send_task(handover.pk)
    assert fake_bpjs.requests == []  # nothing sent after it was done


def test_the_approver_cannot_approve_without_bpjs_reference(
    at_data_update, bpjs_officer, client
):
    """The generic "approve" would complete the correction with no BPJS
    reference: it is refused, and both the application page and the workspace
    page send the approver to the BPJS page where the reference is recorded."""
    from django.urls import reverse

    application = at_data_update
    step = application.steps.get(role="approver")
    with pytest.raises(ApplicationError):
        permits_services.application_approve(
            application=application,
            step=step,
            user=bpjs_officer,
            seen_version=application.version,
        )
    client.force_login(bpjs_officer)
    approve = reverse(
        "permits:step_action", args=[application.uuid, step.pk, "approve"]
    )
    for name in ("permits:detail", "workspace:application"):
        html = client.get(reverse(name, args=[application.uuid])).content.decode()
        assert reverse("channeling:bpjs", args=[application.uuid]) in html, name
        assert approve not in html, name
    client.post(approve, {"version": application.version})
    application.refresh_from_db()
    assert application.status != ApplicationStatus.COMPLETED
