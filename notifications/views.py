"""The signed-in user's in-app inbox (*kotak masuk*) and notification channels
(*saluran notifikasi*), and the gateways' signed callbacks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from .callbacks import UnknownMessage, gateway_callback_receive
from .choices import MESSAGE_CHANNELS, PHONE_CHANNELS, Channel
from .contacts import (
    ContactError,
    contact_channels_set,
    contact_phone_remove,
    phone_verification_confirm,
    phone_verification_start,
)
from .delivery import notifications_for_display
from .forms import ChannelOrderForm, CodeForm, PhoneForm
from .gateways import InvalidCallback, channel_available, get_gateway
from .phones import phone_mask
from .quiet import quiet_window
from .routing import contact_for
from .selectors import inbox_for, phone_verification_open
from .services import inbox_mark_read


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, 20 a page; unread ones marked.
    Each is shown in the language of the page (rendered now from its event and
    variables), whatever language its e-mail or SMS went out in."""
    page = Paginator(inbox_for(user=request.user), 20).get_page(request.GET.get("page"))
    page.object_list = notifications_for_display(page.object_list)
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


@login_required
@require_http_methods(["GET", "POST"])
def channels(request: HttpRequest) -> HttpResponse:
    """The user's phone number (verified with a code by SMS) and message channels
    in order. POST ``action``: ``send_code``, ``confirm``, ``order`` or
    ``remove_phone``; each success redirects back (POST/redirect/GET), each
    error shows the page again with what was typed and the reason."""
    user = request.user
    phone_form = PhoneForm()
    code_form = CodeForm()
    order_form = None
    action = request.POST.get("action") if request.method == "POST" else None
    try:
        if action == "send_code":
            phone_form = PhoneForm(request.POST)
            if phone_form.is_valid():
                phone_verification_start(
                    user=user, phone=phone_form.cleaned_data["phone"]
                )
                messages.success(
                    request,
                    _("We sent a code by SMS to %(phone)s. Enter it below.")
                    % {"phone": phone_mask(phone_form.cleaned_data["phone"])},
                )
                return redirect("notifications:channels")
        elif action == "confirm":
            code_form = CodeForm(request.POST)
            if code_form.is_valid():
                phone_verification_confirm(
                    user=user, code=code_form.cleaned_data["code"]
                )
                messages.success(request, _("Your phone number is verified."))
                return redirect("notifications:channels")
        elif action == "order":
            order_form = ChannelOrderForm(request.POST)
            if order_form.is_valid():
                contact_channels_set(user=user, channels=order_form.channels())
                messages.success(request, _("Your notification channels are saved."))
                return redirect("notifications:channels")
        elif action == "remove_phone":
            contact_phone_remove(user=user)
            messages.success(request, _("Your phone number was removed."))
            return redirect("notifications:channels")
    except ValidationError as error:
        phone_form.add_error("phone", error)
    except ContactError as error:
        form = {"send_code": phone_form, "confirm": code_form}.get(action, order_form)
        form.add_error(None, error.message)
    contact = contact_for(user)
    quiet = quiet_window()
    current = (
        list(contact.channels) if contact and contact.channels else [Channel.EMAIL]
    )
    context = {
        "contact": contact,
        "phone_masked": phone_mask(contact.phone) if contact and contact.phone else "",
        "phone_verified": bool(contact and contact.verified_phone),
        "pending": phone_verification_open(user=user),
        "sms_available": channel_available(Channel.SMS),
        "phone_form": phone_form,
        "code_form": code_form,
        "order_form": order_form or ChannelOrderForm.for_channels(current),
        "current_channels": current,
        "channel_labels": dict(Channel.choices),
        "message_channels": MESSAGE_CHANNELS,
        "quiet_start": quiet[0] if quiet else None,
        "quiet_end": quiet[1] if quiet else None,
    }
    status = 400 if request.method == "POST" else 200
    return render(
        request, "notifications/contact_channels.html", context, status=status
    )


@csrf_exempt
@require_POST
def gateway_callback(request: HttpRequest, gateway: str) -> JsonResponse:
    """A gateway's signed report (README, "SMS and WhatsApp"). 200 with the
    outcome (also for a duplicate); 403 forged or unsigned; 400 malformed or
    signed outside the tolerance (a replay); 404 unknown gateway or message."""
    adapter = get_gateway(gateway) if gateway in PHONE_CHANNELS else None
    if adapter is None:
        raise Http404
    try:
        report = adapter.parse_callback(
            body=request.body, headers=request.headers, now=timezone.now()
        )
        outcome = gateway_callback_receive(gateway=gateway, report=report)
    except InvalidCallback as error:
        return JsonResponse({"error": str(error)}, status=error.status_code)
    except UnknownMessage:
        return JsonResponse({"error": "Unknown message."}, status=404)
    return JsonResponse({"outcome": outcome})
