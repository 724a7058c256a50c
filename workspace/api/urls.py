"""API routes of the officer workspace (mounted under /api/v1/)."""

from rest_framework.routers import SimpleRouter

from .views import OfficerApplicationViewSet, TaskViewSet

app_name = "workspace-api"
router = SimpleRouter()
router.register("workspace/tasks", TaskViewSet, basename="task")
router.register(
    "workspace/applications", OfficerApplicationViewSet, basename="application"
)
urlpatterns = router.urls
