"""Assistance requests (Article X): stored, numbered, sent to the commune's assistance
address (site settings) with an acknowledgement to the sender, rate-limited."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.audit import client_ip, record
from accounts.models import AuditEvent

from .models import AssistanceRequest, CommuneSettings, next_assistance_reference

# At most this many requests per window from one address or one e-mail.
RATE_LIMIT = 5
RATE_WINDOW = datetime.timedelta(hours=1)


class AssistanceRefused(Exception):
    pass


def rate_limited(ip, email, *, now=None):
    now = now or timezone.now()
    since = now - RATE_WINDOW
    recent = AssistanceRequest.objects.filter(created_at__gte=since)
    if ip and recent.filter(ip_address=ip).count() >= RATE_LIMIT:
        return True
    return recent.filter(email__iexact=email).count() >= RATE_LIMIT


def submit(form, request, *, site=None, now=None):
    """Store the request of a valid AssistanceForm, number it, trace it, send the
    e-mails (after commit). Raises AssistanceRefused when rate-limited."""
    from portal.notifications import notify

    now = now or timezone.now()
    ip = client_ip(request)
    if rate_limited(ip, form.cleaned_data["email"], now=now):
        raise AssistanceRefused(
            _("Vous avez envoyé plusieurs demandes en peu de temps. Réessayez dans une heure, ou appelez la mairie.")
        )
    user = request.user if request.user.is_authenticated else None
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    with transaction.atomic():
        assistance = form.save(commit=False)
        assistance.user = user
        assistance.ip_address = ip
        assistance.created_at = now
        assistance.language = language
        assistance.save()
        assistance.reference = next_assistance_reference(assistance.pk, timezone.localtime(now))
        assistance.save(update_fields=["reference"])
        record(
            AuditEvent.Action.ASSISTANCE_REQUEST,
            actor=user,
            request=request,
            obj=assistance,
            acting_for_family=False,
            summary=f"Demande d'assistance {assistance.reference} : {assistance.get_topic_display()}",
            after={"reference": assistance.reference, "topic": assistance.topic},
        )
    commune = CommuneSettings.for_site(site) if site is not None else CommuneSettings.objects.first()
    context = {"request_obj": assistance, "commune": commune}
    if commune is not None and commune.assistance_email:
        transaction.on_commit(lambda: notify(
            commune.assistance_email, "home_assistance_request", context,
            language=settings.LANGUAGE_CODE, reply_to=[assistance.email],
        ))
    transaction.on_commit(lambda: notify(assistance.email, "home_assistance_ack", context, language=language))
    return assistance
