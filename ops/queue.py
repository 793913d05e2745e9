"""The task queue's state for staff (database backend), and putting a failed task back.

Reads ``django_tasks_db``'s table directly: it is the queue whatever the process that
looks at it (the admin runs in the web server, the tasks in ``manage.py db_worker``)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.exceptions import InvalidTaskError
from django_tasks_db.models import DBTaskResult, get_date_max

from portal.tasks import ATTEMPT_KWARG, attempt_of

logger = logging.getLogger(__name__)

RETRY_SCHEDULED = "portal.tasks.RetryScheduled"
# A task still RUNNING after this long most likely lost its worker (killed, server restarted).
STALE_AFTER = timedelta(hours=1)


def uses_database_backend():
    from django_tasks import default_task_backend
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(default_task_backend, DatabaseBackend)


def error_line(db_result):
    """The last line of the traceback: the exception and its message."""
    lines = [line for line in (db_result.traceback or "").strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else db_result.exception_class_path


def _describe(db_result, now):
    return {
        "id": str(db_result.id),
        # From the stored path (db_result.task imports it and checks it against the backend).
        "task": db_result.task_path.rsplit(".", 1)[-1],
        "path": db_result.task_path,
        "queue": db_result.queue_name,
        "attempt": attempt_of(db_result),
        "enqueued_at": db_result.enqueued_at,
        "started_at": db_result.started_at,
        "finished_at": db_result.finished_at,
        "run_after": None if db_result.run_after == get_date_max() else db_result.run_after,
        "error": error_line(db_result) if db_result.status == TaskResultStatus.FAILED else "",
        "waiting_for": (now - db_result.enqueued_at) if db_result.enqueued_at else None,
    }


def queue_state(*, now=None, limit=20):
    """Counts by status, definitive failures with their error, the oldest task waiting,
    the retries planned and the tasks running for too long."""
    now = now or timezone.now()
    results = DBTaskResult.objects.all()
    counts = {status: 0 for status in TaskResultStatus.values}
    for row in results.values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    waiting = results.filter(status=TaskResultStatus.READY)
    due = waiting.ready()
    scheduled = waiting.exclude(run_after=get_date_max()).filter(run_after__gt=now)
    definitive = results.filter(status=TaskResultStatus.FAILED).exclude(exception_class_path=RETRY_SCHEDULED)
    oldest = due.order_by("enqueued_at").first()
    running = results.filter(status=TaskResultStatus.RUNNING)
    return {
        "backend": settings.TASKS["default"]["BACKEND"],
        "database_backend": uses_database_backend(),
        "counts": [(status, label, counts[status]) for status, label in TaskResultStatus.choices],
        "due": due.count(),
        "scheduled_retries": scheduled.count(),
        "retried_attempts": results.filter(exception_class_path=RETRY_SCHEDULED).count(),
        "definitive_failures": definitive.count(),
        "oldest_waiting": _describe(oldest, now) if oldest else None,
        "failed": [_describe(r, now) for r in definitive.order_by("-finished_at")[:limit]],
        "retries": [_describe(r, now) for r in scheduled.order_by("run_after")[:limit]],
        "stale": [_describe(r, now) for r in running.filter(started_at__lt=now - STALE_AFTER).order_by("started_at")[:limit]],
    }


class NotRequeueable(Exception):
    pass


def requeue_failed(result_id, *, user=None):
    """Enqueue a definitively failed task again, from its first attempt; its failed row
    goes (the new one takes its place). Refused for anything but a definitive failure, so
    that a double click enqueues it once."""
    with transaction.atomic():
        row = (
            DBTaskResult.objects.select_for_update()
            .filter(pk=result_id, status=TaskResultStatus.FAILED)
            .exclude(exception_class_path=RETRY_SCHEDULED)
            .first()
        )
        if row is None:
            raise NotRequeueable(result_id)
        try:
            task = row.task  # the task must still exist, and the backend be the database one
        except (ImportError, InvalidTaskError) as error:
            raise NotRequeueable(result_id) from error
        args = row.args_kwargs.get("args", [])
        kwargs = {k: v for k, v in row.args_kwargs.get("kwargs", {}).items() if k != ATTEMPT_KWARG}
        if DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.FAILED).delete()[0] != 1:
            raise NotRequeueable(result_id)
        new = task.using(priority=row.priority, queue_name=row.queue_name).enqueue(*args, **kwargs)
    logger.warning("failed task %s (%s) enqueued again as %s by %s", result_id, row.task_path, new.id,
                   getattr(user, "email", "?"))
    return new
