"""API routes of the auditor workspace (mounted under /api/v1/)."""

from django.urls import path

from . import views

app_name = "auditor-api"
urlpatterns = [
    path("auditor/entries/", views.EntryListView.as_view(), name="entries"),
    path("auditor/integrity/", views.IntegrityView.as_view(), name="verify"),
]
