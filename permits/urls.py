from django.urls import path

from . import views

app_name = "permits"
urlpatterns = [
    path("<uuid:uuid>/", views.application_detail, name="detail"),
]
