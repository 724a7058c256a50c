"""Auditors read and never write: every POST, PUT, PATCH or DELETE from an
auditor account is refused with 403 (and recorded as ``access.denied``), on
every page, API endpoint and the admin, except the few paths in
``auditor.permissions.AUDITOR_WRITE_ALLOWED``. One place, so that a new write
endpoint cannot forget the rule."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.utils.translation import gettext as _

from audit.services import audit_access_denied

from .permissions import auditor_may_write

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class AuditorReadOnlyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.method not in SAFE_METHODS
            and user is not None
            and user.is_authenticated
            and not auditor_may_write(user, request.path_info)
        ):
            message = _("Auditor accounts can read but not change anything.")
            if request.path_info.startswith("/api/"):
                audit_access_denied(request=request, status=403, detail=message)
                return JsonResponse({"detail": message}, status=403)
            raise PermissionDenied(message)  # handler403 records it
        return self.get_response(request)
