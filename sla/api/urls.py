"""API routes of this app (mounted under /api/v1/)."""

from django.urls import path

from . import views

app_name = "sla-api"
urlpatterns = [
    path("sla/due/", views.DueView.as_view(), name="due"),
    path("sla/extensions/", views.ExtensionListView.as_view(), name="extensions"),
    path(
        "sla/extensions/<int:pk>/decide/",
        views.ExtensionDecideView.as_view(),
        name="extension-decide",
    ),
]
