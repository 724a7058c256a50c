"""HTML pages: the bill page for its applicant and the application's
officers (404 for anyone else), the assessment form only at the fee step,
manual confirmation with evidence for Bapenda, the evidence as an attachment,
and the application page offering "pay", not "fix", at the payment step."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

import pytest

from payments.choices import BillStatus

from .conftest import PDF

pytestmark = pytest.mark.django_db


def test_bill_page_is_scoped(login, client, bill, citizen, other_citizen, assessor):
    page = reverse("payments:bill_detail", args=[bill.uuid])
    response = login(citizen).get(page)
    assert response.status_code == 200
    assert "Rp 270.000" in response.content.decode()
    assert login(assessor).get(page).status_code == 200
    assert login(other_citizen).get(page).status_code == 404
    client.logout()
    assert client.get(page).status_code == 302  # to the login page


def test_application_page_offers_pay_not_fix(login, bill, citizen):
    page = login(citizen).get(reverse("permits:detail", args=[bill.application.uuid]))
    html = page.content.decode()
    assert reverse("payments:bill_detail", args=[bill.uuid]) in html
    assert reverse("permits:edit", args=[bill.application.uuid]) not in html


def test_assessment_form_only_at_the_fee_step(login, at_fee_step, assessor, citizen):
    page = reverse("payments:bill_issue", args=[at_fee_step.uuid])
    assert login(citizen).get(page).status_code == 404
    c = login(assessor)
    assert c.get(page).status_code == 200
    response = c.post(
        page,
        {
            "version": at_fee_step.version,
            "floor_area_m2": "90",
            "building_function": "residential",
            "exemption": "",
        },
    )
    assert response.status_code == 302
    assert at_fee_step.bills.get().amount == 337_500
    assert c.get(page).status_code == 404  # the step is done


def test_cashier_confirms_with_evidence_and_downloads_it(
    login, bill, cashier, citizen, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    c = login(cashier)
    page = reverse("payments:confirm", args=[bill.uuid])
    assert login(citizen).get(page).status_code == 403
    c = login(cashier)
    paid_at = (timezone.now() - dt.timedelta(minutes=5)).astimezone(
        dt.timezone(dt.timedelta(hours=7))
    )
    response = c.post(
        page,
        {
            "amount": bill.amount,
            "paid_at": paid_at.strftime("%Y-%m-%dT%H:%M"),
            "reference": "TELLER-9",
            "evidence": SimpleUploadedFile("bukti.pdf", PDF),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    bill.refresh_from_db()
    assert bill.status == BillStatus.PAID
    download = c.get(reverse("payments:evidence", args=[bill.uuid]))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF
    assert (
        login(citizen).get(reverse("payments:evidence", args=[bill.uuid])).status_code
        == 200
    )


def test_service_page_shows_the_rule(client, pbg):
    response = client.get(reverse("agencies:service_detail", args=["pbg-uji"]))
    html = response.content.decode()
    assert 'data-testid="fee-rule"' in html
    assert 'data-testid="fee-assumed"' in html


def test_fee_step_offers_the_bill_not_the_generic_complete(
    login, at_fee_step, assessor
):
    """At the SKRD step both the application page and the workspace page lead
    the officer to the levy assessment; no "complete this step" form, and a
    forged "complete" post leaves the step active."""
    c = login(assessor)
    complete = reverse(
        "permits:step_action",
        args=[at_fee_step.uuid, at_fee_step.steps.get(order=2).pk, "complete"],
    )
    for name in ("permits:detail", "workspace:application"):
        html = c.get(reverse(name, args=[at_fee_step.uuid])).content.decode()
        assert reverse("payments:bill_issue", args=[at_fee_step.uuid]) in html, name
        assert complete not in html, name
    c.post(complete, {"version": at_fee_step.version})
    assert at_fee_step.steps.get(order=2).status == "active"
    assert not at_fee_step.bills.exists()


def test_assessment_is_prefilled_from_the_pbg_form(login, at_fee_step, assessor):
    at_fee_step.form_data = {
        **at_fee_step.form_data,
        "floor_area_m2": 72.5,
        "building_function": "business",
    }
    at_fee_step.save(update_fields=["form_data"])
    page = login(assessor).get(reverse("payments:bill_issue", args=[at_fee_step.uuid]))
    form = page.context["form"]
    assert form.initial["floor_area_m2"] == 72.5
    assert form.initial["building_function"] == "business"


def test_pbg_form_asks_for_the_building():
    from permits.forms_schema import default_schema

    for code in ("pbg-rts-10jam", "pbg-umum"):
        schema = default_schema(code)
        for key in ("building_address", "floor_area_m2", "building_function"):
            assert key in schema["properties"]
            assert key in schema["required"]


def test_fee_computation_uses_the_page_languages_decimals(login, bill, citizen):
    c = login(citizen)
    c.cookies["django_language"] = "id"
    html = c.get(reverse("payments:bill_detail", args=[bill.uuid])).content.decode()
    assert "72 m² \u00d7 0,005 \u00d7 Rp 5.000.000 \u00d7 0,15 \u00d7 1" in html
    c.cookies["django_language"] = "en"
    html = c.get(reverse("payments:bill_detail", args=[bill.uuid])).content.decode()
    assert "72 m² \u00d7 0.005 \u00d7 Rp 5,000,000 \u00d7 0.15 \u00d7 1" in html


def test_manual_confirmation_reports_every_error_in_one_submit(
    login, bill, cashier, settings, tmp_path
):
    """All of the form's problems at once, not the first one per submit:
    the service's checks (amount below the bill, a future time) run on the
    values that parsed even though the evidence and reference are missing."""
    settings.MEDIA_ROOT = tmp_path
    c = login(cashier)
    page = reverse("payments:confirm", args=[bill.uuid])
    future = (timezone.now() + dt.timedelta(days=1)).astimezone(
        dt.timezone(dt.timedelta(hours=7))
    )
    response = c.post(
        page,
        {"amount": 1, "paid_at": future.strftime("%Y-%m-%dT%H:%M"), "reference": ""},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["amount"] == ["Jumlah yang dibayar kurang dari tagihan."]
    assert errors["paid_at"] == ["Waktu pembayaran tidak boleh di masa depan."]
    assert "reference" in errors
    assert "evidence" in errors
    html = response.content.decode()
    assert "Jumlah yang dibayar kurang dari tagihan." in html
    assert "Waktu pembayaran tidak boleh di masa depan." in html

    response = c.post(
        page,
        {
            "amount": 1,
            "paid_at": future.strftime("%Y-%m-%dT%H:%M"),
            "reference": "TELLER-9",
            "evidence": SimpleUploadedFile("bukti.txt", b"plain text"),
        },
    )
    errors = response.context["form"].errors
    assert set(errors) == {"amount", "paid_at", "evidence"}
    assert errors["evidence"] == ["Hanya berkas PDF, JPEG, atau PNG yang diterima."]
    bill.refresh_from_db()
    assert bill.status != BillStatus.PAID
