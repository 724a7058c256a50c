from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.notice, name="notice"),
    path("akses/", views.my_accesses, name="accesses"),
    path("unduh/", views.my_data_export, name="export"),
]
