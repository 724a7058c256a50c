"""DRF glue: maps domain errors to HTTP status codes.

``InvalidTransition`` and ``StaleVersion`` become 409, other ``ApplicationError``s 400;
Django's ``ValidationError`` becomes 400 with its messages. Every 403 is recorded
in the audit trail (``access.denied``).
"""

from django.core.exceptions import ValidationError as DjangoValidationError

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import ApplicationError, InvalidTransition, StaleVersion


def exception_handler(exc, context):
    if isinstance(exc, (InvalidTransition, StaleVersion)):
        return Response(
            {"detail": exc.message, **exc.extra}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, ApplicationError):
        return Response(
            {"detail": exc.message, **exc.extra}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return Response({"detail": detail}, status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == status.HTTP_403_FORBIDDEN:
        from audit.services import audit_access_denied

        request = context.get("request")
        if request is not None:
            audit_access_denied(request=request, status=403, detail=str(exc))
    return response
