"""API routes of this app (mounted under /api/v1/)."""

from django.urls import path

from . import views

app_name = "privacy-api"
urlpatterns = [
    path("privacy/accesses/", views.AccessListView.as_view(), name="accesses"),
    path("privacy/export/", views.ExportView.as_view(), name="export"),
]
