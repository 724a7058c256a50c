"""API routes of this app (mounted under /api/v1/)."""

from django.urls import path

from . import views

app_name = "audit-api"
urlpatterns = [
    path("audit/verify/", views.VerifyView.as_view(), name="verify"),
    path("audit/checkpoints/", views.CheckpointListView.as_view(), name="checkpoints"),
    path(
        "audit/checkpoints/latest/",
        views.LatestCheckpointView.as_view(),
        name="checkpoint-latest",
    ),
]
