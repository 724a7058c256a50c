from django.urls import path

from . import views

app_name = "agencies"
urlpatterns = [
    path("layanan/", views.service_list, name="service_list"),
    path("layanan/<slug:code>/", views.service_detail, name="service_detail"),
    path(
        "layanan/<slug:code>/standar/", views.service_standard, name="service_standard"
    ),
]
