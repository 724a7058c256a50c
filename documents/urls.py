from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("verifikasi/<str:token>/", views.verify, name="verify"),
    path("dokumen/", views.register, name="register"),
    path("dokumen/<uuid:uuid>/", views.detail, name="detail"),
    path("dokumen/<uuid:uuid>/unduh/", views.download, name="download"),
    path("dokumen/<uuid:uuid>/cabut/", views.revoke, name="revoke"),
    path("dokumen/<uuid:uuid>/perpanjang/", views.renew, name="renew"),
]
