"""API routes of this app (mounted under /api/v1/)."""

from django.urls import path

from rest_framework.routers import SimpleRouter

from .views import (
    ComplaintViewSet,
    DashboardView,
    MonthViewSet,
    SurveyInvitationViewSet,
    WorkloadView,
)

app_name = "transparency-api"
router = SimpleRouter()
router.register("transparency/months", MonthViewSet, basename="month")
router.register(
    "survey-invitations", SurveyInvitationViewSet, basename="survey-invitation"
)
router.register("complaints", ComplaintViewSet, basename="complaint")
urlpatterns = [
    path("transparency/", DashboardView.as_view(), name="dashboard"),
    path("transparency/workload/", WorkloadView.as_view(), name="workload"),
    *router.urls,
]
