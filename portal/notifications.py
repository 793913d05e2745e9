"""E-mails to parents and staff, sent through the task system.

    notify(to, template, context, *, language=None, reply_to=None)

renders ``templates/emails/<template>.subject.txt``, ``<template>.txt`` and, when it
exists, ``<template>.html`` in the recipient's language (French by default), then
enqueues ``send_email`` (immediate backend in development and tests, the database
worker in production). Only strings travel through the queue, so the rendered message
is what the parent would have received at the time of the event.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_email(to, subject, text, html=None, reply_to=None):
    """Send one message (a task: retried by the worker when the mail server fails)."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to or []),
    )
    if html:
        message.attach_alternative(html, "text/html")
    sent = message.send()
    logger.info("e-mail sent", extra={"subject": subject, "recipients": len(to)})
    return sent


def render_email(template, context, language=None):
    """(subject, text, html or None) for ``template`` in ``language``."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{template}.subject.txt", context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        try:
            html = render_to_string(f"emails/{template}.html", context)
        except TemplateDoesNotExist:
            html = None
    return subject, text, html


def notify(to, template, context, *, language=None, reply_to=None):
    """Render ``template`` and enqueue it for ``to`` (an address or a list of addresses)."""
    recipients = [to] if isinstance(to, str) else [address for address in to if address]
    if not recipients:
        return None
    subject, text, html = render_email(template, context, language)
    return send_email.enqueue(recipients, subject, text, html, list(reply_to or []))
