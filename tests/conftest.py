"""Shared fixtures. Expensive ones (the demo commune) are built once per test session
and worker, inside the test database."""

import pytest


@pytest.fixture
def password():
    return "une-phrase-de-passe-solide"


@pytest.fixture
def make_user(db, password):
    from accounts.models import User

    def make(email="parent@example.org", **extra):
        return User.objects.create_user(email=email, password=password, **extra)

    return make
