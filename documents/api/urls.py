"""API routes of issued documents (mounted under /api/v1/)."""

from django.urls import path

from rest_framework.routers import SimpleRouter

from .views import IssuedDocumentViewSet, VerificationView

app_name = "documents-api"
router = SimpleRouter()
router.register("issued-documents", IssuedDocumentViewSet, basename="issued-document")
urlpatterns = [
    *router.urls,
    path("verifications/<str:token>/", VerificationView.as_view(), name="verify"),
]
