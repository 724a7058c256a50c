"""Templates: every event has id and en texts that validate and render; admins may
use only the event's variables and the allowed tags and filters."""

from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest

from notifications.choices import Channel
from notifications.delivery import notification_render
from notifications.events import all_events, get_event
from notifications.models import NotificationTemplate
from notifications.rendering import render_text, template_validate
from notifications.services import context_preview, notification_templates_sync, notify

ISSUE_EVENTS = {
    "application.submitted",
    "application.revision_requested",
    "application.resubmitted",
    "application.step_completed",
    "application.approved",
    "application.rejected",
    "application.issued",
    "application.completed",
    "payment.due",
    "payment.received",
    "application.deadline_near",
    "application.deadline_lapsed",
    "sla.warning",
    "sla.breached",
    "queue.ticket_called",
    "queue.turn_near",
    "appointment.reminder",
    "account.otp",
    "account.verification",
    "permit.renewal_reminder",
    "document.revoked",  # issue 14
    "appointment.invitation",  # issue 12: an officer invites to book
    "account.nik_registration_attempt",  # registration does not reveal NIKs
    # Issue 8: the code a citizen at a service point confirms with.
    "channeling.confirmation_code",
    # Issue 16: satisfaction survey and complaints.
    "survey.invited",
    "complaint.received",
    "complaint.routed",
    "complaint.answered",
    "complaint.forwarded",
    "complaint.overdue",
}


def test_the_catalogue_has_every_event_of_the_issue():
    assert {event.name for event in all_events()} == ISSUE_EVENTS


@pytest.mark.parametrize("event", all_events(), ids=lambda event: event.name)
@pytest.mark.parametrize("language", ["id", "en"])
def test_default_texts_validate_and_render_every_variable(event, language):
    context = context_preview(event=event.name, language=language)
    for channel in event.channels:
        subject, body = event.default_text(channel, language)
        template_validate(subject, event=event)
        template_validate(body, event=event)
        rendered = render_text(
            subject + "\n" + body, context=context, language=language
        )
        assert "{{" not in rendered
        assert "{%" not in rendered
        for name in event.variables:
            if isinstance(context[name], str) and name != "purpose":
                assert context[name] in rendered, (name, language)


def test_dates_and_amounts_follow_the_language_in_wib():
    context = context_preview(event="payment.due")
    indonesian = render_text(
        'Rp {{ amount|intcomma }}, {{ due_at|date:"j F Y H:i" }}',
        context=context,
        language="id",
    )
    english = render_text(
        'IDR {{ amount|intcomma }}, {{ due_at|date:"j F Y H:i" }}',
        context=context,
        language="en",
    )
    assert context["amount"] == Decimal("1500000")
    assert indonesian == "Rp 1.500.000, 5 Maret 2026 14:00"  # 07:00 UTC is 14:00 WIB
    assert english == "IDR 1,500,000, 5 March 2026 14:00"


@pytest.mark.parametrize(
    "source",
    [
        "{{ password }}",
        "{{ code.upper }}",
        "{% load static %}{{ code }}",
        "{% include 'base.html' %}",
        "{% debug %}",
        "{% url 'home' %}",
        "{{ code|safe }}",
        "{% if secret %}x{% endif %}",
        "{{ code|default:secret }}",
        "{% if code %}never closed",
    ],
)
def test_unsafe_or_broken_templates_are_refused(source):
    with pytest.raises(ValidationError):
        template_validate(source, event=get_event("account.otp"))


@pytest.mark.django_db
def test_migrate_seeds_templates_and_an_admin_edit_wins(make_user):
    NotificationTemplate.objects.all().audited_delete(action="test.arrange")
    written = notification_templates_sync()
    expected = sum(len(event.text_channels) * 2 for event in all_events())
    assert written == expected == NotificationTemplate.objects.count()
    assert notification_templates_sync() == 0  # an edited row is kept

    NotificationTemplate.objects.filter(
        event="account.otp", channel=Channel.EMAIL, language="en"
    ).audited_update(
        action="test.arrange", subject="Code {{ code }}", body="Use {{ code }}."
    )
    row = notify(
        event="account.otp",
        recipient=make_user(preferred_language="en"),
        context={"code": "777"},
    )[0]
    assert notification_render(row) == ("Code 777", "Use 777.")

    # the code default is the fallback
    NotificationTemplate.objects.all().audited_delete(action="test.arrange")
    assert notification_render(row)[0] == "PTSP one-time code"
