from django.urls import path

from . import views

app_name = "channeling"
urlpatterns = [
    path("loket/", views.assisted_list, name="list"),
    path("loket/baru/", views.assisted_start, name="start"),
    path("loket/laporan/", views.service_point_report, name="report"),
    path("loket/<uuid:uuid>/", views.assisted_detail, name="detail"),
    path("loket/<uuid:uuid>/kirim-ulang/", views.assisted_resend, name="resend"),
    path("loket/<uuid:uuid>/konfirmasi/", views.assisted_confirm, name="confirm"),
    path("loket/<uuid:uuid>/batal/", views.assisted_cancel, name="cancel"),
    path("akun/aktifkan/", views.account_claim, name="claim"),
    path("bpjs/koreksi/<uuid:uuid>/", views.bpjs_correction, name="bpjs"),
    path(
        "bpjs/koreksi/<uuid:uuid>/<slug:action>/",
        views.bpjs_action,
        name="bpjs_action",
    ),
]
