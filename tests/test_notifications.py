"""E-mails go through the task system, rendered in the recipient's language."""

import copy

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings

from portal.notifications import notify


@pytest.fixture
def email_templates(tmp_path):
    folder = tmp_path / "emails"
    folder.mkdir()
    (folder / "hello.subject.txt").write_text(
        "{% load i18n %}\n{% trans 'Accès refusé' %} {{ name }}\n", encoding="utf-8"
    )
    (folder / "hello.txt").write_text("Bonjour {{ name }}", encoding="utf-8")
    (folder / "hello.html").write_text("<p>Bonjour {{ name }}</p>", encoding="utf-8")
    (folder / "plain.subject.txt").write_text("Sujet", encoding="utf-8")
    (folder / "plain.txt").write_text("Texte seul", encoding="utf-8")
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    with override_settings(TEMPLATES=templates):
        yield


def test_notify_sends_text_and_html_in_the_language_asked(email_templates):
    notify("parent@example.org", "hello", {"name": "Léa"}, language="en")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["parent@example.org"]
    # One line subject, translated.
    assert message.subject == "Access denied Léa"
    assert message.body == "Bonjour Léa"
    assert message.alternatives[0][0] == "<p>Bonjour Léa</p>"


def test_notify_without_html_template_and_without_recipient(email_templates):
    assert notify([], "plain", {}) is None
    notify(["a@example.org", "", "b@example.org"], "plain", {})
    assert mail.outbox[0].to == ["a@example.org", "b@example.org"]
    # Without an HTML template, the text in the HTML layout (every e-mail has both parts).
    html, mimetype = mail.outbox[0].alternatives[0]
    assert mimetype == "text/html" and "<p>Texte seul</p>" in html and "<!DOCTYPE html>" in html
