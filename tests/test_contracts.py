"""The small contracts between areas: screens embedded in a ServicePage, the parent's
space menu filled by each app's hook."""

import pytest
from wagtail import hooks

from home.models import ServicePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def echo_screens(settings):
    settings.PORTAL_SERVICE_SCREENS = {"default": "tests.embedded_screens"}


def canteen_page():
    return ServicePage.objects.live().filter(locale__language_code="fr", service__code="restauration-scolaire").get()


def test_a_screen_is_served_below_its_service_page_with_the_page(client, demo, echo_screens):
    page = canteen_page()
    response = client.get(f"{page.url}espace/essai/5/")
    assert response.status_code == 200
    title, item, link, method = response.content.decode().split("|")
    assert (title, item, method) == (page.title, "5", "GET")
    assert link == f"{page.url}espace/essai/6/"


def test_a_screen_takes_posts(client, demo, echo_screens):
    page = canteen_page()
    response = client.post(f"{page.url}espace/essai/1/")
    assert response.status_code == 200
    assert response.content.decode().endswith("|POST")


def test_an_unknown_screen_is_404(client, demo, echo_screens):
    assert client.get(f"{canteen_page().url}espace/inconnu/").status_code == 404


def test_a_page_without_a_service_has_no_screens(client, demo, echo_screens):
    page = canteen_page()
    page.service = None
    page.save_revision().publish()
    assert client.get(f"{page.url}espace/essai/5/").status_code == 404


def test_the_space_lists_the_links_apps_register(client, demo, login):
    from accounts.demo import DEMO_PASSWORD

    def links(request):
        return [{"label": "Deuxième", "url": "/fr/b/", "order": 20}, {"label": "Première", "url": "/fr/a/", "order": 10}]

    login("marie.martin@example.org", DEMO_PASSWORD)
    with hooks.register_temporarily("portal_space_links", links):
        body = client.get("/fr/compte/").content.decode()
    assert body.index('href="/fr/a/"') < body.index('href="/fr/b/"')
    assert client.get("/fr/compte/").content.decode().count('href="/fr/a/"') == 0
