"""Assisted submission at a service point: the citizen (with or without an
account) confirms with a one-time code, which submits the application and
starts the SLA clock; an account made at the counter is claimed later with the
same code."""

import datetime as dt

from django.core.exceptions import ValidationError

import pytest
import time_machine

from accounts.choices import OfficerRole
from accounts.models import User
from accounts.services.codes import CodeRejected
from channeling import services
from channeling.choices import AssistedStatus
from channeling.permissions import NotAtCounter
from notifications.models import Notification
from permits.choices import ApplicationStatus, StepStatus
from permits.selectors import applications_of
from ptsp.exceptions import ApplicationError
from sla.models import SlaTimer

from .conftest import CORRECTION, NIK, PDF, code_sent_to

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
EMAIL = "siti@example.org"


def start(operator, service, **citizen):
    fields = {
        "nik": NIK,
        "full_name": "Siti Rahma",
        "phone": "0812 3456 7890",
        "email": EMAIL,
    }
    fields.update(citizen)
    return services.assisted_start(user=operator, service=service, **fields)


def file_and_send(operator, service, **citizen):
    assisted = start(operator, service, **citizen)
    services.assisted_update(
        assisted=assisted,
        user=operator,
        form_data={**assisted.application.form_data, **CORRECTION},
    )
    services.assisted_document_upload(
        assisted=assisted,
        user=operator,
        requirement_code="ktp-el",
        content=PDF,
        original_name="ktp.pdf",
    )
    services.assisted_send_code(assisted=assisted, user=operator)
    assisted.refresh_from_db()
    return assisted


def test_a_citizen_without_account_gets_one_and_the_draft_is_theirs(
    operator, correction_service, kecamatan
):
    assisted = start(operator, correction_service)
    citizen = assisted.citizen
    assert assisted.account_created
    assert (citizen.nik, citizen.phone, citizen.email) == (
        NIK,
        "+6281234567890",
        EMAIL,
    )
    assert not citizen.is_active
    assert not citizen.has_usable_password()
    assert assisted.office == kecamatan
    assert assisted.operator.user == operator
    application = assisted.application
    assert application.applicant == citizen
    assert application.status == ApplicationStatus.DRAFT
    assert application.form_data == {
        "full_name": "Siti Rahma",
        "nik": NIK,
        "phone": "+6281234567890",
    }


def test_the_code_is_sent_only_for_complete_answers(operator, correction_service):
    assisted = start(operator, correction_service)
    with pytest.raises(ValidationError) as error:
        services.assisted_send_code(assisted=assisted, user=operator)
    assert "participant_number" in error.value.message_dict
    assisted.refresh_from_db()
    assert assisted.status == AssistedStatus.DRAFT


def test_confirmation_submits_and_starts_the_clock_at_the_code(
    operator, correction_service
):
    start_at = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # Monday 09:00 WIB
    with time_machine.travel(start_at, tick=False):
        assisted = file_and_send(operator, correction_service)
        code = code_sent_to(EMAIL)
    confirm_at = start_at + dt.timedelta(minutes=7)
    with time_machine.travel(confirm_at, tick=False):
        assisted, tracking = services.assisted_confirm(assisted=assisted, code=code)
    application = assisted.application
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_at == confirm_at  # not when the draft was made
    clock = SlaTimer.objects.get(application=application, step__isnull=True)
    assert clock.started_at == confirm_at  # the SLA clock starts at the code
    assert application.due_at is not None
    assert application.reference.startswith("PTSP-2026-")
    assert tracking
    assert assisted.status == AssistedStatus.CONFIRMED
    assert assisted.confirmed_at == confirm_at
    # The filing step is done by the submission; BPJS's check is next.
    steps = list(application.steps.order_by("order"))
    assert [s.status for s in steps] == [
        StepStatus.DONE,
        StepStatus.ACTIVE,
        StepStatus.PENDING,
    ]
    assert steps[1].agency.code == "BPJSKES"
    citizen = User.objects.get(pk=assisted.citizen_id)
    assert citizen.is_active
    assert citizen.email_verified_at == confirm_at
    assert list(applications_of(citizen)) == [application]
    assert Notification.objects.filter(
        recipient=citizen, event="application.submitted"
    ).exists()
    # Confirming again changes nothing.
    again, none = services.assisted_confirm(assisted=assisted, code=code)
    assert none is None
    assert again.confirmed_at == confirm_at


