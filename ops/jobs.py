"""The periodic jobs of the ops area (registered in ``ops/wagtail_hooks.py``)."""

from datetime import timedelta
from io import StringIO

from django.conf import settings
from django.core.management import call_command


def publish_scheduled(now):
    """Wagtail's scheduled publishing (pages and snippets with a go-live or expiry date)."""
    call_command("publish_scheduled", stdout=StringIO())


def clear_expired_sessions(now):
    """Expired sessions out of the database (they hold who was logged in, and when)."""
    call_command("clearsessions")


def prune_task_results(now):
    """Finished task results out of the queue table: they carry e-mail bodies, i.e.
    personal data. Successful ones after ``OPS_TASK_RESULT_RETENTION_DAYS``, failed
    ones (kept longer, for the staff to look into) after ``OPS_FAILED_TASK_RETENTION_DAYS``;
    attempts that were retried go with the successful ones."""
    from django.db.models import Q
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .queue import RETRY_SCHEDULED

    DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.SUCCESSFUL)
        | Q(status=TaskResultStatus.FAILED, exception_class_path=RETRY_SCHEDULED),
        finished_at__lt=now - timedelta(days=settings.OPS_TASK_RESULT_RETENTION_DAYS),
    ).delete()
    DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED,
        finished_at__lt=now - timedelta(days=settings.OPS_FAILED_TASK_RETENTION_DAYS),
    ).delete()


def periodic_jobs():
    return [
        {"name": "ops.publish_scheduled", "every": timedelta(minutes=5), "run": publish_scheduled},
        {"name": "ops.clear_expired_sessions", "every": timedelta(days=1), "offset": timedelta(hours=3),
         "run": clear_expired_sessions},
        {"name": "ops.prune_task_results", "every": timedelta(days=1), "offset": timedelta(hours=3, minutes=30),
         "run": prune_task_results},
    ]
