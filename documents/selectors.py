"""Reads of issued documents, always scoped to the user."""

from django.db.models import Q, QuerySet

from accounts.permissions import is_admin, is_auditor
from accounts.selectors import officers_acting_as
from permits.models import Application

from .models import IssuedDocument


def documents_visible_to(user) -> QuerySet[IssuedDocument]:
    """Documents ``user`` may see: their own applications'; for officers also
    those of services their agency runs or issues, or of applications with a
    step of their agency; everything for auditors and admins."""
    base = IssuedDocument.objects.select_related(
        "application__service_version", "service"
    ).order_by("-issued_at", "-pk")
    if user is None or not user.is_authenticated:
        return base.none()
    if is_auditor(user) or is_admin(user):
        return base
    condition = Q(application__applicant=user)
    agency_ids = [o.agency_id for o in officers_acting_as(user) if o.agency_id]
    if agency_ids:
        condition |= (
            Q(service__agency_id__in=agency_ids)
            | Q(service__issuer_agency_id__in=agency_ids)
            | Q(
                application__in=Application.objects.filter(
                    steps__agency_id__in=agency_ids
                ).values("pk")
            )
        )
    return base.filter(pk__in=IssuedDocument.objects.filter(condition).values("pk"))


def document_by_token(token: str) -> IssuedDocument | None:
    """The document whose verification token is ``token`` (public lookup)."""
    if not token or len(token) > 64:
        return None
    return (
        IssuedDocument.objects.select_related(
            "service__agency",
            "service__issuer_agency",
            "application__service_version",
            "superseded_by",
        )
        .filter(verification_token=token)
        .first()
    )


def register_search(
    queryset: QuerySet[IssuedDocument], *, q: str = "", validity: str = ""
) -> QuerySet[IssuedDocument]:
    """Filter the register by number, reference or holder (``q``) and by
    validity (``valid``, ``expired``, ``revoked``, ``superseded``)."""
    from django.utils import timezone

    if q:
        q = q.strip()
        queryset = queryset.filter(
            Q(number__icontains=q)
            | Q(application__reference__icontains=q)
            | Q(holder_name__icontains=q)
        )
    now = timezone.now()
    if validity == "revoked":
        queryset = queryset.filter(revoked_at__isnull=False)
    elif validity == "superseded":
        queryset = queryset.filter(revoked_at__isnull=True, superseded_by__isnull=False)
    elif validity == "expired":
        queryset = queryset.filter(
            revoked_at__isnull=True, superseded_by__isnull=True, valid_until__lt=now
        )
    elif validity == "valid":
        queryset = queryset.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=now),
            revoked_at__isnull=True,
            superseded_by__isnull=True,
        )
    return queryset
