"""Every e-mail through the task queue, including those the portal's code does not write.

The portal's own e-mails go through ``portal.notifications.notify``. Django and Wagtail
also send some themselves with ``django.core.mail`` (Wagtail's moderation and workflow
notifications to staff, its comment notifications...): ``EMAIL_BACKEND`` is this backend,
which enqueues each message as a ``send_email`` task; the task delivers it through
``EMAIL_DELIVERY_BACKEND`` (SMTP in production, the console in development), retried when
the mail server fails, like every other e-mail. The test suite replaces ``EMAIL_BACKEND``
by the in-memory backend, which ``send_email`` then uses directly.
"""

from django.core.mail.backends.base import BaseEmailBackend

QUEUED_BACKEND = "portal.mail.QueuedEmailBackend"


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        from .notifications import send_email

        queued = 0
        for message in email_messages or ():
            recipients = list(message.to)
            if not (recipients or message.cc or message.bcc):
                continue
            html = None
            for content, mimetype in getattr(message, "alternatives", None) or ():
                if mimetype == "text/html":
                    html = str(content)
            try:
                send_email.enqueue(
                    recipients, str(message.subject), str(message.body), html, list(message.reply_to or []),
                    from_email=message.from_email, cc=list(message.cc or []), bcc=list(message.bcc or []),
                    headers={str(k): str(v) for k, v in (message.extra_headers or {}).items()},
                )
            except Exception:
                if not self.fail_silently:
                    raise
                continue
            queued += 1
        return queued
