from django.urls import path

from . import views

app_name = "workspace"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("tindakan/", views.bulk, name="bulk"),
    path("permohonan/<uuid:uuid>/", views.application, name="application"),
    path("permohonan/<uuid:uuid>/catatan/", views.note_add, name="note_add"),
    path(
        "permohonan/<uuid:uuid>/tahap/<int:step_id>/ambil/",
        views.claim,
        name="claim",
    ),
    path(
        "permohonan/<uuid:uuid>/berkas/<uuid:document_uuid>/",
        views.document,
        name="document",
    ),
    path(
        "permohonan/<uuid:uuid>/berkas/<uuid:document_uuid>/halaman/<int:number>.png",
        views.document_page,
        name="document_page",
    ),
]
