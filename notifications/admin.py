"""Admin: the delivery log with resend, and the templates per event, channel and
language with validation and a preview."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import formats, timezone
from django.utils.html import format_html_join
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record, field_changes

from .events import UnknownEvent, all_events, get_event
from .models import (
    ContactPoint,
    GatewayCallback,
    Notification,
    NotificationAttempt,
    NotificationTemplate,
    WhatsAppConversation,
    WhatsAppTemplate,
)
from .phones import phone_mask
from .rendering import render_text, template_validate
from .services import _notification_resend, context_preview
from .variables import context_decode


class EventFilter(admin.SimpleListFilter):
    title = _("event")
    parameter_name = "event"

    def lookups(self, request, model_admin):
        return [(event.name, f"{event.name} · {event.label}") for event in all_events()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(event=self.value())
        return queryset


class NotificationAttemptInline(admin.TabularInline):
    model = NotificationAttempt
    fields = ("number", "status", "started_at", "finished_at", "worker", "error")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The delivery log: read-only, filterable; the resend action is audited."""

    list_display = (
        "created_at",
        "event",
        "recipient",
        "channel",
        "status",
        "attempt_count",
        "next_attempt_at",
        "delivered_at",
    )
    list_filter = (
        "status",
        "channel",
        EventFilter,
        "language",
        ("created_at", admin.DateFieldListFilter),
    )
    search_fields = (
        "=uuid",
        "recipient__username",
        "recipient__email",
        "address",
        "dedupe_key",
        "=provider_message_id",
    )
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    ordering = ("-id",)
    inlines = [NotificationAttemptInline]
    actions = ["resend"]
    readonly_fields = (
        "uuid",
        "event",
        "dedupe_key",
        "recipient",
        "channel",
        "language",
        "address",
        "status",
        "generation",
        "attempt_count",
        "next_attempt_at",
        "handed_off_at",
        "leased_until",
        "subject",
        "body",
        "delivered_at",
        "read_at",
        "last_error",
        "provider_message_id",
        "route",
        "fallback_of",
        "variables",
        "created_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("variables"))
    def variables(self, obj: Notification) -> str:
        """The context, with sensitive variables masked even while still queued."""
        try:
            sensitive = set(get_event(obj.event).sensitive)
        except UnknownEvent:
            sensitive = set()
        values = context_decode(obj.context or {}, language=get_language())
        return format_html_join(
            "\n",
            "<div><code>{}</code>: {}</div>",
            (
                (name, "•••" if name in sensitive else _variable_show(value))
                for name, value in sorted(values.items())
            ),
        )

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("notifications.resend_notification")

    @admin.action(
        description=_("Resend the selected notifications"), permissions=["resend"]
    )
    def resend(self, request: HttpRequest, queryset) -> None:
        queued = skipped = 0
        with transaction.atomic():
            for notification in queryset.order_by("pk"):
                if _notification_resend(
                    notification=notification, reason="admin resend"
                ):
                    queued += 1
                else:
                    skipped += 1
        if queued:
            self.message_user(
                request,
                ngettext(
                    "%(count)d notification queued again.",
                    "%(count)d notifications queued again.",
                    queued,
                )
                % {"count": queued},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d notification was left alone: it is still waiting, "
                    "or it carries a one-time code that is never resent.",
                    "%(count)d notifications were left alone: they are still "
                    "waiting, or carry one-time codes that are never resent.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


class NotificationTemplateForm(forms.ModelForm):
    """Validates both texts against the event's variables and allowed syntax."""

    event = forms.ChoiceField(label=_("event"), choices=())

    class Meta:
        model = NotificationTemplate
        fields = ("event", "channel", "language", "subject", "body")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [
            (event.name, f"{event.name} · {event.label}") for event in all_events()
        ]

    def clean(self) -> dict:
        data = super().clean()
        try:
            event = get_event(data.get("event", ""))
        except UnknownEvent:
            return data
        for name in ("subject", "body"):
            if data.get(name):
                try:
                    template_validate(data[name], event=event)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return data


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin):
    """Texts per event, channel and language. Every change is audited."""

    form = NotificationTemplateForm
    change_form_template = "admin/notifications/notificationtemplate/change_form.html"
    list_display = ("event", "channel", "language", "subject", "updated_at")
    list_filter = (EventFilter, "channel", "language")
    search_fields = ("event", "subject", "body")
    readonly_fields = ("allowed_variables", "preview")
    fields = (
        "event",
        "channel",
        "language",
        "allowed_variables",
        "subject",
        "body",
        "preview",
    )

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # a missing row falls back silently; edit it instead

    @admin.display(description=_("allowed variables"))
    def allowed_variables(self, obj: NotificationTemplate | None) -> str:
        if obj is None or not obj.pk:
            return "—"
        try:
            event = get_event(obj.event)
        except UnknownEvent:
            return "—"
        return format_html_join(
            ", ", "<code>{{{{ {} }}}}</code>", ((v,) for v in event.variables)
        )

    @admin.display(description=_("preview with sample values"))
    def preview(self, obj: NotificationTemplate | None) -> str:
        if obj is None or not obj.pk:
            return "—"
        subject, body = _render_preview(obj.event, obj.subject, obj.body, obj.language)
        return format_html_join(
            "", "<strong>{}</strong><pre>{}</pre>", [(subject, body)]
        )

    def get_urls(self):
        return [
            path(
                "preview/",
                self.admin_site.admin_view(self.preview_view),
                name="notifications_notificationtemplate_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        """Render the posted, unsaved texts with the event's sample values."""
        if request.method != "POST" or not self.has_view_permission(request):
            raise PermissionDenied
        instance = NotificationTemplate.objects.filter(
            event=request.POST.get("event", ""),
            channel=request.POST.get("channel", ""),
            language=request.POST.get("language", ""),
        ).first()
        form = self.form(request.POST, instance=instance)
        subject = body = ""
        if form.is_valid():
            data = form.cleaned_data
            subject, body = _render_preview(
                data["event"], data["subject"], data["body"], data["language"]
            )
        return TemplateResponse(
            request,
            "admin/notifications/notificationtemplate/preview.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Preview"),
                "form": form,
                "subject": subject,
                "body": body,
            },
        )

    def save_model(self, request, obj, form, change) -> None:
        before = NotificationTemplate.objects.filter(pk=obj.pk).first()
        super().save_model(request, obj, form, change)
        audit_record(
            action="notification_template.update"
            if change
            else "notification_template.create",
            obj=obj,
            changes=field_changes(
                before, obj, ["event", "channel", "language", "subject", "body"]
            ),
        )


def _variable_show(value) -> str:
    """A decoded variable as the admin reads it: instants in WIB, dates and
    amounts in the active language's format, other values as text."""
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "j F Y H:i") + " WIB"
    if isinstance(value, dt.date):
        return formats.date_format(value, "j F Y")
    if isinstance(value, Decimal):
        return formats.number_format(value, force_grouping=True)
    return str(value)


