"""URLconf for tests that need a view which fails on purpose."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from ptsp.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


def _forbidden(request):
    raise PermissionDenied


def _boom(request):
    raise RuntimeError("deliberate failure for the 500 page test")


urlpatterns = [*urlpatterns, path("__boom__", _boom), path("__forbidden__", _forbidden)]
