"""API routes of this app (mounted under /api/v1/)."""

from rest_framework.routers import SimpleRouter

from . import views

app_name = "queueing-api"
router = SimpleRouter()
router.register("queue/offices", views.QueueOfficeViewSet, basename="queue-office")
router.register("queue/tickets", views.TicketViewSet, basename="queue-ticket")
router.register("queue/counters", views.CounterViewSet, basename="queue-counter")
router.register("queue/bookings", views.BookingViewSet, basename="queue-booking")
urlpatterns = router.urls
