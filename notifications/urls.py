from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("saluran/", views.channels, name="channels"),
    path("dibaca/", views.mark_all_read, name="mark-all-read"),
    path("<uuid:uuid>/dibaca/", views.mark_read, name="mark-read"),
]
