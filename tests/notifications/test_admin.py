"""Admin: the filterable log, the audited resend, and template editing with
validation, audit and preview."""

import pytest

from audit.models import AuditEntry
from notifications.choices import DeliveryStatus
from notifications.models import Notification, NotificationTemplate
from notifications.services import notify
from notifications.tasks import notification_send_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    admin = make_user(is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.admin = admin
    return client


def test_log_filters_by_status_and_event(admin_client, make_user):
    user = make_user(email="broken")
    failed = notify(event="account.otp", recipient=user, context={"code": "1"})[0]
    notification_send_task(failed.pk)
    notify(event="account.otp", recipient=make_user(), context={"code": "2"})
    url = "/admin/notifications/notification/"
    page = admin_client.get(url, {"status": "permanent_failure"})
    assert page.status_code == 200
    assert page.context["cl"].result_count == 1
    page = admin_client.get(url, {"event": "account.otp"})
    assert page.context["cl"].result_count == 2
    detail = admin_client.get(f"{url}{failed.pk}/change/")
    assert "Invalid e-mail address" in detail.content.decode()


def _approved(user):
    return notify(
        event="application.approved",
        recipient=user,
        context={"reference": "PTSP-2026-000007", "service": "PBG", "url": "u"},
        channels=["email"],
    )[0]


def test_resend_requeues_with_a_new_key_and_is_audited(
    admin_client, make_user, smtp_mailer, django_capture_on_commit_callbacks
):
    row = _approved(make_user())
    notification_send_task(row.pk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client.post(
            "/admin/notifications/notification/",
            {"action": "resend", "_selected_action": [row.pk]},
        )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == DeliveryStatus.QUEUED
    assert row.idempotency_key == f"{row.uuid}-1"
    entry = AuditEntry.objects.get(action="notification.resend")
    assert entry.actor == admin_client.admin
    assert entry.object_id == str(row.pk)
    assert len(callbacks) == 1

    notification_send_task(row.pk)
    assert smtp_mailer.keys() == [str(row.uuid), f"{row.uuid}-1"]


def test_a_queued_code_is_masked_in_the_log(admin_client, make_user):
    row = notify(event="account.otp", recipient=make_user(), context={"code": "90817"})
    page = admin_client.get(f"/admin/notifications/notification/{row[0].pk}/change/")
    assert page.status_code == 200
    assert "90817" not in page.content.decode()


def test_one_time_codes_are_never_resent(admin_client, make_user, smtp_mailer):
    row = notify(event="account.otp", recipient=make_user(), context={"code": "5"})[0]
    notification_send_task(row.pk)
    admin_client.post(
        "/admin/notifications/notification/",
        {"action": "resend", "_selected_action": [row.pk]},
    )
    row.refresh_from_db()
    assert row.status == DeliveryStatus.DELIVERED
    assert not AuditEntry.objects.filter(action="notification.resend").exists()


def test_resend_needs_the_permission(client, make_user):
    staff = make_user(is_staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="view_notification"))
    client.force_login(staff)
    row = notify(event="account.otp", recipient=make_user(), context={"code": "5"})[0]
    response = client.post(
        "/admin/notifications/notification/",
        {"action": "resend", "_selected_action": [row.pk]},
    )
    assert response.status_code == 200  # "no action selected": not offered
    assert not AuditEntry.objects.filter(action="notification.resend").exists()
    assert Notification.objects.get().generation == 0


def _template_form(template: NotificationTemplate, **changes) -> dict:
    return {
        "event": template.event,
        "channel": template.channel,
        "language": template.language,
        "subject": template.subject,
        "body": template.body,
        **changes,
    }


def test_template_edit_is_validated_and_audited(admin_client):
    template = NotificationTemplate.objects.get(
        event="account.otp", channel="email", language="id"
    )
    url = f"/admin/notifications/notificationtemplate/{template.pk}/change/"
    refused = admin_client.post(
        url, _template_form(template, body="Kode {{ code }} dan {{ user.password }}")
    )
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert "user.password" in str(errors["body"])

    saved = admin_client.post(url, _template_form(template, subject="Kode: {{ code }}"))
    assert saved.status_code == 302
    template.refresh_from_db()
    assert template.subject == "Kode: {{ code }}"
    entry = AuditEntry.objects.get(action="notification_template.update")
    assert entry.changes == {"subject": ["Kode sekali pakai PTSP", "Kode: {{ code }}"]}
    page = admin_client.get(url).content.decode()
    assert "Kode: 482913" in page  # the preview uses the sample values


def test_preview_renders_unsaved_text(admin_client):
    template = NotificationTemplate.objects.get(
        event="payment.due", channel="email", language="en"
    )
    response = admin_client.post(
        "/admin/notifications/notificationtemplate/preview/",
        _template_form(template, subject="Pay IDR {{ amount|intcomma }}"),
    )
    assert response.status_code == 200
    assert "Pay IDR 1,500,000" in response.content.decode()
    template.refresh_from_db()
    assert template.subject != "Pay IDR {{ amount|intcomma }}"


def test_the_log_shows_the_fallback_chain_and_the_gateways_reports(
    admin_client, gateway, make_citizen
):
    """An SMS to an invalid number and its e-mail fallback link to each other
    in the log; the phone number is masked in the contacts list."""
    citizen = make_citizen(channels=["sms", "email"])
    gateway.invalid_numbers.add("+6281234567890")
    sms = notify(
        event="application.approved",
        recipient=citizen,
        context={"reference": "PTSP-2026-000008", "service": "PBG", "url": "u"},
    )[0]
    notification_send_task(sms.pk)
    sms.refresh_from_db()
    page = admin_client.get(
        f"/admin/notifications/notification/{sms.fallback.pk}/change/"
    )
    assert page.status_code == 200
    assert (
        f"/admin/notifications/notification/{sms.pk}/change/" in page.content.decode()
    )

    contacts = admin_client.get("/admin/notifications/contactpoint/")
    assert "+62812****7890" in contacts.content.decode()
    assert "+6281234567890" not in contacts.content.decode()
    reports = admin_client.get("/admin/notifications/gatewaycallback/")
    assert reports.status_code == 200


def test_the_log_shows_stored_variables_readably(admin_client, make_user):
    """Tagged values (bilingual names, instants, amounts) are shown decoded in
    the admin's language, never as the stored ``{'$text': ...}`` JSON."""
    import datetime as dt
    from decimal import Decimal

    from notifications.variables import BilingualText

    row = notify(
        event="payment.due",
        recipient=make_user(),
        context={
            "reference": "PTSP-2026-000007",
            "service": BilingualText(
                "Persetujuan Bangunan Gedung", "Building Approval"
            ),
            "url": "u",
            "amount": Decimal("1500000"),
            "payment_code": "3671",
            "due_at": dt.datetime(2026, 3, 5, 7, 0, tzinfo=dt.UTC),
        },
        channels=["email"],
    )[0]
    url = f"/admin/notifications/notification/{row.pk}/change/"

    admin_client.cookies["django_language"] = "en"
    english = admin_client.get(url).content.decode()
    assert "$text" not in english
    assert "$datetime" not in english
    assert "$decimal" not in english
    assert "<code>service</code>: Building Approval" in english
    assert "<code>due_at</code>: 5 March 2026 14:00 WIB" in english
    assert "<code>amount</code>: 1,500,000" in english

    admin_client.cookies["django_language"] = "id"
    indonesian = admin_client.get(url).content.decode()
    assert "<code>service</code>: Persetujuan Bangunan Gedung" in indonesian
    assert "<code>due_at</code>: 5 Maret 2026 14:00 WIB" in indonesian
    assert "<code>amount</code>: 1.500.000" in indonesian
    assert "$text" not in indonesian
