"""The portal's URLs plus the baselines of the HTTP scenarios: the same server,
middleware and worker, and a view that does nothing (``/bench/trivial/``, the
page scenario) or only the raw SQL of the queue's call, start and finish
(``/bench/queue/<counter>/<step>/``, scenario 4b)."""

from django.db import connection, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


QUEUE_SQL = {
    # The take of scenario 4a's baseline, for any counter of the office.
    "call": [
        "SELECT t.id FROM queueing_queueticket t"
        " JOIN queueing_counter c ON c.id = %(counter)s"
        " WHERE t.office_id = c.office_id AND t.status = 'waiting'"
        " AND t.target_counter_id IS NULL"
        " ORDER BY t.queued_at, t.id LIMIT 1 FOR UPDATE OF t SKIP LOCKED",
        "UPDATE queueing_queueticket SET status = 'called', counter_id = %(counter)s,"
        " called_at = now(), first_called_at = coalesce(first_called_at, now())"
        " WHERE id = %(id)s RETURNING uuid",
    ],
    "start": [
        "UPDATE queueing_queueticket SET status = 'serving', started_at = now()"
        " WHERE counter_id = %(counter)s AND status = 'called' RETURNING uuid"
    ],
    "finish": [
        "UPDATE queueing_queueticket SET status = 'done', finished_at = now()"
        " WHERE counter_id = %(counter)s AND status = 'serving' RETURNING uuid"
    ],
}


@csrf_exempt
@require_POST
def queue_step(request: HttpRequest, counter: int, step: str) -> HttpResponse:
    """One step of the queue in raw SQL; 204 when there is nothing to do."""
    if step not in QUEUE_SQL:
        raise Http404
    params = {"counter": counter}
    with transaction.atomic(), connection.cursor() as cursor:
        row = None
        for sql in QUEUE_SQL[step]:
            cursor.execute(sql, params)
            row = cursor.fetchone()
            if row is None:
                return HttpResponse(status=204)
            params["id"] = row[0]
    return JsonResponse({"uuid": str(row[0])})


urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("bench/queue/<int:counter>/<str:step>/", queue_step, name="bench-queue"),
    path("", include("ptsp.urls")),
]

handler404 = "ptsp.views.error_404"
handler403 = "ptsp.views.error_403"
handler500 = "ptsp.views.error_500"
