"""Pages of the privacy app: the privacy notice, the citizen's access log and
the data export."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .export import personal_data_export
from .selectors import accesses_of


def notice(request: HttpRequest) -> HttpResponse:
    """The privacy notice (*pemberitahuan privasi*), public."""
    return render(
        request,
        "privacy/notice.html",
        {
            "access_days": settings.PRIVACY_ACCESS_LOG_DAYS,
            "notification_days": settings.PRIVACY_NOTIFICATION_BODY_DAYS,
        },
    )


@login_required
def my_accesses(request: HttpRequest) -> HttpResponse:
    """Who (role and agency) opened the user's data, and when; 50 a page."""
    page = Paginator(accesses_of(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "privacy/access_list.html", {"page": page})


@login_required
def my_data_export(request: HttpRequest) -> HttpResponse:
    """GET: what the export holds and a download button; POST: the ZIP file."""
    if request.method != "POST":
        return render(request, "privacy/export.html")
    filename, content = personal_data_export(user=request.user)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
