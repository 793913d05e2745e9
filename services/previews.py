"""What a family's request would give, before it is made (nothing is written).

``enrolment_preview(user, child, activity, *, now, ...)`` runs the checks of
``services.enrolments.request_enrolment`` in the same order (who acts, the activity is
open, the period, a request already open, the derogation, age and class, documents) and
tells what the request would become: ``active``, ``pending`` an agent's validation, or
``waiting`` with its position on the list when the period is full. It raises the same
``Refusal`` as the request would. The request itself re-checks everything when it is
confirmed: the preview is only what the parent reads before confirming.

``absence_preview`` does the same for ``services.absences.declare``: the booked days the
certificate would cover, and the others with the reason."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .enrolments import eligibility_refusal, open_enrolment, periods_for
from .models import Activity, Enrolment, PlaceCounter
from .rules import Refusal, actor_for, documents_refusal, local_date, missing_documents_for


@dataclass(frozen=True)
class EnrolmentPreview:
    period: object
    status: str  # Enrolment.Status value
    places_left: int | None
    position: int | None  # on the waiting list, when ``status`` is waiting

    @property
    def status_label(self):
        return Enrolment.Status(self.status).label


def _places_left(activity, start):
    """Places left on the enrolment period (None: without limit), read without writing."""
    if activity.capacity is None:
        return None
    counter = PlaceCounter.objects.filter(activity_id=activity.pk, scope=PlaceCounter.Scope.ENROLMENT,
                                          day=start).first()
    if counter is not None:
        return counter.places_left
    taken = Enrolment.objects.filter(activity_id=activity.pk, start_date=start,
                                     status__in=Enrolment.HOLDING).count()
    return max(activity.capacity - taken, 0)


def enrolment_preview(user, child, activity, *, now, period_start=None, requested_level="", requested_school="",
                      derogation_reason=""):
    """The ``EnrolmentPreview`` of the request, or raise ``Refusal`` (see the module)."""
    actor = actor_for(user, child)
    if not activity.is_active or not activity.service.is_active or activity.shape == Activity.Shape.HALL_SLOT:
        raise Refusal("activity_inactive", _("Cette activité n'est pas ouverte aux inscriptions."))
    today = local_date(now)
    period = next((p for p in periods_for(activity, today) if period_start in (None, p.start)), None)
    if period is None:
        raise Refusal("no_period", _("Aucune période d'inscription n'est ouverte pour cette activité."))
    if open_enrolment(child, activity, period.start) is not None:
        raise Refusal("already_enrolled", _("Une demande d'inscription est déjà en cours pour cette période."))
    is_school = activity.shape == Activity.Shape.SCHOOL_ENROLMENT
    if derogation_reason and derogation_reason not in Enrolment.Derogation.values:
        raise Refusal("invalid_derogation", _("Motif de dérogation inconnu."))
    if is_school and derogation_reason and not requested_school.strip():
        raise Refusal("derogation_school_required", _("Indiquez l'école demandée pour la dérogation."))
    refusal = eligibility_refusal(child, activity, period.start, requested_level)
    if refusal:
        raise refusal
    missing = missing_documents_for(child.household, child, activity, max(today, period.start))
    if missing:
        raise documents_refusal(missing)
    left = _places_left(activity, period.start)
    if left == 0:
        position = Enrolment.objects.filter(activity_id=activity.pk, start_date=period.start,
                                            status=Enrolment.Status.WAITING).count() + 1
        return EnrolmentPreview(period, Enrolment.Status.WAITING, 0, position)
    needs_agent = activity.requires_validation or is_school
    status = Enrolment.Status.PENDING if needs_agent and not actor.is_agent else Enrolment.Status.ACTIVE
    return EnrolmentPreview(period, status, left, None)


@dataclass(frozen=True)
class AbsencePreview:
    covered: list  # the bookings the certificate would justify
    excluded: list  # (booking, why) pairs that it would not


def absence_preview(user, child, first_day, last_day, document, *, now):
    """The bookings a declaration would cover, or raise the ``Refusal`` that
    ``services.absences.declare`` would raise (checked in the same order)."""
    import datetime as dt

    from .absences import MAX_ABSENCE_DAYS, certificate_type_codes, covered_bookings
    from .rules import format_day

    actor_for(user, child)
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
    return AbsencePreview(covered, excluded)
