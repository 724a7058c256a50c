"""Site-wide views: home page, health check and error pages."""

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .pagecache import public_page

logger = logging.getLogger(__name__)


@public_page(stamps=())
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def _check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        logger.warning("healthz: database unreachable: %s", exc)
        return False, type(exc).__name__
    return True, connection.vendor


def _check_broker() -> tuple[bool, str]:
    from ptsp.celery import app

    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            transport = conn.transport_cls
    except Exception as exc:
        logger.warning("healthz: broker unreachable: %s", exc)
        return False, type(exc).__name__
    return True, str(transport)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """``GET /healthz``: ``{"status": "ok"|"fail", "database": {..}, "broker": {..}}``.

    HTTP 200 when both the database and the Celery broker answer, else 503. Used by the
    compose health checks and the load balancer; reveals no configuration.
    """
    db_ok, db_info = _check_database()
    broker_ok, broker_info = _check_broker()
    ok = db_ok and broker_ok
    body = {
        "status": "ok" if ok else "fail",
        "database": {"ok": db_ok, "detail": db_info},
        "broker": {"ok": broker_ok, "detail": broker_info},
    }
    return JsonResponse(body, status=200 if ok else 503)


def error_404(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 404 page; under ``/api/`` the API's JSON error shape instead
    (``{"detail": "..."}``, as DRF answers for an unknown object)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "errors/404.html", status=404)


def error_403(request: HttpRequest, exception: Exception) -> HttpResponse:
    from audit.services import audit_access_denied

    audit_access_denied(request=request, status=403, detail=str(exception))
    return render(request, "errors/403.html", status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    # Rendered without the request context: the failure may be in a context processor.
    from django.template import loader

    template = loader.get_template("errors/500.html")
    return HttpResponse(
        template.render({"LANGUAGE_CODE": settings.LANGUAGE_CODE}), status=500
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/403_csrf.html", status=403)


def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``: a permanent redirect to the site icon (static
    ``img/favicon.svg``), resolved at request time so hashed static names
    work."""
    from django.shortcuts import redirect
    from django.templatetags.static import static

    return redirect(static("img/favicon.svg"), permanent=True)
