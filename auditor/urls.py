from django.urls import path

from . import views

app_name = "auditor"
urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("unduh.csv", views.export_csv, name="export"),
    path("integritas/", views.integrity, name="integrity"),
    path("integritas/periksa/", views.verify, name="verify"),
    path(
        "permohonan/<str:reference>/",
        views.application_timeline,
        name="application_timeline",
    ),
    path("petugas/<str:username>/", views.officer_timeline, name="officer_timeline"),
    path(
        "objek/<str:object_type>/<path:object_id>/",
        views.object_timeline,
        name="object_timeline",
    ),
]
