"""API routes of this app (mounted under /api/v1/)."""

from django.urls import path

from .views import MyBusinessesView, ProfileView

app_name = "accounts-api"
urlpatterns = [
    path("accounts/me/", ProfileView.as_view(), name="me"),
    path("accounts/me/businesses/", MyBusinessesView.as_view(), name="my-businesses"),
]
