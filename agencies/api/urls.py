"""API routes of this app (mounted under /api/v1/)."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("services", views.ServiceViewSet, basename="service")
router.register(
    "service-versions", views.ServiceVersionViewSet, basename="service-version"
)
router.register("offices", views.OfficeViewSet, basename="office")
router.register("calendars", views.CalendarViewSet, basename="calendar")
router.register("districts", views.DistrictViewSet, basename="district")
router.register("holidays", views.HolidayViewSet, basename="holiday")

app_name = "agencies-api"
urlpatterns = router.urls
