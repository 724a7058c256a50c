"""The portal's URLs plus ``/bench/trivial/``, the baseline of the page scenario:
the same server, middleware and worker, and a view that does nothing."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("", include("ptsp.urls")),
]

handler404 = "ptsp.views.error_404"
handler403 = "ptsp.views.error_403"
handler500 = "ptsp.views.error_500"
