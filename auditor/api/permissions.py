from rest_framework.permissions import BasePermission

from accounts.permissions import user_can


class CanReadTrail(BasePermission):
    """Auditors and admins (``audit_trail.read``)."""

    def has_permission(self, request, view) -> bool:
        return user_can(request.user, "audit_trail.read")
