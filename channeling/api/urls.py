"""API routes of this app (mounted under /api/v1/)."""

from django.urls import path

from rest_framework.routers import SimpleRouter

from .views import AssistedViewSet, BpjsCorrectionViewSet, ClaimView

app_name = "channeling-api"
router = SimpleRouter()
router.register("assisted", AssistedViewSet, basename="assisted")
router.register("bpjs-corrections", BpjsCorrectionViewSet, basename="bpjs-correction")
urlpatterns = [
    path("assisted/claim/", ClaimView.as_view(), name="claim"),
    *router.urls,
]
