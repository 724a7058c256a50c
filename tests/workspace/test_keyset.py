"""Keyset pages of the officer queue: every row once, in order, and a deep
page that is an index range (issue 17, scenario 2)."""

import datetime as dt

from django.db import connection
from django.utils import timezone

import pytest

from audit.bulk import _audited_write
from permits.models import ApplicationStep
from workspace.keyset import after, paginate
from workspace.selectors import NO_DEADLINE, SORTS, Tab, tasks_for

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _steps_with_deadlines(make_applications, offsets):
    """One unassigned active step per offset (hours from now; ``None``: no
    deadline of its own)."""
    due = timezone.now() + dt.timedelta(days=2)
    steps = [a.steps.get(status="active") for a in make_applications(len(offsets))]
    with _audited_write():
        for step, offset in zip(steps, offsets, strict=True):
            when = None if offset is None else due + dt.timedelta(hours=offset)
            ApplicationStep.objects.filter(pk=step.pk).update(due_at=when)
            step.due_at = when
    return steps


@pytest.mark.parametrize("sort", ["due", "-due"])
def test_pages_of_two_walk_every_task_once_in_deadline_order(
    make_applications, front_office, sort
):
    # Ties on the deadline (broken by pk) and tasks without one (last).
    steps = _steps_with_deadlines(make_applications, [3, 1, None, 1, 2, None, 1])
    expected = sorted(steps, key=lambda s: (s.due_at or NO_DEADLINE, s.pk))
    if sort == "-due":
        expected.reverse()
    seen, cursor = [], None
    while True:
        page = paginate(
            tasks_for(front_office.user, Tab.UNASSIGNED), SORTS[sort], cursor, 2
        )
        seen += [row.pk for row in page.rows]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [s.pk for s in expected]


def test_a_deep_page_is_a_range_of_the_queue_index(make_applications, front_office):
    """The page after a cursor starts the index scan at the cursor (a row
    comparison in the index condition) and takes the index's order: no sort of
    the matching rows, so page 1000 costs what page 1 does. Sequential scans
    are disabled to decide on a small table."""
    _steps_with_deadlines(make_applications, [1, 2, None])
    first = paginate(
        tasks_for(front_office.user, Tab.UNASSIGNED), SORTS["due"], None, 1
    )
    deep = after(
        tasks_for(front_office.user, Tab.UNASSIGNED), SORTS["due"], first.next_cursor
    )[:51]
    sql, params = deep.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE permits_applicationstep")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Scan using workspace_" in plan, plan
    assert "ROW(COALESCE(due_at" in plan, plan  # the cursor bounds the scan
    assert "Sort" not in plan, plan
