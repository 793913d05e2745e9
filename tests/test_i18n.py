"""French first, English second: interface strings, the language switcher, page content."""

import re

import pytest


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


def _translations_tool():
    import importlib.util
    import pathlib

    path = pathlib.Path(__file__).resolve().parent.parent / "tools" / "translations_en.py"
    spec = importlib.util.spec_from_file_location("translations_en_tool", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_each_french_string_has_one_english_across_the_translation_files(tmp_path, monkeypatch):
    tool = _translations_tool()
    merged = tool.all_translations()  # the project's files agree
    assert merged["Le formulaire contient des erreurs"] == "The form has errors"
    # Two files disagreeing on one French string are refused, both named.
    app = tmp_path / "app"
    app.mkdir()
    (app / "translations_en.py").write_text('EN = {"Tarifs": "Tariffs"}\n', encoding="utf-8")
    monkeypatch.setattr(tool.pathlib.Path, "resolve", lambda self: tmp_path / "tools" / "translations_en.py")
    with pytest.raises(ValueError, match="Tarifs.*tools/translations_en.py.*app/translations_en.py"):
        tool.all_translations()


def test_translations_tool_fills_plural_forms_from_a_tuple():
    import polib
    import pytest

    tool = _translations_tool()
    plural = polib.POEntry(msgid="%(n)s jour", msgid_plural="%(n)s jours", msgstr_plural={0: "", 1: ""},
                           flags=["fuzzy"], previous_msgid="%(n)s nuit")
    tool.fill(plural, ("%(n)s day", "%(n)s days"))
    assert plural.msgstr_plural == {0: "%(n)s day", 1: "%(n)s days"}
    assert plural.translated() and plural.previous_msgid is None
    plain = polib.POEntry(msgid="séjour", msgstr="")
    tool.fill(plain, "stay")
    assert plain.msgstr == "stay"
    with pytest.raises(ValueError):
        tool.fill(polib.POEntry(msgid="%(n)s jour", msgid_plural="%(n)s jours"), "%(n)s day")
    with pytest.raises(ValueError):
        tool.fill(polib.POEntry(msgid="séjour"), ("stay", "stays"))


def test_every_english_string_keeps_the_placeholders_of_its_french():
    placeholder = re.compile(r"%\(\w+\)[sd]|%%")
    wrong = {}
    for french, english in _translations_tool().all_translations().items():
        # (A plural's forms may drop the number, "un jour" / "%(n)s jours": only plain strings are checked.)
        if isinstance(english, str) and sorted(placeholder.findall(french)) != sorted(placeholder.findall(english)):
            wrong[french] = english
    assert wrong == {}


def test_english_services_labels_and_emails(db):
    from django.template import Context, Template
    from django.utils import translation

    from services.models import Activity, Booking, Hall

    with translation.override("en"):
        assert str(Activity._meta.get_field("booking_rule").verbose_name) == "booking deadline"
        assert str(Booking._meta.get_field("cancelled_sick").verbose_name) == "cancelled for a sick child"
        assert str(Hall._meta.verbose_name_plural) == "municipal halls"
        html = Template('{% load i18n %}{% trans "Taux d\'occupation (%)" %}').render(Context())
        assert html == "Occupancy rate (%)"
        subject = Template("{% load i18n %}{% blocktrans with name='Léa' activity='Cantine' %}Une place s'est "
                           "libérée pour {{ name }} : {{ activity }}{% endblocktrans %}").render(Context())
        assert subject == "A place has become free for Léa: Cantine"