def test_a_wrong_code_is_counted_and_submits_nothing(operator, correction_service):
    assisted = file_and_send(operator, correction_service)
    code = code_sent_to(EMAIL)
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(CodeRejected):
        services.assisted_confirm(assisted=assisted, code=wrong)
    assisted.refresh_from_db()
    assert assisted.status == AssistedStatus.AWAITING_CONFIRMATION
    assert assisted.application.status == ApplicationStatus.DRAFT
    assert assisted.citizen.one_time_codes.get().attempts == 1


def test_the_account_is_claimed_with_the_same_code(operator, correction_service):
    assisted = file_and_send(operator, correction_service)
    code = code_sent_to(EMAIL)
    services.assisted_confirm(assisted=assisted, code=code)
    with pytest.raises(CodeRejected):
        services.account_claim(
            identifier=NIK,
            code="999999" if code != "999999" else "000000",
            new_password="Kata-sandi-baru-2026",
        )
    with pytest.raises(ValidationError) as weak:
        services.account_claim(identifier=NIK, code=code, new_password="123")
    assert "new_password" in weak.value.message_dict
    user = services.account_claim(
        identifier="0812-3456-7890", code=code, new_password="Kata-sandi-baru-2026"
    )
    user.refresh_from_db()
    assert user.check_password("Kata-sandi-baru-2026")
    assisted.refresh_from_db()
    assert assisted.claimed_at is not None
    assert assisted.claim_attempts == 1
    with pytest.raises(CodeRejected):  # once only
        services.account_claim(
            identifier=NIK, code=code, new_password="Kata-sandi-lain-2026"
        )


def test_an_existing_account_gets_the_code_at_its_own_address(
    operator, correction_service
):
    citizen = User.objects.create_user(
        username="siti",
        password="pw-Rahasia-123",
        full_name="Siti Rahma",
        nik=NIK,
        email="siti.asli@example.org",
        phone="+6281111111111",
    )
    assisted = file_and_send(
        operator, correction_service, full_name="", phone="", email="lain@example.org"
    )
    assert assisted.citizen == citizen
    assert not assisted.account_created
    assert assisted.code_address == "siti.asli@example.org"
    code = code_sent_to("siti.asli@example.org")
    assisted, _tracking = services.assisted_confirm(assisted=assisted, code=code)
    assert assisted.application.applicant == citizen
    with pytest.raises(CodeRejected):  # nothing to claim: the account had a password
        services.account_claim(identifier=NIK, code=code, new_password="X-y-z-2026-ab")


def test_a_phone_of_another_account_is_refused(operator, correction_service):
    User.objects.create_user(username="lain", phone="+6281234567890")
    with pytest.raises(ValidationError) as error:
        start(operator, correction_service)
    assert "phone" in error.value.message_dict


def test_without_sms_a_new_citizen_needs_an_email(operator, correction_service):
    with pytest.raises(ValidationError) as error:
        start(operator, correction_service, email="")
    assert "email" in error.value.message_dict


def test_with_sms_the_code_goes_to_the_phone(operator, correction_service, gateway):
    assisted = file_and_send(operator, correction_service, email="")
    assert assisted.code_channel == "sms"
    from tests.accounts.conftest import deliver_all

    deliver_all()
    message = gateway.handset[-1]
    assert message["to"] == "+6281234567890"
    code = message["text"].split(":")[0]
    assisted, _ = services.assisted_confirm(assisted=assisted, code=code)
    assert assisted.citizen.phone_verified_at is not None


def test_only_a_counter_officer_of_the_office_files(
    operator, other_operator, bpjs_officer, correction_service
):
    with pytest.raises(NotAtCounter):
        start(bpjs_officer, correction_service)
    assisted = start(operator, correction_service)
    with pytest.raises(ApplicationError):
        services.assisted_update(assisted=assisted, user=other_operator, form_data={})
    with pytest.raises(ApplicationError):
        services.assisted_send_code(assisted=assisted, user=other_operator)


def test_cancel_withdraws_the_draft(operator, correction_service):
    assisted = start(operator, correction_service)
    services.assisted_cancel(assisted=assisted, user=operator, reason="pergi")
    assisted.refresh_from_db()
    assert assisted.status == AssistedStatus.CANCELLED
    assert assisted.application.status == ApplicationStatus.WITHDRAWN


def test_a_kelurahan_head_cannot_file_but_front_office_at_the_mpp_can(
    make_staff, mpp, correction_service
):
    head = make_staff(OfficerRole.OFFICE_HEAD, office=mpp)
    with pytest.raises(NotAtCounter):
        start(head, correction_service)
    front = make_staff(OfficerRole.FRONT_OFFICE, office=mpp)
    assert start(front, correction_service).office == mpp
