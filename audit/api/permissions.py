from rest_framework.permissions import BasePermission


class CanVerifyAuditTrail(BasePermission):
    """Staff, or an auditor holding ``audit.verify_chain``."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and (user.is_staff or user.has_perm("audit.verify_chain"))
        )
