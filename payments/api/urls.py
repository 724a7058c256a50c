"""API routes of this app (mounted under /api/v1/)."""

from django.urls import path

from rest_framework.routers import SimpleRouter

from .views import (
    BillViewSet,
    CallbackViewSet,
    FeeRuleViewSet,
    RefundViewSet,
    gateway_callback,
    gateway_inquiry,
)

app_name = "payments-api"
router = SimpleRouter()
router.register("fee-rules", FeeRuleViewSet, basename="fee-rule")
router.register("bills", BillViewSet, basename="bill")
router.register("refunds", RefundViewSet, basename="refund")
router.register("payment-callbacks", CallbackViewSet, basename="payment-callback")
urlpatterns = [
    path("payments/gateway/callback/", gateway_callback, name="gateway-callback"),
    path("payments/gateway/inquiry/", gateway_inquiry, name="gateway-inquiry"),
    *router.urls,
]
