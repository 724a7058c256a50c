"""Pages of the counter, the report and BPJS corrections: scoping (another
office or agency: 404), the report's figures, bounded queries on the list."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

import pytest

from channeling import services
from channeling.selectors import service_point_report

from .conftest import CORRECTION, NIK, code_sent_to

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def filed(operator, service, nik=NIK, email="siti@example.org", confirm=True):
    assisted = services.assisted_start(
        user=operator,
        service=service,
        nik=nik,
        full_name="Siti Rahma",
        phone="081234567890" if nik == NIK else "081298765432",
        email=email,
    )
    services.assisted_update(
        assisted=assisted,
        user=operator,
        form_data={**assisted.application.form_data, **CORRECTION},
    )
    if confirm:
        services.assisted_send_code(assisted=assisted, user=operator)
        assisted, _ = services.assisted_confirm(
            assisted=assisted, code=code_sent_to(email)
        )
    return assisted


def test_another_office_gets_404_on_every_page(
    client,
    login,
    operator,
    other_operator,
    correction_service,
):
    assisted = filed(operator, correction_service, confirm=False)
    login(other_operator)
    for name in ("detail",):
        assert (
            client.get(reverse(f"channeling:{name}", args=[assisted.uuid])).status_code
            == 404
        )
    for name in ("resend", "confirm", "cancel"):
        response = client.post(reverse(f"channeling:{name}", args=[assisted.uuid]))
        assert response.status_code == 404
    assisted.refresh_from_db()
    assert assisted.status == "draft"


def test_a_citizen_has_no_counter(client, login, correction_service):
    from accounts.models import User

    citizen = User.objects.create_user(username="warga", password="pw-Rahasia-123")
    login(citizen)
    assert client.get(reverse("channeling:list")).status_code == 403
    assert client.get(reverse("channeling:start")).status_code == 403
    assert client.get(reverse("channeling:report")).status_code == 403


def test_the_list_shows_the_office_in_bounded_queries(
    client,
    login,
    operator,
    correction_service,
    django_assert_max_num_queries,
):
    filed(operator, correction_service)
    filed(operator, correction_service, nik="3671051203850002", email="b@example.org")
    login(operator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("channeling:list"))
    assert response.status_code == 200
    assert response.content.decode().count("Siti Rahma") == 2


def test_the_report_counts_per_service_point(
    client,
    login,
    operator,
    other_operator,
    correction_service,
    make_staff,
):
    filed(operator, correction_service)
    filed(
        operator,
        correction_service,
        nik="3671051203850002",
        email="b@example.org",
        confirm=False,
    )
    now = timezone.now()
    rows = {
        r.office.code: r
        for r in service_point_report(
            make_staff("auditor"),
            since=now - dt.timedelta(days=1),
            until=now + dt.timedelta(days=1),
        )
    }
    ciledug = rows["kec-ciledug"]
    assert (ciledug.started, ciledug.confirmed, ciledug.waiting) == (2, 1, 1)
    assert ciledug.accounts_created == 1
    assert rows["mpp"].started == 0
    # An officer sees only their own office.
    login(other_operator)
    page = client.get(reverse("channeling:report")).content.decode()
    assert "Ciledug" not in page
    assert "Mal Pelayanan Publik" in page or "MPP" in page


def test_the_bpjs_page_is_for_the_bpjs_agency_only(
    client,
    login,
    operator,
    correction_service,
    bpjs_officer,
    make_staff,
    catalogue,
):
    from accounts.choices import OfficerRole
    from agencies.models import Agency

    assisted = filed(operator, correction_service)
    url = reverse("channeling:bpjs", args=[assisted.application.uuid])
    login(bpjs_officer)
    assert client.get(url).status_code == 200
    dinkes = make_staff(OfficerRole.APPROVER, agency=Agency.objects.get(code="DINKES"))
    login(dinkes)
    assert client.get(url).status_code == 404
    response = client.post(
        reverse("channeling:bpjs_action", args=[assisted.application.uuid, "selesai"]),
        {"done-reference": "X", "done-version": assisted.application.version},
    )
    assert response.status_code == 404


def test_the_confirmation_message_names_the_reference(
    client, login, operator, correction_service
):
    assisted = filed(operator, correction_service, confirm=False)
    services.assisted_send_code(assisted=assisted, user=operator)
    login(operator)
    response = client.post(
        reverse("channeling:confirm", args=[assisted.uuid]),
        {"code": code_sent_to("siti@example.org")},
        follow=True,
    )
    assisted.refresh_from_db()
    reference = assisted.application.reference
    assert reference
    html = response.content.decode()
    assert reference in html
    assert "None" not in html


def test_a_file_for_an_unlisted_requirement_is_refused_and_answers_are_kept(
    client, login, operator, correction_service, settings, tmp_path
):
    """At the counter too: a file posted under a requirement the service does
    not list is named in the error, nothing is stored, the answers are saved."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from permits.models import ApplicationDocument

    settings.MEDIA_ROOT = tmp_path
    assisted = filed(operator, correction_service, confirm=False)
    login(operator)
    response = client.post(
        reverse("channeling:detail", args=[assisted.uuid]),
        {
            **{k: v for k, v in CORRECTION.items() if isinstance(v, str)},
            **{
                k: v
                for k, v in assisted.application.form_data.items()
                if isinstance(v, str)
            },
            "full_name": "Siti Rahmawati",
            "doc_akta-cerai": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"),
        },
    )
    assert response.status_code == 200
    assert "bukan persyaratan layanan ini" in response.content.decode()
    assert not ApplicationDocument.objects.exists()
    assisted.application.refresh_from_db()
    assert assisted.application.form_data["full_name"] == "Siti Rahmawati"
