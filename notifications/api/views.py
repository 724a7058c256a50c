"""The signed-in user's inbox over the API: list, unread count, mark read."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import ReadOnlyModelViewSet

from notifications.delivery import notifications_for_display
from notifications.selectors import inbox_for, inbox_unread_count
from notifications.services import inbox_mark_read

from .serializers import (
    MarkReadOutputSerializer,
    NotificationOutputSerializer,
    UnreadCountOutputSerializer,
)


class InboxPagination(CursorPagination):
    ordering = "-id"


class InboxFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label="unread"
    )


class InboxViewSet(ReadOnlyModelViewSet):
    """``/api/v1/notifications/``: only the caller's own in-app notifications;
    anyone else's uuid is a 404 on every verb."""

    lookup_field = "uuid"
    serializer_class = NotificationOutputSerializer
    pagination_class = InboxPagination
    filterset_class = InboxFilter

    def get_queryset(self):
        return inbox_for(user=self.request.user)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        # The page's texts in the request's language, templates read once.
        return None if page is None else notifications_for_display(page)

    @extend_schema(responses=UnreadCountOutputSerializer)
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request: Request) -> Response:
        return Response({"unread": inbox_unread_count(user=request.user)})

    @extend_schema(request=None, responses=NotificationOutputSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, uuid: str) -> Response:
        notification = self.get_object()
        inbox_mark_read(user=request.user, uuids=[notification.uuid])
        notification.refresh_from_db()
        return Response(NotificationOutputSerializer(notification).data)

    @extend_schema(request=None, responses=MarkReadOutputSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        return Response({"marked": inbox_mark_read(user=request.user)})
