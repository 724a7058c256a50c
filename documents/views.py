"""Pages of issued documents: the public verification page (no login), the
register for officers and auditors, a document's page with download,
revocation and renewal."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from django_ratelimit.core import is_ratelimited
from redis.exceptions import RedisError

from accounts.permissions import user_can
from audit.services import audit_record_standalone
from ptsp.exceptions import ApplicationError

from . import services
from .choices import RenderStatus, Validity
from .forms import RegisterSearchForm, RevokeForm
from .selectors import document_by_token, documents_visible_to, register_search
from .signing import documents_signer, signature_check

logger = logging.getLogger(__name__)


def verify_limited(request) -> bool:
    """Whether this IP has used up ``DOCUMENTS_VERIFY_RATE`` (counted in the
    cache). With the cache (Redis) down the count is skipped and the
    verification answered: failing open here beats a 500 for every citizen
    scanning a QR code; the outage is logged."""
    try:
        return is_ratelimited(
            request,
            group="documents.verify",
            key="ip",
            rate=settings.DOCUMENTS_VERIFY_RATE,
            increment=True,
        )
    except (RedisError, OSError):
        logger.warning("documents.verify: rate limit skipped, cache unavailable")
        return False


def signature_status(document) -> dict | None:
    """The signature check of the stored PDF, cached by its SHA-256 (the file
    never changes); ``None`` while the PDF is being prepared."""
    if document.render_status != RenderStatus.READY or not document.file:
        return None
    key = f"documents:sigcheck:{document.sha256}"
    try:
        result = cache.get(key)
    except (RedisError, OSError):  # the cache is down: check without it
        result = None
    if result is None:
        with document.file.open("rb") as handle:
            pdf = handle.read()
        roots = documents_signer().trust_roots() if settings.DOCUMENTS_SIGNER else []
        result = signature_check(pdf, trust_roots=roots)
        result["sha256_matches"] = services.sha256_of(pdf) == document.sha256
        try:
            cache.set(key, result, 24 * 3600)
        except (RedisError, OSError):
            logger.warning("documents: signature check not cached, cache unavailable")
    return result


def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Public: is this document genuine and in force? Minimal, masked data.
    Every verification (found or not) is audited; too many per IP get 429."""
    if verify_limited(request):
        return render(request, "documents/verify_limited.html", status=429)
    document = document_by_token(token)
    audit_record_standalone(
        action="document.verify",
        obj=document,
        object_type="" if document else "documents.issueddocument",
        object_id="" if document else "unknown",
        changes={"result": [None, document.validity() if document else "unknown"]},
    )
    if document is None:
        return render(request, "documents/verify_unknown.html", status=404)
    validity = document.validity()
    return render(
        request,
        "documents/verify.html",
        {
            "document": document,
            "validity": validity,
            "Validity": Validity,
            "holder": services.mask_name(document.holder_name),
            "holder_identifier": services.mask_identifier(document.holder_identifier),
            "signature": signature_status(document),
            "now": timezone.now(),
        },
    )


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """The permit register (*daftar dokumen terbit*) of the user's agencies, or
    of all agencies for auditors and admins."""
    if not user_can(request.user, "document.register", None):
        raise PermissionDenied
    form = RegisterSearchForm(request.GET or None)
    queryset = documents_visible_to(request.user).exclude(kind="receipt")
    if form.is_valid():
        queryset = register_search(
            queryset,
            q=form.cleaned_data["q"],
            validity=form.cleaned_data["validity"],
        )
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "documents/register.html",
        {"form": form, "page": page, "now": timezone.now()},
    )


def _visible(request: HttpRequest, uuid):
    return get_object_or_404(documents_visible_to(request.user), uuid=uuid)


@login_required
def detail(request: HttpRequest, uuid) -> HttpResponse:
    document = _visible(request, uuid)
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "validity": document.validity(),
            "can_revoke": user_can(request.user, "document.revoke", document)
            and document.kind != "receipt"
            and document.revoked_at is None,
            "can_renew": user_can(request.user, "document.renew", document)
            and document.kind == "permit"
            and document.validity() in (Validity.VALID, Validity.EXPIRED),
            "revoke_form": RevokeForm(),
        },
    )


@login_required
def download(request: HttpRequest, uuid) -> HttpResponse:
    """The signed PDF as an attachment (never inline), for those who may see
    the document."""
    document = _visible(request, uuid)
    if document.render_status != RenderStatus.READY or not document.file:
        raise Http404
    filename = f"{document.get_kind_display()} {document.number}.pdf".replace("/", "-")
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def revoke(request: HttpRequest, uuid) -> HttpResponse:
    document = _visible(request, uuid)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the revocation."))
        return redirect("documents:detail", uuid=document.uuid)
    try:
        services.document_revoke(
            document=document, user=request.user, reason=form.cleaned_data["reason"]
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The document is revoked."))
    return redirect("documents:detail", uuid=document.uuid)


@login_required
@require_POST
def renew(request: HttpRequest, uuid) -> HttpResponse:
    document = _visible(request, uuid)
    try:
        draft = services.renewal_start(document=document, user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("documents:detail", uuid=document.uuid)
    messages.success(request, _("A renewal application was started from your permit."))
    return redirect("permits:edit", uuid=draft.uuid)
