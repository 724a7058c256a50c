"""URLconf for tests that need a view which fails on purpose."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import path

from ptsp.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


def _forbidden(request):
    raise PermissionDenied


def _audit_probe(request):
    """Echoes the audit context the middleware bound to this request."""
    from audit.context import current_actor

    actor = current_actor()
    return JsonResponse({"ip": actor.ip_address, "rid": actor.request_id})


def _boom(request):
    raise RuntimeError("deliberate failure for the 500 page test")


urlpatterns = [
    *urlpatterns,
    path("__boom__", _boom),
    path("__forbidden__", _forbidden),
    path("__audit_probe__", _audit_probe),
]
