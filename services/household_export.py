"""The services' sections of the GDPR "download my data" export (``portal_household_export``,
see ``accounts.gdpr``): enrolments, bookings, the history of booking changes, attendance,
absence justifications and the reader's iCalendar feeds (never their secret address);
and, on ``portal_account_closed``, the closed account's iCalendar addresses removed.

Like the rest of the export, only the children the reader may see (separated parents:
the children they hold rights on). Registered by ``services.wagtail_hooks``."""

from django.utils.translation import gettext as _
from wagtail import hooks

from accounts.audit import json_value
from portal.hooks import ACCOUNT_CLOSED, HOUSEHOLD_EXPORT

from .models import AbsenceJustification, Attendance, Booking, BookingChange, CalendarFeed, Enrolment


def _children(household, user):
    from accounts.households import children_visible_to

    return children_visible_to(user).filter(household=household)


@hooks.register(HOUSEHOLD_EXPORT)
def enrolments_export(household, user):
    rows = [{
        "enfant": str(e.child), "activité": e.activity.name, "du": e.start_date.isoformat(),
        "au": e.end_date.isoformat(), "état": e.get_status_display(), "demandée le": json_value(e.requested_at),
        "décision le": json_value(e.decided_at), "motif de la décision": e.decision_reason,
        "classe demandée": e.get_requested_level_display() if e.requested_level else "",
        "école d'affectation": e.school, "école souhaitée (dérogation)": e.requested_school,
        "motif de dérogation": e.get_derogation_reason_display() if e.derogation_reason else "",
        "précisions sur la dérogation": e.derogation_details,
        "paiement à la réservation": e.get_prepayment_status_display(),
    } for e in Enrolment.objects.filter(household=household, child__in=_children(household, user))
        .select_related("child", "activity").order_by("start_date", "pk")]
    return str(_("Inscriptions aux services")), rows


@hooks.register(HOUSEHOLD_EXPORT)
def bookings_export(household, user):
    rows = [{
        "enfant": str(b.child), "activité": b.activity.name, "jour": b.day.isoformat(), "état": b.get_status_display(),
        "réservé le": json_value(b.booked_at), "réservé après le délai": b.booked_late,
        "annulé le": json_value(b.cancelled_at), "annulé après le délai": b.cancelled_late,
        "annulé pour enfant malade": b.cancelled_sick, "modifié par un agent": b.changed_by_agent,
    } for b in Booking.objects.filter(household=household, child__in=_children(household, user))
        .select_related("child", "activity").order_by("day", "activity_id", "child_id")]
    return str(_("Réservations")), rows


@hooks.register(HOUSEHOLD_EXPORT)
def booking_changes_export(household, user):
    rows = [{
        "le": json_value(c.at), "enfant": str(c.child), "activité": c.activity.name, "jour réservé": c.day.isoformat(),
        "opération": c.get_action_display(), "avant": c.get_before_status_display() if c.before_status else "",
        "après": c.get_after_status_display(), "par": c.actor_label, "agent pour la famille": c.acting_for_family,
        "dérogation au délai": c.override, "précision": c.note,
    } for c in BookingChange.objects.filter(household=household, child__in=_children(household, user))
        .select_related("child", "activity").order_by("at", "pk")]
    return str(_("Historique des réservations")), rows


@hooks.register(HOUSEHOLD_EXPORT)
def attendance_export(household, user):
    rows = [{
        "enfant": str(a.child), "activité": a.activity.name, "jour": a.day.isoformat(), "pointage": a.get_status_display(),
        "motif d'absence": a.get_absence_reason_display() if a.absence_reason else "", "remarque": a.note,
        "pointé le": json_value(a.recorded_at),
    } for a in Attendance.objects.filter(household=household, child__in=_children(household, user))
        .select_related("child", "activity").order_by("day", "activity_id", "child_id")]
    return str(_("Pointages")), rows


@hooks.register(HOUSEHOLD_EXPORT)
def absence_justifications_export(household, user):
    rows = [{
        "enfant": str(j.child), "du": j.first_day.isoformat(), "au": j.last_day.isoformat(),
        "certificat médical": j.document.document_type.name, "message du parent": j.comment,
        "état": j.get_status_display(), "déclarée le": json_value(j.declared_at), "décision le": json_value(j.decided_at),
        "motif du refus": j.refusal_reason,
        "réservations justifiées": [f"{b.activity.name} {b.day.isoformat()}" for b in j.bookings.all()],
    } for j in AbsenceJustification.objects.filter(household=household, child__in=_children(household, user))
        .select_related("child", "document__document_type").prefetch_related("bookings__activity")
        .order_by("first_day", "pk")]
    return str(_("Justificatifs d'absence")), rows


@hooks.register(HOUSEHOLD_EXPORT)
def calendar_feeds_export(household, user):
    """The reader's own iCalendar addresses: when made, last read, revoked; never the token."""
    rows = [{
        "enfant": str(f.child), "créé le": json_value(f.created_at), "dernière lecture le": json_value(f.last_used_at),
        "révoqué le": json_value(f.revoked_at),
    } for f in CalendarFeed.objects.filter(user=user, child__in=_children(household, user))
        .select_related("child").order_by("created_at", "pk")]
    return str(_("Agendas iCalendar")), rows


@hooks.register(ACCOUNT_CLOSED)
def delete_calendar_feeds(user):
    """A closed account keeps no iCalendar address."""
    CalendarFeed.objects.filter(user=user).delete()
