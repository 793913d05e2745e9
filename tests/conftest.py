"""Shared fixtures. Expensive ones (the demo commune) are built once per test session
and worker, inside the test database."""

import pytest

# Each area keeps its shared fixtures in its own module.
pytest_plugins = [
    "tests.fixtures_accounts",
    "tests.fixtures_api",
    "tests.fixtures_billing",
    "tests.fixtures_dashboards",
    "tests.fixtures_documents",
    "tests.fixtures_halls",
    "tests.fixtures_home",
    "tests.fixtures_ops",
    "tests.fixtures_services",
    "tests.fixtures_services_staff",
    "tests.fixtures_services_screens",
]


@pytest.fixture
def password():
    return "une-phrase-de-passe-solide"


@pytest.fixture
def make_user(db, password):
    from accounts.models import User

    def make(email="parent@example.org", **extra):
        return User.objects.create_user(email=email, password=password, **extra)

    return make


@pytest.fixture
def demo(db):
    """The demo commune, loaded through its management command."""
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)


@pytest.fixture
def login(client):
    """Log a user in through the real login form (so the session rules apply)."""

    def do_login(email, password):
        response = client.post("/fr/compte/connexion/", {"username": email, "password": password})
        assert response.status_code == 302, response.content[:500]
        return response

    return do_login


def pytest_configure(config):
    """The restore of a serialized-rollback test (transactional tests, the live server)
    sees the content types under the ids it restores.

    Restoring Wagtail's GroupApprovalTask looks its content type up: with a cold cache
    (a test cleared it) that lookup inserts a new row which the restored one then
    collides with; with a stale cache (ids of an earlier flush) it points at a missing
    row. Filling the cache from the serialized data first, for every restore, removes
    both at the root instead of in each area's fixtures."""
    import json

    from django.db.backends.base.creation import BaseDatabaseCreation

    original = BaseDatabaseCreation.deserialize_db_from_string
    if getattr(original, "_portal_warms_content_types", False):
        return

    def deserialize_db_from_string(self, data):
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
        for row in json.loads(data or "[]"):
            if row["model"] == "contenttypes.contenttype":
                ContentType.objects._add_to_cache(self.connection.alias, ContentType(pk=row["pk"], **row["fields"]))
        return original(self, data)

    deserialize_db_from_string._portal_warms_content_types = True
    BaseDatabaseCreation.deserialize_db_from_string = deserialize_db_from_string


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE']} ({database.get('HOST') or database.get('NAME')})"


def pytest_collection_modifyitems(config, items):
    """Two rules for every test:

    - tests marked ``postgres`` (real parallel connections or processes) are skipped on
      SQLite before any fixture runs;
    - every transactional test (committed data: ``transaction=True``, the live server)
      rolls back by restoring the serialized database. Otherwise its closing flush re-runs
      the post_migrate handlers (staff groups, a root collection with a new id, content
      types), and the next serialized-rollback test of the worker collides with them when
      it restores the migrations' data.
    """
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    skip = pytest.mark.skip(reason="needs PostgreSQL (real parallel connections or processes): "
                                   "CI runs it in its PostgreSQL pass")
    for item in items:
        if not on_postgres and "postgres" in item.keywords:
            item.add_marker(skip)
            continue
        marker = item.get_closest_marker("django_db")
        transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
            name in getattr(item, "fixturenames", ()) for name in ("transactional_db", "live_server"))
        # A test that asks for serialized rollback through its fixtures (``live_db``,
        # ``live_demo``) keeps their order: its database is emptied before the restore.
        serialized = (marker is not None and marker.kwargs.get("serialized_rollback")) or (
            "django_db_serialized_rollback" in getattr(item, "fixturenames", ()))
        if transactional and not serialized:
            kwargs = dict(marker.kwargs) if marker is not None else {}
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(*(marker.args if marker is not None else ()), **kwargs),
                            append=False)


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in French, the portal's default: a test that activates English
    (an e-mail to an English-speaking parent, a direct call) never leaks it into the
    next one run by the same worker."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
