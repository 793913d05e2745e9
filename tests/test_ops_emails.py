"""The base e-mail layout others' e-mails extend: HTML and text, French and English."""

import pytest
from django.core import mail

from portal.notifications import notify, render_email


CONTEXT = {"child": "Léa & Tom", "recipient_name": "Marie Martin",
           "action_url": "https://portail.example.org/fr/compte/", "action_label": "Voir mes réservations"}


def test_french_layout_text_and_html(sample_email):
    subject, text, html = render_email("sample", CONTEXT, language="fr")
    assert subject == "Réservation confirmée – Léa & Tom"
    # Text: not HTML-escaped, greeting, content, the link spelt out, signature, footer.
    assert text.startswith("Bonjour Marie Martin,\n")
    assert "La réservation de Léa & Tom est confirmée." in text and "&amp;" not in text
    assert "Voir mes réservations\nhttps://portail.example.org/fr/compte/" in text
    assert "Le service Famille de Aulnoy-lez-Valenciennes" in text
    assert "\n-- \n" in text  # the signature separator mail clients recognise
    assert "Votre espace famille : http://127.0.0.1:8000/fr/compte/" in text
    assert "Vous pouvez y choisir les rappels que vous recevez par e-mail." in text
    # HTML: language, title, escaped content, the button and the address in clear.
    assert '<html lang="fr">' in html
    assert "<title>Réservation confirmée – Léa &amp; Tom</title>" in html
    assert "<p>La réservation de Léa &amp; Tom est confirmée.</p>" in html
    assert html.count('href="https://portail.example.org/fr/compte/"') == 2
    assert "Portail Famille" in html and "Aulnoy-lez-Valenciennes" in html


def test_english_layout(sample_email):
    subject, text, html = render_email("sample", {**CONTEXT, "action_label": ""}, language="en")
    assert text.startswith("Hello Marie Martin,\n")
    assert "Open the portal\nhttps://portail.example.org/fr/compte/" in text  # default label
    assert "The Family service of Aulnoy-lez-Valenciennes" in text
    assert "Your family space: http://127.0.0.1:8000/en/compte/" in text
    assert "You can choose there which reminders you receive by e-mail." in text
    assert "Automatic message from the Portail Famille: please do not reply." in text
    assert '<html lang="en">' in html and "Open the portal</a>" in html
    assert "If the button does not work, copy this address into your browser:" in html


def test_without_a_name_the_greeting_is_generic(sample_email):
    _, text, html = render_email("sample", {"child": "Léa"}, language="en")
    assert text.startswith("Hello,\n") and "Open the portal" not in text


def test_notify_sends_the_layout_in_the_recipients_language(sample_email):
    notify("marie.martin@example.org", "sample", CONTEXT, language="en")
    message = mail.outbox[0]
    assert message.to == ["marie.martin@example.org"]
    assert message.subject == "Réservation confirmée – Léa & Tom"  # the sample's own strings have no English
    assert message.body.startswith("Hello Marie Martin,")
    assert message.alternatives[0][1] == "text/html" and '<html lang="en">' in message.alternatives[0][0]


# --- Every e-mail through the task queue ----------------------------------------------------

QUEUED = "portal.mail.QueuedEmailBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def test_what_wagtail_sends_itself_is_queued_then_delivered_by_the_worker(db_tasks, run_queued_tasks, settings):
    """Wagtail's workflow and moderation notifications use django.core.mail directly: with
    the project's EMAIL_BACKEND (the queue) they become send_email tasks, retried like the rest."""
    from django_tasks_db.models import DBTaskResult
    from wagtail.admin.mail import send_mail

    settings.EMAIL_BACKEND, settings.EMAIL_DELIVERY_BACKEND = QUEUED, LOCMEM
    mail.outbox.clear()
    assert send_mail("Page à valider", "La page Règlement attend votre validation.", ["juriste@example.org"],
                     html_message="<p>La page <b>Règlement</b> attend votre validation.</p>",
                     cc=["copie@example.org"]) == 1
    assert mail.outbox == []  # nothing leaves during the request
    row = DBTaskResult.objects.get()
    assert row.status == "READY" and row.task_path == "portal.notifications.send_email"
    assert run_queued_tasks() == 1
    message, = mail.outbox
    assert message.to == ["juriste@example.org"] and message.cc == ["copie@example.org"]
    assert message.subject == "Page à valider" and message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert message.alternatives[0][1] == "text/html" and "<b>Règlement</b>" in str(message.alternatives[0][0])


