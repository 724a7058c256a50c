"""Reads of personal data for its owner: who accessed it, and everything the
portal holds about them (the export)."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from notifications.models import Notification
from permits.models import Application, ApplicationDocument

from .models import PersonalDataAccess


def accesses_of(user) -> QuerySet[PersonalDataAccess]:
    """Staff accesses to ``user``'s data, newest first (index
    ``access_by_subject``). Callers show role and agency only, never
    ``viewer``."""
    return (
        PersonalDataAccess.objects.filter(subject=user)
        .select_related("application")
        .order_by("-accessed_at", "-id")
    )


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def personal_data_of(user) -> dict[str, Any]:
    """Everything the portal holds about ``user`` as JSON-ready data:
    ``{"account", "applications", "documents", "notifications", "accesses"}``.

    Instants are ISO 8601 in UTC. Documents are listed (name, type, size in
    bytes, SHA-256), not embedded; each can be downloaded from its application.
    """
    applications = (
        Application.objects.filter(applicant=user)
        .select_related("service_version")
        .prefetch_related("status_changes")
        .order_by("created_at", "pk")
    )
    documents = ApplicationDocument.objects.filter(owner=user).order_by(
        "created_at", "pk"
    )
    notifications = Notification.objects.filter(recipient=user).order_by(
        "created_at", "pk"
    )
    return {
        "account": {
            "username": user.username,
            "full_name": user.full_name,
            "email": user.email,
            "phone": user.phone,
            "nik": user.nik,
            "preferred_language": user.preferred_language,
            "date_joined": _iso(user.date_joined),
        },
        "applications": [
            {
                "reference": a.reference,
                "uuid": str(a.uuid),
                "service": a.service_version.name,
                "status": a.status,
                "created_at": _iso(a.created_at),
                "submitted_at": _iso(a.submitted_at),
                "decided_at": _iso(a.decided_at),
                "form_data": a.form_data,
                "subject": a.subject,
                "history": [
                    {
                        "from": c.from_status,
                        "to": c.to_status,
                        "at": _iso(c.created_at),
                        "reason": c.reason,
                    }
                    for c in a.status_changes.all()
                ],
            }
            for a in applications
        ],
        "documents": [
            {
                "uuid": str(d.uuid),
                "requirement": d.requirement_code,
                "original_name": d.original_name,
                "content_type": d.content_type,
                "size_bytes": d.size,
                "sha256": d.sha256,
                "uploaded_at": _iso(d.created_at),
            }
            for d in documents
        ],
        "notifications": [
            {
                "event": n.event,
                "channel": n.channel,
                "status": n.status,
                "subject": n.subject,
                "body": n.body,
                "created_at": _iso(n.created_at),
            }
            for n in notifications
        ],
        "accesses": [
            {
                "role": x.viewer_role,
                "agency": x.viewer_unit_name or x.viewer_unit,
                "what": x.kind,
                "application": x.application.reference if x.application else None,
                "at": _iso(x.accessed_at),
            }
            for x in accesses_of(user)
        ],
    }
