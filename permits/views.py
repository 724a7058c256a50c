"""HTML views of applications: parse, authorize, call a service."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .selectors import application_qs_visible_to, application_timeline


@login_required
def application_detail(request: HttpRequest, uuid) -> HttpResponse:
    application = get_object_or_404(application_qs_visible_to(request.user), uuid=uuid)
    return render(
        request,
        "permits/application_detail.html",
        {"application": application, "timeline": application_timeline(application)},
    )
