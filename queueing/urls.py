"""Pages of the walk-in queue, mounted at ``/antrian/``."""

from django.urls import path

from . import views

app_name = "queueing"
urlpatterns = [
    path("", views.office_list, name="offices"),
    path("tiket/<uuid:uuid>/", views.ticket_detail, name="ticket"),
    path("tiket/<uuid:uuid>/status/", views.ticket_status, name="ticket-status"),
    path("loket/", views.counter_list, name="counters"),
    path("loket/<int:pk>/", views.counter_detail, name="counter"),
    path("loket/<int:pk>/<slug:action>/", views.counter_action, name="counter-action"),
    path("janji-temu/", views.booking_list, name="bookings"),
    path("undang/<uuid:uuid>/", views.application_invite, name="invite"),
    path("janji-temu/<uuid:uuid>/", views.booking_detail, name="booking"),
    path("janji-temu/<uuid:uuid>/batal/", views.booking_cancel, name="booking-cancel"),
    path("<slug:office>/kios/", views.kiosk, name="kiosk"),
    path("<slug:office>/papan/", views.board, name="board"),
    path(
        "<slug:office>/papan/panggilan/",
        views.board_calls_partial,
        name="board-calls",
    ),
    path("<slug:office>/janji-temu/", views.booking_new, name="booking-new"),
    path("<slug:office>/statistik/", views.statistics, name="statistics"),
]
