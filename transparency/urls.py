from django.urls import path

from . import views

app_name = "transparency"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("unduh.csv", views.dashboard_csv, name="csv"),
    path("ikm.csv", views.ikm_csv, name="ikm_csv"),
    path("instansi/<slug:code>/", views.agency_dashboard, name="agency"),
    path("survei/", views.survey_list, name="survey_list"),
    path("survei/<uuid:uuid>/", views.survey, name="survey"),
    path("pengaduan/", views.complaint_list, name="complaint_list"),
    path("pengaduan/baru/", views.complaint_new, name="complaint_new"),
    path("pengaduan/masuk/", views.complaint_inbox, name="complaint_inbox"),
    path("pengaduan/<uuid:uuid>/", views.complaint_detail, name="complaint_detail"),
    path(
        "pengaduan/<uuid:uuid>/jawab/", views.complaint_answer, name="complaint_answer"
    ),
    path(
        "pengaduan/<uuid:uuid>/lapor/",
        views.complaint_forward,
        name="complaint_forward",
    ),
]
