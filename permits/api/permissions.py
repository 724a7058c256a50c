from rest_framework.permissions import BasePermission

from accounts.permissions import user_can


class IsOfficer(BasePermission):
    """Officer actions: an active officer with an agency (the step rule is
    checked by the service for the named step)."""

    def has_permission(self, request, view) -> bool:
        return user_can(request.user, "application.work", None)