def test_django_send_mail_is_queued_too(db_tasks, run_queued_tasks, settings):
    from django.core.mail import send_mail
    from django_tasks_db.models import DBTaskResult

    settings.EMAIL_BACKEND, settings.EMAIL_DELIVERY_BACKEND = QUEUED, LOCMEM
    mail.outbox.clear()
    send_mail("Sujet", "Texte", "regie@example.org", ["parent@example.org"])
    assert mail.outbox == [] and DBTaskResult.objects.filter(status="READY").count() == 1
    run_queued_tasks()
    assert [(m.from_email, m.to) for m in mail.outbox] == [("regie@example.org", ["parent@example.org"])]


def test_the_settings_put_the_queue_in_front_of_the_mail_server(tmp_path):
    """Development and production: Django's EMAIL_BACKEND is the queue; the variable
    EMAIL_BACKEND chooses the backend that delivers."""
    import subprocess
    import sys
    from pathlib import Path

    import portal.settings.base as base

    assert base.EMAIL_BACKEND == QUEUED
    code = ("from portal.settings import production as p; print(p.EMAIL_BACKEND); print(p.EMAIL_DELIVERY_BACKEND)")
    env = {"PATH": "/usr/bin:/bin", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "portail.example.org",
           "DATABASE_URL": "postgres://portal:x@127.0.0.1:5432/portal", "PORTAL_VAR_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == [QUEUED, "django.core.mail.backends.smtp.EmailBackend"], result.stderr
    result = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1],
                            env={**env, "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend"},
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == [QUEUED, "django.core.mail.backends.filebased.EmailBackend"], result.stderr


def test_no_code_of_the_project_sends_an_email_around_the_task():
    """Every message the portal writes goes through portal.notifications.notify (a task):
    only the task itself and the queue backend build messages."""
    import re
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    sending = re.compile(r"\b(send_mail|send_mass_mail|mail_admins|mail_managers|EmailMessage|"
                         r"EmailMultiAlternatives|email_user|(?<!transaction\.)get_connection)\b")
    allowed = {"portal/notifications.py", "portal/mail.py"}
    offenders = []
    for path in repo.rglob("*.py"):
        relative = path.relative_to(repo).as_posix()
        if relative.split("/")[0] in {".venv", "node_modules", "tests", "bench", "var"} or relative in allowed:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if sending.search(line) and not line.lstrip().startswith("#"):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []


# --- Every e-mail in French and English, text and HTML -----------------------------------------


def _email_templates():
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "templates" / "emails"
    return sorted(path.name[: -len(".subject.txt")] for path in folder.glob("*.subject.txt"))


def test_there_are_email_templates():
    names = _email_templates()
    assert "billing_invoice_reminder" in names and "accounts_password_reset" in names and len(names) > 20


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("template", _email_templates())
def test_every_email_has_a_text_and_an_html_part_in_both_languages(template, language):
    from types import SimpleNamespace

    person = SimpleNamespace(first_name="Marie", last_name="Martin", email="marie@example.org",
                             get_short_name="Marie", get_full_name="Marie Martin")
    subject, text, html = render_email(template, {"recipient_name": "Marie & Paul", "user": person,
                                                  "recipient": person}, language=language)
    assert subject.strip() and text.strip()
    assert html.lstrip().startswith("<!DOCTYPE html>") and f'<html lang="{language}"' in html
    assert "<body" in html and "</html>" in html


def test_a_text_only_email_gets_the_html_layout_escaped_with_clickable_links():
    import datetime
    from types import SimpleNamespace

    invoice = SimpleNamespace(payer_name="Marie & Paul", number="F01-26-11-0000001", balance="4.56",
                              due_date=datetime.date(2026, 12, 31))
    subject, text, html = render_email("billing_invoice_reminder", {
        "invoice": invoice, "office": SimpleNamespace(name="Régie Enfance"),
        "url": "https://portail.example.org/fr/factures/12/"}, language="en")
    assert '<html lang="en">' in html and "Marie &amp; Paul" in html and "Marie & Paul" in text
    assert '<a href="https://portail.example.org/fr/factures/12/"' in html
    assert "\n-- \n" not in html and html.count("<body") == 1