def _render_preview(event: str, subject: str, body: str, language: str):
    context = context_preview(event=event, language=language)
    return (
        " ".join(render_text(subject, context=context, language=language).split()),
        render_text(body, context=context, language=language).strip(),
    )


class WhatsAppTemplateForm(forms.ModelForm):
    """The event must exist and every parameter must be one of its variables."""

    event = forms.ChoiceField(label=_("event"), choices=())

    class Meta:
        model = WhatsAppTemplate
        fields = (
            "event",
            "language",
            "name",
            "provider_language",
            "parameters",
            "is_active",
        )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [
            (event.name, f"{event.name} · {event.label}") for event in all_events()
        ]

    def clean(self) -> dict:
        data = super().clean()
        try:
            event = get_event(data.get("event", ""))
        except UnknownEvent:
            return data
        parameters = data.get("parameters")
        if not isinstance(parameters, list) or not all(
            isinstance(p, str) for p in parameters
        ):
            self.add_error(
                "parameters", _('A list of variable names, e.g. ["reference", "url"].')
            )
            return data
        unknown = [p for p in parameters if p not in event.variables]
        if unknown:
            self.add_error(
                "parameters",
                _("Unknown variable %(name)s. Allowed: %(allowed)s.")
                % {"name": unknown[0], "allowed": ", ".join(event.variables)},
            )
        return data


@admin.register(WhatsAppTemplate)
class WhatsAppTemplateAdmin(admin.ModelAdmin):
    """Which provider-approved template carries each event; every change is
    audited."""

    form = WhatsAppTemplateForm
    list_display = ("event", "language", "name", "provider_language", "is_active")
    list_filter = ("is_active", "language", EventFilter)
    search_fields = ("event", "name")

    def save_model(self, request, obj, form, change) -> None:
        before = WhatsAppTemplate.objects.filter(pk=obj.pk).first()
        super().save_model(request, obj, form, change)
        audit_record(
            action="whatsapp_template.update" if change else "whatsapp_template.create",
            obj=obj,
            changes=field_changes(
                before,
                obj,
                [
                    "event",
                    "language",
                    "name",
                    "provider_language",
                    "parameters",
                    "is_active",
                ],
            ),
        )

    def delete_model(self, request, obj) -> None:
        audit_record(action="whatsapp_template.delete", obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset.order_by("pk"):
            audit_record(action="whatsapp_template.delete", obj=obj)
        super().delete_queryset(request, queryset)


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ContactPoint)
class ContactPointAdmin(_ReadOnlyAdmin):
    """Users' channel choices; the number is masked (personal data)."""

    list_display = ("user", "masked_phone", "phone_verified_at", "channels")
    list_filter = (("phone_verified_at", admin.EmptyFieldListFilter),)
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    fields = ("user", "masked_phone", "phone_verified_at", "channels", "updated_at")
    readonly_fields = fields

    @admin.display(description=_("mobile phone number"))
    def masked_phone(self, obj: ContactPoint) -> str:
        return phone_mask(obj.phone) if obj.phone else "—"


@admin.register(GatewayCallback)
class GatewayCallbackAdmin(_ReadOnlyAdmin):
    """Every signed report from the gateways, with what it did."""

    list_display = (
        "received_at",
        "gateway",
        "kind",
        "status",
        "notification",
        "outcome",
        "applied_at",
    )
    list_filter = ("gateway", "kind", "status")
    search_fields = ("event_id", "=notification__uuid")
    date_hierarchy = "received_at"
    ordering = ("-id",)
    fields = (
        "gateway",
        "event_id",
        "kind",
        "status",
        "notification",
        "payload",
        "received_at",
        "applied_at",
        "outcome",
    )
    readonly_fields = fields


@admin.register(WhatsAppConversation)
class WhatsAppConversationAdmin(_ReadOnlyAdmin):
    list_display = ("masked_phone", "last_inbound_at", "window_closes_at")
    fields = ("masked_phone", "last_inbound_at", "window_closes_at")
    readonly_fields = fields
    ordering = ("-window_closes_at",)

    @admin.display(description=_("phone number"))
    def masked_phone(self, obj: WhatsAppConversation) -> str:
        return phone_mask(obj.phone)
