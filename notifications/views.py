"""The in-app inbox (*kotak masuk*) of the signed-in user."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .selectors import inbox_for
from .services import inbox_mark_read


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, 20 a page; unread ones marked."""
    page = Paginator(inbox_for(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
@require_POST
def mark_read(request: HttpRequest, uuid) -> HttpResponse:
    """Mark one of the user's notifications read; another user's is a 404."""
    notification = get_object_or_404(inbox_for(user=request.user), uuid=uuid)
    inbox_mark_read(user=request.user, uuids=[notification.uuid])
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    inbox_mark_read(user=request.user)
    return redirect("notifications:inbox")
