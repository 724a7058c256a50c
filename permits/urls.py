from django.urls import path

from . import views

app_name = "permits"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("lacak/", views.track, name="track"),
    path("tugas/", views.work_list, name="work_list"),
    path("baru/<slug:code>/", views.application_start, name="start"),
    path("<uuid:uuid>/", views.application_detail, name="detail"),
    path("<uuid:uuid>/ubah/", views.application_edit, name="edit"),
    path("<uuid:uuid>/tanda-terima/", views.application_receipt, name="receipt"),
    path("<uuid:uuid>/batal/", views.application_withdraw, name="withdraw"),
    path("<uuid:uuid>/keberatan/", views.application_object, name="object"),
    path(
        "<uuid:uuid>/tahap/<int:step_id>/<slug:action>/",
        views.step_action,
        name="step_action",
    ),
    path(
        "<uuid:uuid>/berkas/<uuid:document_uuid>/",
        views.document_download,
        name="document_download",
    ),
]
