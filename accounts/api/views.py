"""The caller's own account over the API.

Registration and verification stay on the web pages: the API authenticates with
the session only (no tokens), so a client that can register already has a
browser; adding them here would double the abuse surface (throttling, codes)
for no user.
"""

from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import businesses_for
from accounts.services import profile_update

from .serializers import (
    BusinessOutputSerializer,
    ProfileInputSerializer,
    ProfileOutputSerializer,
)


class ProfileView(APIView):
    """``/api/v1/accounts/me/``: GET the caller's profile; PATCH ``full_name``
    and ``preferred_language``."""

    @extend_schema(responses=ProfileOutputSerializer)
    def get(self, request: Request) -> Response:
        return Response(ProfileOutputSerializer(request.user).data)

    @extend_schema(request=ProfileInputSerializer, responses=ProfileOutputSerializer)
    def patch(self, request: Request) -> Response:
        data = ProfileInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = profile_update(
            user=request.user,
            full_name=data.validated_data.get("full_name", request.user.full_name),
            preferred_language=data.validated_data.get(
                "preferred_language", request.user.preferred_language
            ),
        )
        return Response(ProfileOutputSerializer(user).data)


class MyBusinessesView(ListAPIView):
    """``/api/v1/accounts/me/businesses/``: the businesses the caller may apply
    as (confirmed memberships)."""

    serializer_class = BusinessOutputSerializer
    pagination_class = None

    def get_queryset(self):
        return businesses_for(self.request.user)
