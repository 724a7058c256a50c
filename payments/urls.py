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
    path("pengembalian/", views.refund_list, name="refund_list"),
    path(
        "tagihan/<uuid:uuid>/pengembalian/",
        views.refund_request,
        name="refund_request",
    ),
    path("pengembalian/<uuid:uuid>/", views.refund_detail, name="refund_detail"),
    path(
        "pengembalian/<uuid:uuid>/putuskan/", views.refund_decide, name="refund_decide"
    ),
]
