"""The base e-mail layout others' e-mails extend: HTML and text, French and English."""

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
