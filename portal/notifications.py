"""E-mails to parents and staff, sent through the task system.

    notify(to, template, context, *, language=None, reply_to=None)

renders ``templates/emails/<template>.subject.txt``, ``<template>.txt`` and, when it
exists, ``<template>.html`` (otherwise the text in the HTML layout, ``emails/from_text.html``:
every e-mail has a text and an HTML part) in the recipient's language (French by default), then
enqueues ``send_email`` (immediate backend in development and tests, the database
worker in production). Only strings travel through the queue, so the rendered message
is what the parent would have received at the time of the event.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from .tasks import retrying_task

logger = logging.getLogger(__name__)


def delivery_connection():
    """The connection that really delivers: ``EMAIL_DELIVERY_BACKEND`` when ``EMAIL_BACKEND``
    is the queue (``portal.mail``), otherwise ``EMAIL_BACKEND`` itself (the tests' in-memory
    backend)."""
    from .mail import QUEUED_BACKEND

    if settings.EMAIL_BACKEND == QUEUED_BACKEND:
        return get_connection(settings.EMAIL_DELIVERY_BACKEND)
    return get_connection()


@retrying_task(max_attempts=5)
def send_email(to, subject, text, html=None, reply_to=None, *, from_email=None, cc=None, bcc=None, headers=None):
    """Send one message (a task: when the mail server fails, tried again later, five
    attempts in all over about an hour and a half, see ``portal.tasks``)."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        cc=list(cc or []),
        bcc=list(bcc or []),
        reply_to=list(reply_to or []),
        headers=dict(headers or {}),
        connection=delivery_connection(),
    )
    if html:
        message.attach_alternative(html, "text/html")
    sent = message.send()
    logger.info("e-mail sent", extra={"subject": subject, "recipients": len(to) + len(cc or []) + len(bcc or [])})
    return sent


_text_engines = {}


def text_engine():
    """The project's template settings without HTML escaping, for subjects and plain-text
    bodies (an "&" in a child's name must not arrive as "&amp;")."""
    config = settings.TEMPLATES[0]
    key = (tuple(str(d) for d in config.get("DIRS", [])), config.get("APP_DIRS", False))
    if key not in _text_engines:
        from django.template.backends.django import DjangoTemplates

        options = {k: v for k, v in config.get("OPTIONS", {}).items() if k != "context_processors"}
        _text_engines[key] = DjangoTemplates({
            "NAME": "portal-text-emails", "DIRS": config.get("DIRS", []), "APP_DIRS": config.get("APP_DIRS", False),
            "OPTIONS": {**options, "autoescape": False},
        })
    return _text_engines[key]


def layout_context(language):
    """What the base layout (``templates/emails/base.html`` / ``base.txt``) reads, in
    ``language``; the caller's context wins on every key."""
    from django.urls import NoReverseMatch, reverse

    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    try:
        space_path = reverse("accounts:space")
    except NoReverseMatch:  # pragma: no cover - accounts is always installed
        space_path = "/"
    return {
        "language": language,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "commune_name": settings.PORTAL_COMMUNE_NAME,
        "portal_url": base_url + "/",
        "space_url": base_url + space_path,
    }


def render_email(template, context, language=None):
    """(subject, text, html or None) for ``template`` in ``language``.

    Templates may extend ``emails/base.txt`` and ``emails/base.html`` (blocks
    ``greeting``, ``content``, ``action`` with ``action_url``/``action_label``,
    ``signature``, ``footer``; ``heading`` and ``preheader`` in HTML)."""
    language = language or settings.LANGUAGE_CODE
    with translation.override(language):
        full = {**layout_context(language), **context}
        engine = text_engine()
        subject = " ".join(engine.get_template(f"emails/{template}.subject.txt").render(full).split())
        full.setdefault("subject", subject)
        text = str(engine.get_template(f"emails/{template}.txt").render(full))
        try:
            html = str(render_to_string(f"emails/{template}.html", full))
        except TemplateDoesNotExist:
            # Written as text only: the same words in the HTML layout (every e-mail has both parts).
            body = text.split("\n-- \n", 1)[0].strip()
            html = str(render_to_string("emails/from_text.html", {**full, "text_body": body}))
    return subject, text, html


def notify(to, template, context, *, language=None, reply_to=None):
    """Render ``template`` and enqueue it for ``to`` (an address or a list of addresses)."""
    recipients = [to] if isinstance(to, str) else [address for address in to if address]
    if not recipients:
        return None
    subject, text, html = render_email(template, context, language)
    return send_email.enqueue(recipients, subject, text, html, list(reply_to or []))
