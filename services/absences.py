"""Absence justification: a medical certificate for booked days.

- ``justification_deadline(activity, first_day)``: the commune's delay (per activity,
  ``absence_justification_hours``, counted from the end of the first day of absence).
- ``declare(user, child, first_day, last_day, document, *, now)``: the parent (or an
  agent for the family) declares the absence with a medical certificate already sent
  to the documents area (a ``documents.SupportingDocument`` of a type listed in
  ``settings.PORTAL_ABSENCE_CERTIFICATE_TYPES``); the booked days it covers are fixed
  then. ``preview_declaration(...)``: the days it would cover (the same checks,
  nothing written), for the parent to read before confirming.
- ``decide(agent, justification, *, accept, reason, now)``: an agent accepts (billing
  then reads ``booked_absent_justified``) or refuses with a reason; the family is told.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.audit import record
from accounts.models import AuditEvent

from . import notices
from .models import AbsenceJustification, Booking
from .rules import Refusal, actor_for, format_day, format_moment, is_agent, local_date, midnight_after

ABSENCE_PERMISSION = "services.change_absencejustification"
MAX_ABSENCE_DAYS = 62
Status = AbsenceJustification.Status


def certificate_type_codes():
    return list(getattr(settings, "PORTAL_ABSENCE_CERTIFICATE_TYPES",
                        ["certificat-medical", "certificat-medical-absence"]))


def certificates_for(child):
    """The child's medical certificates a justification may point at (not refused)."""
    from documents.models import SupportingDocument

    return (SupportingDocument.objects.filter(household_id=child.household_id, child_id=child.pk,
                                              document_type__code__in=certificate_type_codes())
            .exclude(status=SupportingDocument.Status.REJECTED).select_related("document_type")
            .order_by("-uploaded_at"))


def justification_deadline(activity, first_day):
    """Until when an absence starting on ``first_day`` may be justified for
    ``activity``; None when the activity accepts no justification."""
    if activity.absence_justification_hours is None:
        return None
    return midnight_after(first_day) + dt.timedelta(hours=activity.absence_justification_hours)


def covered_bookings(child, first_day, last_day, now):
    """``(covered, excluded)``: the child's booked days (or days cancelled late for a
    sick child) from ``first_day`` to ``last_day`` that a certificate sent ``now``
    justifies, and the others with the reason."""
    candidates = (Booking.objects.filter(child_id=child.pk, day__gte=first_day, day__lte=last_day)
                  .filter(Q(status=Booking.Status.BOOKED) | Q(status=Booking.Status.CANCELLED, cancelled_late=True))
                  .select_related("activity"))
    already = set(AbsenceJustification.bookings.through.objects.filter(
        booking__child_id=child.pk, booking__day__gte=first_day, booking__day__lte=last_day,
        absencejustification__status__in=[Status.PENDING, Status.ACCEPTED]).values_list("booking_id", flat=True))
    covered, excluded = [], []
    for booking in candidates.order_by("day", "activity__name"):
        deadline = justification_deadline(booking.activity, first_day)
        if booking.pk in already:
            excluded.append((booking, _("déjà couvert par un autre justificatif")))
        elif deadline is None:
            excluded.append((booking, _("cette activité n'accepte pas de justificatif d'absence")))
        elif now > deadline:
            excluded.append((booking, _("délai dépassé depuis le %(deadline)s") % {"deadline": format_moment(deadline)}))
        else:
            covered.append(booking)
    return covered, excluded


