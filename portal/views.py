"""Health endpoints for load balancers and monitoring (no secret in their answers: only
check names, "ok" and short reasons naming the kind of failure)."""

import logging

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.http import JsonResponse
from django.utils.crypto import get_random_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """Liveness and database check for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


class NotReady(Exception):
    """A readiness check failed; the message is the reason shown (never a secret)."""


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


_migrations_applied = False


def check_migrations():
    """Every migration of the code is applied (remembered once true: the code, hence its
    migrations, only changes with a restart)."""
    global _migrations_applied
    if _migrations_applied:
        return
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise NotReady(f"{len(plan)} migration(s) not applied: run manage.py migrate")
    _migrations_applied = True


def check_cache():
    key = f"portal:readyz:{get_random_string(12)}"
    token = get_random_string(12)
    cache.set(key, token, 30)
    try:
        if cache.get(key) != token:
            raise NotReady("the cache does not keep what is written")
    finally:
        cache.delete(key)


def check_tasks():
    """The task queue can be reached: with the database backend, its table answers."""
    from django_tasks import default_task_backend
    from django_tasks_db.backend import DatabaseBackend

    if isinstance(default_task_backend, DatabaseBackend):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(status="READY").exists()


READINESS_CHECKS = [
    ("database", check_database),
    ("migrations", check_migrations),
    ("cache", check_cache),
    ("tasks", check_tasks),
]


@never_cache
@require_GET
def readyz(request):
    """Ready to serve: database, migrations applied, cache, task queue. 200 with every
    check "ok", else 503 with the failed checks and a short reason each."""
    checks, reasons = {}, {}
    database_down = False
    for name, check in READINESS_CHECKS:
        if database_down and name in ("migrations", "tasks"):
            checks[name], reasons[name] = "error", "database unreachable"
            continue
        try:
            check()
        except NotReady as error:
            checks[name], reasons[name] = "error", str(error)
        except Exception as error:  # noqa: BLE001 - the kind of failure only: messages may hold hosts or passwords
            checks[name], reasons[name] = "error", f"unreachable ({type(error).__name__})"
            database_down = database_down or name == "database"
            logger.warning("readiness check %s failed: %s", name, type(error).__name__)
        else:
            checks[name] = "ok"
    if reasons:
        return JsonResponse({"status": "error", "checks": checks, "reasons": reasons}, status=503)
    return JsonResponse({"status": "ok", "checks": checks})
