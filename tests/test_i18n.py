"""French first, English second: interface strings, the language switcher, page content."""

import re


def test_french_is_the_default_interface(client, db):
    html = client.get("/fr/compte/connexion/").content.decode()
    assert '<html lang="fr">' in html
    assert "Connexion à l'espace famille" in html
    assert "Aller au contenu" in html


def test_english_interface_strings(client, db):
    html = client.get("/en/compte/connexion/").content.decode()
    assert '<html lang="en">' in html
    assert "Log in to the family space" in html
    assert "E-mail address" in html and "Skip to content" in html


def test_english_error_message(client, make_user):
    make_user("parent@example.org")
    response = client.post("/en/compte/connexion/", {"username": "parent@example.org", "password": "not-the-password"})
    assert "Incorrect e-mail address or password." in response.content.decode()


def test_language_switcher_keeps_the_page(client, db):
    html = client.get("/fr/compte/connexion/").content.decode()
    links = dict(re.findall(r'<a href="([^"]+)" lang="(\w+)" hreflang', html))
    assert links == {"/en/compte/connexion/": "en"}
    html = client.get("/en/compte/connexion/").content.decode()
    links = dict(re.findall(r'<a href="([^"]+)" lang="(\w+)" hreflang', html))
    assert links == {"/fr/compte/connexion/": "fr"}


def test_untranslated_page_is_marked_as_french_content(client, demo):
    html = client.get("/en/").content.decode()
    assert '<html lang="en">' in html
    assert '<main id="contenu" class="wrap" tabindex="-1" lang="fr">' in html
    assert "Municipal services" in html  # the interface is English, the content still French


def test_paris_time(db):
    from django.utils import timezone

    assert str(timezone.get_current_timezone()) == "Europe/Paris"