def _checked_declaration(user, child, first_day, last_day, document, *, now):
    """Every check of a declaration, in order; returns ``(actor, covered, excluded)``
    (the booked days the certificate covers, and the others with why) or raises
    ``Refusal``. Shared by the declaration and its preview."""
    actor = actor_for(user, child)
    if last_day < first_day:
        raise Refusal("invalid_range", _("Le dernier jour d'absence doit suivre le premier."))
    if (last_day - first_day).days >= MAX_ABSENCE_DAYS:
        raise Refusal("range_too_long", _("Déclarez une absence de deux mois au plus."))
    if first_day > local_date(now) + dt.timedelta(days=31):
        raise Refusal("too_early", _("Une absence se déclare au plus un mois à l'avance."))
    if document is None or document.household_id != child.household_id or document.child_id != child.pk:
        raise Refusal("document_required", _("Choisissez le certificat médical de %(name)s.") % {
            "name": child.first_name})
    if document.document_type.code not in certificate_type_codes():
        raise Refusal("document_type", _("Ce document n'est pas un certificat médical."))
    if document.status == document.Status.REJECTED:
        raise Refusal("document_rejected", _("Ce certificat a été refusé : envoyez-en un autre."))
    covered, excluded = covered_bookings(child, first_day, last_day, now)
    if not covered:
        if excluded:
            reasons = "; ".join(f"{format_day(b.day)} : {why}" for b, why in excluded[:5])
            raise Refusal("nothing_to_justify", _("Aucun jour ne peut être justifié : %(reasons)s.") % {
                "reasons": reasons})
        raise Refusal("nothing_to_justify", _("Aucune réservation de %(name)s sur ces dates.") % {
            "name": child.first_name})
    return actor, covered, excluded


@dataclass(frozen=True)
class DeclarationPreview:
    covered: list  # the bookings the certificate would justify
    excluded: list  # (booking, why) pairs that it would not


def preview_declaration(user, child, first_day, last_day, document, *, now):
    """The bookings a declaration would cover, or the ``Refusal`` it would get (the
    same checks as ``declare``, nothing written)."""
    _actor, covered, excluded = _checked_declaration(user, child, first_day, last_day, document, now=now)
    return DeclarationPreview(covered, excluded)


def declare(user, child, first_day, last_day, document, *, now, comment="", request=None):
    """Declare ``child``'s absence; returns the ``AbsenceJustification`` or raises
    ``Refusal`` with nothing written."""
    with transaction.atomic():
        actor, covered, excluded = _checked_declaration(user, child, first_day, last_day, document, now=now)
        justification = AbsenceJustification.objects.create(
            household=child.household, child=child, first_day=first_day, last_day=last_day, document=document,
            comment=comment.strip(), declared_at=now, declared_by=user)
        justification.bookings.set(covered)
        record(AuditEvent.Action.ABSENCE_JUSTIFICATION, actor=user, household=child.household, obj=justification,
               summary=_("Absence déclarée avec certificat médical : %(child)s, du %(first)s au %(last)s, "
                         "%(count)s jour(s)") % {"child": child, "first": first_day.strftime("%d/%m/%Y"),
                                                 "last": last_day.strftime("%d/%m/%Y"), "count": len(covered)},
               after={"bookings": [b.pk for b in covered], "document": document.pk, "status": Status.PENDING},
               request=request, acting_for_family=actor.is_agent)
    return justification


def decide(agent, justification, *, accept, now, reason="", request=None):
    """An agent accepts or refuses (with a reason) a pending justification."""
    if not is_agent(agent) or not agent.has_perm(ABSENCE_PERMISSION):
        raise Refusal("not_allowed", _("Seul un agent de la commune peut statuer sur un justificatif."))
    with transaction.atomic():
        justification = AbsenceJustification.objects.select_for_update().select_related(
            "child__household", "household").get(pk=justification.pk)
        if justification.status != Status.PENDING:
            raise Refusal("not_pending", _("Ce justificatif n'attend plus de décision."))
        if not accept and not reason.strip():
            raise Refusal("reason_required", _("Indiquez le motif du refus : la famille le lira."))
        justification.status = Status.ACCEPTED if accept else Status.REFUSED
        justification.refusal_reason = "" if accept else reason.strip()
        justification.decided_at, justification.decided_by = now, agent
        justification.save()
        record(AuditEvent.Action.ABSENCE_JUSTIFICATION, actor=agent, household=justification.household,
               obj=justification,
               summary=_("Justificatif d'absence %(decision)s : %(child)s, du %(first)s au %(last)s") % {
                   "decision": justification.get_status_display(), "child": justification.child,
                   "first": justification.first_day.strftime("%d/%m/%Y"),
                   "last": justification.last_day.strftime("%d/%m/%Y")},
               before={"status": Status.PENDING},
               after={"status": justification.status, "reason": justification.refusal_reason},
               request=request, acting_for_family=True)
        transaction.on_commit(lambda: notices.tell(
            notices.family_recipients(justification.child), "services_absence_decision",
            {"justification": justification, "child": justification.child}))
    return justification
