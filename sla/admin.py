"""Admin of the SLA engine: policies (audited edits), the watched deadlines,
the ledger and extensions (read-only: the workflow writes them), and two
pages: "when would it be due" and the preview of the deadlines a calendar
change moves (also offered on the holiday form, before saving)."""

import datetime as dt

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from agencies.choices import Weekday
from agencies.models import Calendar, Holiday, WeeklyInterval
from audit.admin import AuditedModelAdmin, ReadOnlyAdmin

from .forms import ClosurePreviewForm, DueForForm
from .models import SlaExtension, SlaPolicy, SlaSegment, SlaTimer, SlaWarning
from .services import sla_due_for, sla_preview_closure, sla_preview_hours


@admin.register(SlaPolicy)
class SlaPolicyAdmin(AuditedModelAdmin):
    list_display = (
        "service",
        "warning_thresholds",
        "max_extension_days",
        "service_hours_office",
    )
    autocomplete_fields = ("service",)
    list_select_related = ("service", "service_hours_office")


@admin.register(SlaTimer)
class SlaTimerAdmin(ReadOnlyAdmin):
    list_display = (
        "application",
        "step",
        "state",
        "due_at",
        "is_provisional",
        "next_check_at",
        "extension_days",
    )
    list_filter = ("state", "is_provisional", "unit")
    list_select_related = ("application", "step")
    search_fields = ("application__reference",)
    ordering = ("due_at", "pk")
    change_list_template = "admin/sla/slatimer/change_list.html"

    def get_urls(self):
        return [
            path(
                "due-for/",
                self.admin_site.admin_view(self.due_for_view),
                name="sla_due_for",
            ),
            path(
                "preview/",
                self.admin_site.admin_view(self.preview_view),
                name="sla_preview",
            ),
            *super().get_urls(),
        ]

    def due_for_view(self, request: HttpRequest) -> HttpResponse:
        """Answer "if submitted at this moment to this service, when is it due?"."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = DueForForm(request.GET or None)
        answer = None
        if form.is_valid():
            answer = sla_due_for(
                service=form.cleaned_data["service"],
                at=form.cleaned_data["submitted_at"],
            )
        return TemplateResponse(
            request,
            "admin/sla/due_for.html",
            {
                **self.admin_site.each_context(request),
                "title": _("When would it be due?"),
                "form": form,
                "answer": answer,
                "opts": self.model._meta,
            },
        )

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        """The open deadlines a closed or reopened date would move. Accepts the
        page's own form (GET) or the unsaved holiday form (POST, from its
        "Preview the deadlines it moves" button)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method == "POST" and request.POST.get("_sla_calendar"):
            return self._hours_preview(request)
        close: dict[dt.date, bool] = {}
        reopen: set[dt.date] = set()
        form = ClosurePreviewForm(request.GET or None)
        if request.method == "POST":
            close, reopen = _holiday_form_change(request.POST)
            form = None  # the holiday form's dates: "Closing:"/"Reopening:" below
        elif form.is_valid():
            day = form.cleaned_data["date"]
            if form.cleaned_data["reopen"]:
                reopen.add(day)
            else:
                close[day] = False
        moved = (
            sla_preview_closure(close=close, reopen=reopen) if close or reopen else None
        )
        return TemplateResponse(
            request,
            "admin/sla/preview.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Deadlines a calendar change moves"),
                "form": form,
                "moved": moved,
                "closing": sorted(close),
                "reopening": sorted(reopen),
                "holiday_change": request.method == "POST",
                "opts": self.model._meta,
            },
        )

    def _hours_preview(self, request: HttpRequest) -> HttpResponse:
        """The open deadlines the unsaved weekly hours of the posted calendar
        form would move; the rows' errors instead when they are not valid."""
        calendar = Calendar.objects.filter(
            pk=request.POST.get("_sla_calendar") or None
        ).first()
        if calendar is None:
            raise Http404
        calendar_admin = self.admin_site._registry[Calendar]
        if not calendar_admin.has_view_permission(request, calendar):
            raise PermissionDenied
        inline = next(
            i
            for i in calendar_admin.get_inline_instances(request, calendar)
            if i.model is WeeklyInterval
        )
        formset_class = inline.get_formset(request, calendar)
        formset = formset_class(
            request.POST,
            instance=calendar,
            prefix=formset_class.get_default_prefix(),
        )
        moved = (
            sla_preview_hours(calendar=calendar, weekly=formset.weekly())
            if formset.is_valid()
            else None
        )
        return TemplateResponse(
            request,
            "admin/sla/preview.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Deadlines a calendar change moves"),
                "moved": moved,
                "hours_calendar": calendar,
                "hours": [
                    (Weekday(day).label, rows)
                    for day, rows in sorted(formset.weekly().items())
                ]
                if moved is not None
                else [],
                "hours_errors": None if moved is not None else formset,
                "opts": self.model._meta,
            },
        )


def _holiday_form_change(post) -> tuple[dict[dt.date, bool], set[dt.date]]:
    """What saving the posted holiday form would change on working time: the
    new date closes (if ``closes_working_time``); the stored row's old date
    reopens when it moves or stops closing and no other holiday closes it."""
    close: dict[dt.date, bool] = {}
    reopen: set[dt.date] = set()
    try:
        day = dt.date.fromisoformat(post.get("date", ""))
    except ValueError:
        day = None
    closes = post.get("closes_working_time") in ("on", "true", "1")
    if day is not None and closes:
        close[day] = post.get("is_provisional") in ("on", "true", "1")
    original = Holiday.objects.filter(pk=post.get("_sla_original") or None).first()
    moved_away = original is not None and (original.date != day or not closes)
    if (
        moved_away
        and original.closes_working_time
        and not Holiday.objects.filter(date=original.date, closes_working_time=True)
        .exclude(pk=original.pk)
        .exists()
    ):
        reopen.add(original.date)
    return close, reopen


@admin.register(SlaSegment)
class SlaSegmentAdmin(ReadOnlyAdmin):
    list_display = (
        "application",
        "kind",
        "step",
        "agency",
        "started_at",
        "ended_at",
        "working_time",
        "reason",
        "actor",
    )
    list_filter = ("kind", "agency")
    list_select_related = ("application", "step", "agency", "actor")
    search_fields = ("application__reference",)


@admin.register(SlaWarning)
class SlaWarningAdmin(ReadOnlyAdmin):
    list_display = ("timer", "threshold", "sent_at", "withdrawn_at")
    list_filter = ("threshold",)


@admin.register(SlaExtension)
class SlaExtensionAdmin(ReadOnlyAdmin):
    list_display = (
        "application",
        "days",
        "status",
        "requested_by",
        "decided_by",
        "decided_at",
    )
    list_filter = ("status",)
    search_fields = ("application__reference",)
