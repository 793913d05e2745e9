"""Shared fixtures. Expensive ones (the demo commune) are built once per test session
and worker, inside the test database."""

import pytest

# Each area keeps its shared fixtures in its own module.
pytest_plugins = [
    "tests.fixtures_accounts",
    "tests.fixtures_billing",
    "tests.fixtures_documents",
    "tests.fixtures_halls",
    "tests.fixtures_home",
    "tests.fixtures_ops",
    "tests.fixtures_services",
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


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE']} ({database.get('HOST') or database.get('NAME')})"
