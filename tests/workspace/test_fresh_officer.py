"""What a new officer reads in the workspace: the service's name (not its
code), the deadline of day-based services, a hint to the unassigned queue when
"My tasks" is empty, the task count at the officer home, a flash message that
names the action, and a history in neutral (not the applicant's) wording."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

import pytest

from audit.bulk import _audited_write
from permits.models import ApplicationStep

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
QUEUE = reverse("workspace:queue")


def test_queue_rows_show_service_name_and_the_application_deadline(
    make_applications, front_office, login
):
    (application,) = make_applications(1)
    due = timezone.now() + dt.timedelta(days=3)
    # A step that carries no deadline of its own: the service's is shown.
    with _audited_write():
        ApplicationStep.objects.filter(application=application).update(due_at=None)
        type(application).objects.filter(pk=application.pk).update(due_at=due)
    client = login(front_office)
    html = client.get(QUEUE, {"tab": "unassigned"}).content.decode()
    name = application.service_version.name
    assert f"<td>{name}</td>" in html
    assert f"<td>{application.service.code}</td>" not in html
    shown = timezone.localtime(due).strftime("%H:%M")
    assert '<td data-testid="deadline">' in html
    cell = html.split('<td data-testid="deadline">')[1].split("</td>")[0]
    assert shown in cell
    work = client.get(reverse("permits:work_list")).content.decode()
    assert name in work


def test_empty_my_tasks_points_to_the_unassigned_queue(
    make_applications, front_office, login
):
    make_applications(2)
    client = login(front_office)
    html = client.get(QUEUE).content.decode()
    assert 'data-testid="unassigned-hint"' in html
    hint = html.split('data-testid="unassigned-hint"')[1].split("</p>")[0]
    assert "2" in hint
    assert 'href="?tab=unassigned"' in hint
    home = client.get(reverse("accounts:officer_home")).content.decode()
    count = home.split('data-testid="task-count"')[1].split("</p>")[0]
    assert "2" in count
    assert "akan ditampilkan di sini" not in home


def test_revision_flash_and_staff_history_wording(
    make_applications, front_office, login
):
    (application,) = make_applications(1)
    step = application.steps.get(status="active")
    client = login(front_office)
    page = reverse("workspace:application", args=[application.uuid])
    html = client.get(page).content.decode()
    assert "Permohonan Anda diterima" not in html
    assert "Permohonan telah diajukan." in html
    response = client.post(
        reverse(
            "permits:step_action",
            args=[application.uuid, step.pk, "request_revision"],
        ),
        {"version": application.version, "note": "Foto KTP buram", "next": page},
        follow=True,
    )
    html = response.content.decode()
    assert "Perbaikan diminta" in html
    assert "Selesai." not in html
    assert "meminta pemohon memperbaiki permohonan" in html
