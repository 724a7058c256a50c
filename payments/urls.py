from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("tagihan/<uuid:uuid>/", views.bill_detail, name="bill_detail"),
    path(
        "tagihan/<uuid:uuid>/terbitkan-ulang/", views.bill_reissue, name="bill_reissue"
    ),
    path("tagihan/<uuid:uuid>/konfirmasi/", views.payment_confirm, name="confirm"),
    path("tagihan/<uuid:uuid>/bukti/", views.evidence_download, name="evidence"),
    path("permohonan/<uuid:uuid>/tetapkan/", views.bill_issue, name="bill_issue"),
]
