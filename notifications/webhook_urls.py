"""Gateway callbacks, mounted under /webhooks/ (outside the citizens' pages)."""

from django.urls import path

from . import views

app_name = "webhooks"
urlpatterns = [
    path("<slug:gateway>/", views.gateway_callback, name="gateway-callback"),
]
