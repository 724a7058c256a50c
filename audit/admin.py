"""Admin: the audited-configuration mixin and the read-only views of the trail.

``AuditedModelAdmin`` is for every admin that edits configuration (services,
steps, fees, calendars, holidays, users, roles): each add, change (with inlines and
many-to-many fields) and delete, single or bulk, writes an audit entry through
``audit_record`` in the admin's transaction, with the field changes and a reason
the operator must give.

    @admin.register(Service)
    class ServiceAdmin(AuditedModelAdmin):
        audit_personal_fields = ()          # fields recorded as references only
"""

import copy
import dataclasses
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import admin
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import flatten_fieldsets
from django.core import checks
from django.core.paginator import Paginator
from django.db import connections, transaction
from django.db.models import Model
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .bulk import AuditedQuerySet, audited_delete
from .models import AuditCheckpoint, AuditEntry
from .registry import personal_fields
from .services import _json, audit_record, personal_ref

REASON = "audit_reason"
WIB = ZoneInfo("Asia/Jakarta")
REASON_MAX = 1000


def reason_form_field() -> forms.CharField:
    return forms.CharField(
        label=_("Reason for this change"),
        help_text=_("Recorded in the audit trail together with the change."),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _snapshot(obj: Model) -> dict[str, Any]:
    """Field values of ``obj`` (foreign keys as ids, many-to-many as sorted pks)."""
    out = {f.attname: f.value_from_object(obj) for f in obj._meta.concrete_fields}
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            out[field.name] = sorted(
                getattr(obj, field.name).values_list("pk", flat=True)
            )
    return out


def _diff(
    obj: Model, before: dict[str, Any], after: dict[str, Any], personal: set[str]
) -> dict[str, list[Any]]:
    changes = {}
    for name in after.keys() | before.keys():
        old, new = before.get(name), after.get(name)
        if old == new or (not before and new in (None, "", [])):
            continue
        if name in personal or name.removesuffix("_id") in personal:
            ref = personal_ref(obj, name)
            changes[name] = [
                ref if old not in (None, "") else None,
                ref if new not in (None, "") else None,
            ]
        else:
            changes[name] = [_json(old), _json(new)]
    return dict(sorted(changes.items()))


def _as_unconfirmed(request: HttpRequest, *, keep_post: bool) -> HttpRequest:
    """A copy of ``request`` that the admin treats as not yet confirmed (no "post"
    flag, or no POST data at all), telling the confirmation template to ask for
    the missing reason (``request.audit_reason_error``)."""
    clone = copy.copy(request)
    if keep_post:
        post = request.POST.copy()
        post.pop("post", None)
    else:
        post = QueryDict()
        clone.method = "GET"
    clone._post = post
    clone.audit_reason_error = gettext("Give a reason for deleting.")
    return clone


class AuditedModelAdmin(admin.ModelAdmin):
    """Mixin for admins of configuration: every change is audited with a reason.

    Put it first: ``class UserAdmin(AuditedModelAdmin, BaseUserAdmin)``. Records
    ``<app_label>.<model>.create|update|delete`` (inline objects under their own
    label) with ``{"field": [before, after]}``; fields in ``audit_personal_fields``
    or ``@audited(personal=...)`` are recorded as references. The add/change
    form, the delete confirmation and the bulk delete all require a reason.
    ``list_editable`` is refused (``audit.E003``): it has no place for a reason.
    """

    audit_personal_fields: tuple[str, ...] = ()
    delete_confirmation_template = "admin/audit/delete_confirmation.html"
    delete_selected_confirmation_template = (
        "admin/audit/delete_selected_confirmation.html"
    )

    # --- the reason field -----------------------------------------------------
    def get_form(self, request, obj=None, change=False, **kwargs):
        # The change view passes the fields of get_fieldsets(), reason included.
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs["fields"] is not None:
            kwargs["fields"] = [f for f in kwargs["fields"] if f != REASON]
        form = super().get_form(request, obj, change=change, **kwargs)
        if REASON in form.base_fields:
            return form
        return type(form.__name__, (form,), {REASON: reason_form_field()})

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**opts, "fields": [f for f in opts["fields"] if f != REASON]})
            for name, opts in super().get_fieldsets(request, obj)
        ]
        return [*fieldsets, (_("Audit trail"), {"fields": [REASON]})]

    # --- recording --------------------------------------------------------------
    def get_audit_actor_role(self, request: HttpRequest) -> str:
        """The role recorded for the operator; override when roles are groups."""
        return "superuser" if request.user.is_superuser else "staff"

    def audit(self, request, *, action: str, obj: Model, changes, reason: str):
        """Write one entry for ``obj`` (inside the admin's transaction)."""
        done = request.__dict__.setdefault("_audit_recorded", set())
        done.add((obj._meta.label_lower, str(obj.pk)))
        return audit_record(
            action=action,
            obj=obj,
            changes=changes,
            reason=reason,
            actor_role=self.get_audit_actor_role(request),
        )

    def _personal(self) -> set[str]:
        return set(self.audit_personal_fields) | personal_fields(self.model)

    def save_model(self, request, obj, form, change):
        before = {}
        if change and obj.pk is not None:
            stored = type(obj)._base_manager.filter(pk=obj.pk).first()
            before = _snapshot(stored) if stored is not None else {}
        form._audit_before = before
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        changes = _diff(
            obj, getattr(form, "_audit_before", {}), _snapshot(obj), self._personal()
        )
        self.audit(
            request,
            action=f"{obj._meta.label_lower}.{'update' if change else 'create'}",
            obj=obj,
            changes=changes,
            reason=form.cleaned_data.get(REASON, ""),
        )

    def save_formset(self, request, form, formset, change):
        before = {}
        for inline_form in formset.forms:
            instance = inline_form.instance
            if instance.pk is not None and inline_form.has_changed():
                stored = type(instance)._base_manager.filter(pk=instance.pk).first()
                if stored is not None:
                    before[instance.pk] = _snapshot(stored)
        super().save_formset(request, form, formset, change)
        reason = form.cleaned_data.get(REASON, "")
        for instance in formset.new_objects:
            self.audit(
                request,
                action=f"{instance._meta.label_lower}.create",
                obj=instance,
                changes=_diff(instance, {}, _snapshot(instance), set()),
                reason=reason,
            )
        for instance, _fields in formset.changed_objects:
            self.audit(
                request,
                action=f"{instance._meta.label_lower}.update",
                obj=instance,
                changes=_diff(
                    instance, before.get(instance.pk, {}), _snapshot(instance), set()
                ),
                reason=reason,
            )
        for instance in formset.deleted_objects:
            last = before.get(instance.pk) or _snapshot(instance)
            self.audit(
                request,
                action=f"{instance._meta.label_lower}.delete",
                obj=instance,
                changes={k: [_json(v), None] for k, v in sorted(last.items())},
                reason=reason,
            )

    def log_change(self, request, obj, message):
        # A change saved by a path other than the change form (e.g. a custom view)
        # is still recorded, with what the admin knows about it.
        done = request.__dict__.get("_audit_recorded", set())
        if (obj._meta.label_lower, str(obj.pk)) not in done:
            self.audit(
                request,
                action=f"{obj._meta.label_lower}.update",
                obj=obj,
                changes={},
                reason=request.POST.get(REASON, "").strip()[:REASON_MAX],
            )
        return super().log_change(request, obj, message)

    # --- deletion ---------------------------------------------------------------
    @staticmethod
    def _posted_reason(request) -> str:
        return request.POST.get(REASON, "").strip()[:REASON_MAX]

    def delete_view(self, request, object_id, extra_context=None):
        if request.method == "POST" and not self._posted_reason(request):
            request = _as_unconfirmed(request, keep_post=False)
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        self.audit(
            request,
            action=f"{obj._meta.label_lower}.delete",
            obj=obj,
            changes=_diff(obj, _snapshot(obj), {}, self._personal()),
            reason=self._posted_reason(request),
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        reason = self._posted_reason(request)
        label = queryset.model._meta.label_lower
        with transaction.atomic(using=queryset.db):
            if isinstance(queryset, AuditedQuerySet):
                audited_delete(
                    queryset,
                    action=f"{label}.delete",
                    reason=reason,
                    personal=self._personal(),
                )
                return
            for obj in queryset.order_by("pk").select_for_update():
                self.delete_model(request, obj)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        if "delete_selected" in actions:
            actions["delete_selected"] = dataclasses.replace(
                actions["delete_selected"], func=_audited_delete_selected
            )
        return actions

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if self.list_editable:
            errors.append(
                checks.Error(
                    "An audited admin cannot use list_editable: there is no place "
                    "for the reason of each change.",
                    obj=self.__class__,
                    id="audit.E003",
                )
            )
        return errors


def _audited_delete_selected(modeladmin, request, queryset):
    """``delete_selected`` that insists on a reason before deleting."""
    if request.POST.get("post") and not modeladmin._posted_reason(request):
        request = _as_unconfirmed(request, keep_post=True)
    return delete_selected(modeladmin, request, queryset)


_audited_delete_selected.allowed_permissions = ("delete",)
_audited_delete_selected.short_description = delete_selected.short_description


# --- The trail itself, read-only ------------------------------------------------


class LargeTablePaginator(Paginator):
    """A paginator that never counts the whole table.

    Unfiltered on PostgreSQL it uses the planner's estimate (``pg_class``);
    otherwise it counts at most ``CAP`` + 1 rows (``LIMIT``), so the last pages
    beyond the cap are reached by filtering, not by paging.
    """

    CAP = 10_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor == "postgresql" and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [queryset.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] > self.CAP:
                return int(row[0])
        return queryset.order_by()[: self.CAP + 1].count()


class ReadOnlyAdmin(admin.ModelAdmin):
    """View only: no add, change or delete, for anyone (superusers too)."""

    show_full_result_count = False
    paginator = LargeTablePaginator

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _wib(value) -> str:
    if value is None:
        return "-"
    local = timezone.localtime(value, WIB)
    return local.strftime("%Y-%m-%d %H:%M:%S") + " WIB"


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("id", "occurred_wib", "actor_display", "action", "object_display")
    list_display_links = ("id", "occurred_wib")
    ordering = ("-id",)
    list_select_related = ("actor",)
    fields = (
        "occurred_wib",
        "actor_display",
        "actor_role",
        "actor_agency",
        "action",
        "object_type",
        "object_id",
        "changes",
        "reason",
        "ip_address",
        "request_id",
        "caused_by_request",
        "seal_display",
    )
    readonly_fields = ("occurred_wib", "actor_display", "seal_display")

    @admin.display(description=_("occurred at (WIB)"), ordering="id")
    def occurred_wib(self, entry: AuditEntry) -> str:
        return _wib(entry.occurred_at)

    @admin.display(description=_("actor"))
    def actor_display(self, entry: AuditEntry) -> str:
        parts = [entry.actor_label]
        if entry.actor is not None:
            parts.insert(0, str(entry.actor))
        if entry.actor_role:
            parts.append(entry.actor_role)
        if entry.actor_agency:
            parts.append(entry.actor_agency)
        if entry.caused_by_request:
            parts.append(
                gettext("caused by request %(rid)s") % {"rid": entry.caused_by_request}
            )
        return " · ".join(parts)

    @admin.display(description=_("object"))
    def object_display(self, entry: AuditEntry) -> str:
        if not entry.object_type:
            return "-"
        return f"{entry.object_type}:{entry.object_id}"

    @admin.display(description=_("seal"))
    def seal_display(self, entry: AuditEntry) -> str:
        seal = getattr(entry, "seal", None) if entry.pk else None
        if seal is None:
            return gettext("Not sealed yet (the sealer runs every minute).")
        return format_html(
            "#{} · <code>{}</code> · {}", seal.seq, seal.hash, _wib(seal.sealed_at)
        )


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    list_display = ("number", "created_wib", "seq", "hash")
    ordering = ("-number",)
    fields = ("number", "created_wib", "seq", "hash", "public_key", "signature")
    readonly_fields = ("created_wib",)

    @admin.display(description=_("created at (WIB)"), ordering="number")
    def created_wib(self, checkpoint: AuditCheckpoint) -> str:
        return _wib(checkpoint.created_at)
