"""Shared pytest fixtures of the home area (registered in conftest.py)."""

import pytest

NEW_ARTICLE = (
    "<h2>Article 9 — Réservations en ligne</h2>"
    "<p>Les réservations faites en ligne sont confirmées par un e-mail envoyé à l'utilisateur.</p>"
)


def publish_regulation_revision(page=None, *, body=None, user=None, summary="", extra=NEW_ARTICLE):
    """Publish a revision of the (French) regulation with a changed text; returns the page."""
    from home.models import RegulationPage

    page = RegulationPage.objects.get(pk=page.pk) if page is not None else RegulationPage.objects.get(
        locale__language_code="fr")
    page.body = body if body is not None else page.body + extra
    page.change_summary = summary
    revision = page.save_revision(user=user)
    revision.publish(user=user)
    return RegulationPage.objects.get(pk=page.pk)


@pytest.fixture
def regulation(demo):
    from home.models import RegulationPage

    return RegulationPage.objects.get(locale__language_code="fr")


@pytest.fixture
def legal_user(demo):
    from accounts.models import User

    return User.objects.get(email="juridique@example.org")


@pytest.fixture
def comms_user(demo):
    from accounts.models import User

    return User.objects.get(email="communication@example.org")


@pytest.fixture
def demo_parent(demo):
    from accounts.models import User

    return User.objects.get(email="marie.martin@example.org")


@pytest.fixture
def new_regulation_version(regulation, legal_user, django_capture_on_commit_callbacks):
    """Version 2 of the demo regulation, published by legal staff (e-mails sent)."""

    def publish(**kwargs):
        kwargs.setdefault("user", legal_user)
        with django_capture_on_commit_callbacks(execute=True):
            return publish_regulation_revision(regulation, **kwargs)

    return publish
