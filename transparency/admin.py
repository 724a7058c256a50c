"""Admin of the transparency app: read-only. Complaints change only through
their services (answer, hand-over), survey answers are the citizens' own, and
the figures are rebuilt by ``stats_refresh``."""

from django.contrib import admin

from audit.admin import ReadOnlyAdmin

from .models import (
    BacklogStat,
    Complaint,
    OfficerWorkloadStat,
    ServiceMonthStat,
    SurveyInvitation,
    SurveyResponse,
    SurveyStat,
)


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = (
        "reference",
        "agency",
        "subject_kind",
        "status",
        "due_at",
        "lapor_status",
    )
    list_filter = ("status", "subject_kind", "agency")
    search_fields = ("reference", "lapor_tracking_id", "title")
    list_select_related = ("agency",)
    exclude = ("description",)  # personal data: shown to the agency in the portal


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(ReadOnlyAdmin):
    list_display = ("uuid", "source", "agency", "service", "created_at", "answered_at")
    list_filter = ("source", "agency")
    list_select_related = ("agency", "service")
    exclude = ("citizen",)


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyAdmin):
    list_display = ("submitted_at", "agency", "service", "year", "half")
    list_filter = ("agency", "year", "half")
    list_select_related = ("agency", "service")


@admin.register(ServiceMonthStat)
class ServiceMonthStatAdmin(ReadOnlyAdmin):
    list_display = ("month", "agency", "service", "received", "finished", "within_sla")
    list_filter = ("agency",)
    list_select_related = ("agency", "service")


@admin.register(BacklogStat)
class BacklogStatAdmin(ReadOnlyAdmin):
    list_display = ("agency", "service", "open", "overdue", "refreshed_at")
    list_select_related = ("agency", "service")


@admin.register(SurveyStat)
class SurveyStatAdmin(ReadOnlyAdmin):
    list_display = ("year", "half", "agency", "service", "respondents")
    list_select_related = ("agency", "service")


@admin.register(OfficerWorkloadStat)
class OfficerWorkloadStatAdmin(ReadOnlyAdmin):
    list_display = ("officer", "agency", "active_steps", "done_30_days")
    list_select_related = ("officer__user", "agency")
