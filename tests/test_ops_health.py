"""/readyz: database, migrations, cache and task queue; 503 with a reason, never a secret."""

import pytest
from django.test import override_settings

from portal import views
from tests.fixtures_ops import DATABASE_TASKS

SECRET = "s3cret-password-in-the-url"


@pytest.fixture(autouse=True)
def forget_migrations_check(monkeypatch):
    monkeypatch.setattr(views, "_migrations_applied", False)


def test_ready_when_everything_answers(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {
        "database": "ok", "migrations": "ok", "cache": "ok", "tasks": "ok"}}
    assert "no-cache" in response["Cache-Control"] and response["X-Request-ID"]


def test_ready_with_the_database_task_queue(client, db):
    with override_settings(TASKS=DATABASE_TASKS):
        response = client.get("/readyz")
    assert response.status_code == 200 and response.json()["checks"]["tasks"] == "ok"


def test_pending_migrations_make_it_not_ready(client, db, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("ops", "0002_next")])
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["migrations"] == "error" and body["checks"]["database"] == "ok"
    assert body["reasons"]["migrations"] == "1 migration(s) not applied: run manage.py migrate"


def test_once_applied_the_migrations_are_not_checked_again(client, db, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    assert client.get("/readyz").status_code == 200
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: pytest.fail("checked again"))
    assert client.get("/readyz").status_code == 200


def test_a_cache_failure_gives_its_kind_not_its_message(client, db, monkeypatch):
    from django.core.cache import cache

    def refuse(*args, **kwargs):
        raise ConnectionError(f"redis://:{SECRET}@10.0.0.5:6379 refused")

    monkeypatch.setattr(cache, "set", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["reasons"] == {"cache": "unreachable (ConnectionError)"}
    assert SECRET not in response.content.decode() and "10.0.0.5" not in response.content.decode()


def test_a_cache_that_forgets_is_not_ready(client, db, monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["reasons"]["cache"] == "the cache does not keep what is written"


def test_a_database_failure_fails_the_checks_that_need_it(client, db, monkeypatch):
    from django.db.utils import OperationalError

    def broken():
        raise OperationalError(f'connection to "db.internal" failed: password={SECRET}')

    monkeypatch.setattr(views, "READINESS_CHECKS", [
        ("database", broken), ("migrations", views.check_migrations), ("cache", views.check_cache),
        ("tasks", views.check_tasks),
    ])
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"] == {"database": "error", "migrations": "error", "cache": "ok", "tasks": "error"}
    assert body["reasons"]["database"] == "unreachable (OperationalError)"
    assert body["reasons"]["tasks"] == "database unreachable"
    assert SECRET not in response.content.decode() and "db.internal" not in response.content.decode()


def test_readyz_is_get_only(client, db):
    assert client.post("/readyz").status_code == 405
