"""API routes of this app (mounted under /api/v1/)."""

from rest_framework.routers import SimpleRouter

from .views import InboxViewSet

app_name = "notifications-api"
router = SimpleRouter()
router.register("notifications", InboxViewSet, basename="notification")
urlpatterns = router.urls
