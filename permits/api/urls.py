"""API routes of this app (mounted under /api/v1/)."""

from rest_framework.routers import SimpleRouter

from .views import ApplicationViewSet, DocumentViewSet

app_name = "permits-api"
router = SimpleRouter()
router.register("applications", ApplicationViewSet, basename="application")
router.register("documents", DocumentViewSet, basename="document")
urlpatterns = router.urls
