"""Bookings: the one place where a day is booked or cancelled.

The parent's screens, the admin (agents acting for a family) and the family API all go
through these functions, so no rule is written twice:

- ``book(user, child, activity, day, *, now, ...)`` and ``cancel(...)``: one day;
- ``apply_pattern(user, child, activity, weekdays, *, start, end, now, ...)``: a weekly
  pattern ("every Monday, Tuesday, Thursday and Friday until the end of the school
  year") in one step;
- ``apply_changes(user, changes, *, now, ...)``: any set of days ticked and unticked
  in the month calendar (the others call it);
- ``dry_run=True`` answers the same question without writing: the screens show what
  would be booked, refused and why, with the price, before the parent confirms.

Each day is checked on the server, in this order: who acts (rights on the child, paper
household, regulation gate: ``services.rules.actor_for``), the activity runs that day,
an active enrolment covers it, the deadline (``services.deadlines``; ``override`` for
agents, traced as ``STAFF_OVERRIDE``), the required documents, then the capacity
(``services.places``): a full day goes to the waiting list, or is refused when the
family does not want to wait. A refusal is an ``Outcome`` with a stable ``code`` and a
plain message; nothing is written for it.

One call is one transaction: its bookings, its history lines (``BookingChange``,
Article 10.3) and its audit events are written together or not at all. A cancellation
gives the place to the first on the waiting list at once (while that day may still be
booked) and tells that family.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.audit import record
from accounts.models import AuditEvent

from . import notices, places
from .calendars import Calendar
from .deadlines import can_book, can_cancel, cancellation_deadline, sick_cancellation_deadline
from .models import Activity, Booking, BookingChange, Enrolment, PlaceCounter
from .rules import Refusal, actor_for, documents_message, format_day, format_moment, is_agent, local_date, missing_documents_for

BOOK = "book"
CANCEL = "cancel"
MAX_PATTERN_DAYS = 370
Status = Booking.Status

# Outcome codes that changed something.
CHANGED = {"booked", "waiting", "cancelled", "left_waiting"}


@dataclass(frozen=True)
class Change:
    """One day to book or cancel for one child."""

    child: object
    activity: object
    day: dt.date
    action: str = BOOK
    sick: bool = False

    @property
    def key(self):
        return (self.child.pk, self.activity.pk, self.day)


@dataclass
class Outcome:
    """What happened (or, in a dry run, would happen) to one requested day."""

    child: object
    activity: object
    day: dt.date
    action: str
    ok: bool
    code: str
    message: str
    status: str | None = None
    deadline: dt.datetime | None = None
    price: Decimal | None = None
    late: bool = False
    override: bool = False
    position: int | None = None
    missing: list = field(default_factory=list)

    @property
    def changed(self):
        return self.ok and self.code in CHANGED

    @property
    def refused(self):
        return not self.ok


@dataclass
class Result:
    outcomes: list
    dry_run: bool = False

    def _with(self, *codes):
        return [o for o in self.outcomes if o.ok and o.code in codes]

    @property
    def booked(self):
        return self._with("booked")

    @property
    def waiting(self):
        return self._with("waiting")

    @property
    def cancelled(self):
        return self._with("cancelled", "left_waiting")

    @property
    def unchanged(self):
        return self._with("already_booked", "already_waiting", "not_booked")

    @property
    def refused(self):
        return [o for o in self.outcomes if not o.ok and o.code != "not_running"]

    @property
    def not_running(self):
        return [o for o in self.outcomes if o.code == "not_running"]

    @property
    def changed(self):
        return [o for o in self.outcomes if o.changed]

    def refusals_by_reason(self):
        """``[(code, first message, [outcomes])]``: the refused days grouped by reason."""
        groups = {}
        for outcome in self.refused:
            groups.setdefault(outcome.code, []).append(outcome)
        return [(code, items[0].message, items) for code, items in groups.items()]

    @property
    def price_change(self):
        """What the change adds to the bill (booked days) less what it saves (days
        cancelled in time); None when no price is known for any changed day."""
        total, known = Decimal("0"), False
        for outcome in self.outcomes:
            if outcome.price is None or not outcome.ok:
                continue
            if outcome.code == "booked":
                total += outcome.price
                known = True
            elif outcome.code == "cancelled" and not outcome.late:
                total -= outcome.price
                known = True
        return total if known else None


# Public entry points ---------------------------------------------------------------

def book(user, child, activity, day, *, now, override=False, waiting_list=True, dry_run=False, request=None):
    """Book one day; returns its ``Outcome``."""
    return apply_changes(user, [Change(child, activity, day, BOOK)], now=now, override=override,
                         waiting_list=waiting_list, dry_run=dry_run, request=request).outcomes[0]


def cancel(user, child, activity, day, *, now, sick=False, override=False, waive_charge=False, dry_run=False,
           request=None):
    """Cancel one day (``sick``: the same-morning cancellation for a sick child, where
    the activity allows it); returns its ``Outcome``."""
    return apply_changes(user, [Change(child, activity, day, CANCEL, sick=sick)], now=now, override=override,
                         waive_charge=waive_charge, dry_run=dry_run, request=request).outcomes[0]


def pattern_days(activity, weekdays, start, end, calendar):
    """The days from ``start`` to ``end`` on the chosen weekdays, with whether the
    activity runs on each: ``[(day, runs)]``."""
    weekdays = set(int(w) for w in weekdays)
    days = []
    day = start
    while day <= end:
        if day.weekday() in weekdays and (not activity.weekdays or day.weekday() in activity.weekdays):
            days.append((day, calendar.runs_on(activity, day)))
        day += dt.timedelta(days=1)
    return days


def apply_pattern(user, child, activity, weekdays, *, start, end, now, override=False, waiting_list=True,
                  dry_run=False, request=None):
    """Book every day of the weekly pattern from ``start`` to ``end`` in one step.
    Days the activity does not run (holidays, public holidays, closures) are reported
    with the code ``not_running`` and written nowhere."""
    if end < start:
        raise Refusal("invalid_range", _("La date de fin doit suivre la date de début."))
    if (end - start).days > MAX_PATTERN_DAYS:
        raise Refusal("range_too_long", _("Une semaine type s'applique sur un an au plus."))
    if not weekdays:
        raise Refusal("no_weekday", _("Choisissez au moins un jour de la semaine."))
    calendar = Calendar.load(start=start, end=end)
    changes, skipped = [], []
    for day, runs in pattern_days(activity, weekdays, start, end, calendar):
        if runs:
            changes.append(Change(child, activity, day, BOOK))
        else:
            skipped.append(Outcome(child, activity, day, BOOK, False, "not_running",
                                   _("L'activité n'a pas lieu ce jour-là (vacances, jour férié ou fermeture).")))
    result = apply_changes(user, changes, now=now, override=override, waiting_list=waiting_list, dry_run=dry_run,
                           request=request, calendar=calendar, operation=_("semaine type"))
    result.outcomes = sorted(result.outcomes + skipped, key=lambda o: o.day)
    return result


def apply_changes(user, changes, *, now, override=False, waiting_list=True, waive_charge=False, dry_run=False,
                  request=None, calendar=None, operation=""):
    """Book and cancel a set of days in one transaction; returns a ``Result`` with one
    ``Outcome`` per requested day (the last request wins for a day asked twice)."""
    if now.tzinfo is None:
        raise ValueError("« now » doit être une date et heure avec fuseau.")
    unique = {}
    for change in changes:
        unique[change.key] = change
    ordered = sorted(unique.values(), key=lambda c: (c.activity.pk, c.day, c.child.pk))
    if not ordered:
        return Result([], dry_run=dry_run)
    engine = _Engine(user, ordered, now=now, override=override, waiting_list=waiting_list,
                     waive_charge=waive_charge, dry_run=dry_run, request=request, calendar=calendar,
                     operation=operation)
    if dry_run:
        return Result([engine.decide(change) for change in ordered], dry_run=True)
    with transaction.atomic():
        outcomes = [engine.decide(change) for change in ordered]
        engine.finish(outcomes)
    return Result(outcomes)


# The engine -------------------------------------------------------------------------

class _Engine:
    """Loads what the requested days need in a constant number of queries, then
    decides (and, unless dry run, writes) each day."""

    def __init__(self, user, changes, *, now, override, waiting_list, waive_charge, dry_run, request, calendar,
                 operation):
        self.user = user
        self.now = now
        self.today = local_date(now)
        self.waiting_list = waiting_list
        self.waive_charge = waive_charge
        self.dry_run = dry_run
        self.request = request
        self.operation = operation
        start = min(c.day for c in changes)
        end = max(c.day for c in changes)
        self.calendar = calendar or Calendar.load(start=start, end=end)
        activity_ids = {c.activity.pk for c in changes}
        child_ids = {c.child.pk for c in changes}
        # Fresh activities with their rules (a caller's copy may be stale or partial).
        self.activities = {
            a.pk: a for a in Activity.objects.filter(pk__in=activity_ids).select_related(
                "service", "booking_rule__fallback", "cancellation_rule__fallback")
        }
        self.actors = {}
        self.children = {}
        for change in changes:
            if change.child.pk in self.actors:
                continue
            child = change.child
            self.children[child.pk] = child
            try:
                self.actors[child.pk] = actor_for(user, child, override=override)
            except Refusal as refusal:
                self.actors[child.pk] = refusal
        self.enrolments = {}
        for enrolment in Enrolment.objects.filter(
            child_id__in=child_ids, activity_id__in=activity_ids, status__in=Enrolment.OPEN,
            start_date__lte=end, end_date__gte=start,
        ):
            self.enrolments.setdefault((enrolment.child_id, enrolment.activity_id), []).append(enrolment)
        self.existing = {
            (b.child_id, b.activity_id, b.day): b
            for b in Booking.objects.filter(child_id__in=child_ids, activity_id__in=activity_ids, day__gte=start,
                                            day__lte=end)
        }
        self.counters = places.counters(activity_ids, start, end) if dry_run else {}
        self.dry_taken = {}
        self.documents = {}
        self.prices = {}
        self.history = []
        self.promoted = []

    # Helpers ---------------------------------------------------------------------

    def _refuse(self, change, code, message, **extra):
        return Outcome(change.child, change.activity, change.day, change.action, False, code, message, **extra)

    def _ok(self, change, code, message, **extra):
        return Outcome(change.child, change.activity, change.day, change.action, True, code, message, **extra)

    def _price(self, child, activity, day, late):
        key = (child.pk, activity.pk, day, late)
        if key not in self.prices:
            from billing.pricing import price_for

            self.prices[key] = price_for(child.household, child, activity, day, late=late)
        return self.prices[key]

    def _missing(self, child, activity, day):
        key = (child.pk, activity.pk, day)
        if key not in self.documents:
            self.documents[key] = missing_documents_for(child.household, child, activity, day)
        return self.documents[key]

    def _enrolment_refusal(self, change, activity):
        open_ones = [e for e in self.enrolments.get((change.child.pk, activity.pk), []) if e.covers(change.day)]
        if any(e.status == Enrolment.Status.ACTIVE for e in open_ones):
            return None
        if open_ones:
            status = open_ones[0].status
            if status == Enrolment.Status.WAITING:
                return "enrolment_waiting", _("L'inscription de %(name)s à cette activité est sur liste d'attente.") % {
                    "name": change.child.first_name}
            return "enrolment_pending", _("L'inscription de %(name)s à cette activité attend la validation du "
                                          "service.") % {"name": change.child.first_name}
        return "not_enrolled", _("%(name)s n'est pas inscrit(e) à cette activité pour cette date : faites d'abord "
                                 "la demande d'inscription.") % {"name": change.child.first_name}

    def _waiting_position(self, activity, day, since, booking_id=None):
        from django.db.models import Q

        before = Booking.objects.filter(activity_id=activity.pk, day=day, status=Status.WAITING).filter(
            Q(waiting_since__lt=since) | Q(waiting_since=since, id__lt=booking_id or 0))
        return before.count() + 1

    # Decisions -------------------------------------------------------------------

    def decide(self, change):
        actor = self.actors[change.child.pk]
        if isinstance(actor, Refusal):
            return self._refuse(change, actor.code, actor.message)
        activity = self.activities[change.activity.pk]
        if change.action == CANCEL:
            return self._cancel(change, actor, activity)
        return self._book(change, actor, activity)

    def _book(self, change, actor, activity):
        child, day = change.child, change.day
        if not activity.is_bookable_by_day:
            return self._refuse(change, "not_bookable_by_day",
                                _("Cette activité ne se réserve pas jour par jour : faites une demande d'inscription."))
        decision = can_book(activity, day, self.now, calendar=self.calendar, override=actor.override)
        if not decision.ok and decision.reason_code in ("not_running", "activity_inactive"):
            message = (_("L'activité n'a pas lieu le %(day)s.") % {"day": format_day(day)}
                       if decision.reason_code == "not_running"
                       else _("Cette activité n'est pas ouverte aux réservations."))
            return self._refuse(change, decision.reason_code, message)
        refusal = self._enrolment_refusal(change, activity)
        if refusal:
            return self._refuse(change, *refusal)
        existing = self.existing.get(change.key)
        if existing is not None and existing.status == Status.BOOKED:
            return self._ok(change, "already_booked", _("Déjà réservé."), status=Status.BOOKED)
        if existing is not None and existing.status == Status.WAITING:
            return self._ok(change, "already_waiting", _("Déjà sur la liste d'attente."), status=Status.WAITING)
        if not decision.ok:
            return self._refuse(change, "deadline_passed", _(
                "Le délai de réservation est dépassé : la réservation était possible jusqu'au %(deadline)s."
            ) % {"deadline": format_moment(decision.deadline)}, deadline=decision.deadline)
        late = decision.reason_code == "staff_override"
        if not actor.override:
            missing = self._missing(child, activity, day)
            if missing:
                return self._refuse(change, "document_missing", documents_message(missing), missing=missing)
        price = self._price(child, activity, day, late)
        extra = {"deadline": decision.deadline, "price": price, "late": late, "override": late}
        if self.dry_run:
            counter = self.counters.get((activity.pk, day))
            left = places.places_left(activity, counter)
            taken = self.dry_taken.get((activity.pk, day), 0)
            has_place = left is None or left - taken > 0
            if has_place:
                self.dry_taken[(activity.pk, day)] = taken + 1
        else:
            has_place = places.take(activity, day)
        if has_place:
            if not self.dry_run and not self._write_booking(change, actor, existing, Status.BOOKED, late):
                places.release(activity, day)
                return self._refuse(change, "conflict", _("Ce jour vient d'être modifié : rechargez la page."))
            return self._ok(change, "booked", _("Réservé."), status=Status.BOOKED, **extra)
        if not self.waiting_list:
            return self._refuse(change, "full", _("Complet : il ne reste plus de place ce jour-là."),
                                deadline=decision.deadline)
        position = None
        if not self.dry_run:
            booking = self._write_booking(change, actor, existing, Status.WAITING, late)
            if not booking:
                return self._refuse(change, "conflict", _("Ce jour vient d'être modifié : rechargez la page."))
            position = self._waiting_position(activity, day, booking.waiting_since, booking.pk)
        message = (_("Complet : inscrit(e) sur la liste d'attente, en position %(position)s.") % {"position": position}
                   if position else _("Complet : inscription sur la liste d'attente."))
        return self._ok(change, "waiting", message, status=Status.WAITING, position=position,
                        deadline=decision.deadline, late=late, override=late)

    def _cancel(self, change, actor, activity):
        existing = self.existing.get(change.key)
        if existing is None or existing.status == Status.CANCELLED:
            return self._ok(change, "not_booked", _("Ce jour n'était pas réservé."), status=None)
        if existing.status == Status.WAITING:
            if not self.dry_run and not self._write_cancel(change, actor, existing, late=False, sick=False,
                                                           from_waiting=True):
                return self._refuse(change, "conflict", _("Ce jour vient d'être modifié : rechargez la page."))
            return self._ok(change, "left_waiting", _("Retiré(e) de la liste d'attente."), status=Status.CANCELLED)
        decision = can_cancel(activity, change.day, self.now, sick=change.sick, calendar=self.calendar,
                              override=actor.override)
        if not decision.ok:
            return self._refuse(change, decision.reason_code, self._cancel_message(decision, activity, change),
                                deadline=decision.deadline)
        late = decision.reason_code == "sick_same_day" or (
            decision.reason_code == "staff_override" and not self.waive_charge)
        sick = decision.reason_code == "sick_same_day" or (change.sick and decision.ok)
        price = self._price(change.child, activity, change.day, False)
        if not self.dry_run:
            if not self._write_cancel(change, actor, existing, late=late, sick=sick, from_waiting=False):
                return self._refuse(change, "conflict", _("Ce jour vient d'être modifié : rechargez la page."))
            places.release(activity, change.day)
            self._promote(activity, change.day)
        if late:
            message = _("Annulé ; la journée reste facturée, sauf justificatif médical accepté.")
        else:
            message = _("Annulé.")
        return self._ok(change, "cancelled", message, status=Status.CANCELLED, deadline=decision.deadline,
                        price=price, late=late, override=decision.reason_code == "staff_override")

    def _cancel_message(self, decision, activity, change):
        code = decision.reason_code
        if code == "sick_not_allowed":
            return _("Cette activité ne permet pas d'annuler le jour même pour un enfant malade : contactez le service.")
        if code == "sick_deadline_passed":
            return _("L'annulation pour enfant malade n'était possible que jusqu'au %(deadline)s.") % {
                "deadline": format_moment(decision.deadline)}
        message = _("Le délai d'annulation est dépassé : l'annulation était possible jusqu'au %(deadline)s.") % {
            "deadline": format_moment(decision.deadline)}
        sick_until = sick_cancellation_deadline(activity, change.day)
        if sick_until is not None and not change.sick and self.now <= sick_until:
            message += " " + _("Si votre enfant est malade, utilisez l'annulation pour enfant malade (jusqu'au "
                               "%(deadline)s).") % {"deadline": format_moment(sick_until)}
        return message

    # Writes ----------------------------------------------------------------------

    def _note_change(self, booking, action, before, after, *, override=False, note="", actor_user=False,
                     acting_for_family=None):
        user = self.user if actor_user is False else actor_user
        self.history.append(BookingChange(
            booking=booking, household_id=booking.household_id, child_id=booking.child_id,
            activity_id=booking.activity_id, day=booking.day, at=self.now, actor=user,
            actor_label=(user.email if user is not None else ""),
            acting_for_family=is_agent(user) if acting_for_family is None else acting_for_family,
            action=action, before_status=before or "", after_status=after, override=override, note=note[:255],
        ))

    def _write_booking(self, change, actor, existing, status, late):
        """Insert or update the day's row; False when another request changed it first."""
        now = self.now
        values = {
            "status": status,
            "booked_at": now if status == Status.BOOKED else None,
            "booked_by": None if actor.is_agent else self.user,
            "booked_late": late and status == Status.BOOKED,
            "waiting_since": now if status == Status.WAITING else None,
            "cancelled_at": None, "cancelled_late": False, "cancelled_sick": False,
            "changed_at": now, "changed_by": self.user, "changed_by_agent": actor.is_agent,
        }
        if existing is None:
            try:
                with transaction.atomic():
                    booking = Booking.objects.create(household_id=change.child.household_id, child=change.child,
                                                     activity_id=change.activity.pk, day=change.day, **values)
            except IntegrityError:
                return None
        else:
            updated = Booking.objects.filter(pk=existing.pk, status=existing.status).update(**values)
            if not updated:
                return None
            booking = existing
            for name, value in values.items():
                setattr(booking, name, value)
        action = BookingChange.Action.BOOKED if status == Status.BOOKED else BookingChange.Action.WAITING
        self._note_change(booking, action, existing.status if existing else "", status, override=late)
        self.existing[change.key] = booking
        return booking

    def _write_cancel(self, change, actor, existing, *, late, sick, from_waiting):
        values = {"status": Status.CANCELLED, "cancelled_at": self.now, "cancelled_late": late,
                  "cancelled_sick": sick, "changed_at": self.now, "changed_by": self.user,
                  "changed_by_agent": actor.is_agent}
        if from_waiting:
            values["waiting_since"] = None
        updated = Booking.objects.filter(pk=existing.pk, status=existing.status).update(**values)
        if not updated:
            return False
        before = existing.status
        for name, value in values.items():
            setattr(existing, name, value)
        if from_waiting:
            action = BookingChange.Action.LEFT_WAITING
        elif sick:
            action = BookingChange.Action.SICK
        else:
            action = BookingChange.Action.CANCELLED
        note = _("reste facturé") if late else ""
        self._note_change(existing, action, before, Status.CANCELLED, override=actor.override and late, note=note)
        return True

    def _promote(self, activity, day):
        """Give the freed place to the first on the waiting list, while that day may
        still be booked (after the deadline the place stays free for the service)."""
        promoted = promote_first_waiting(activity, day, now=self.now, calendar=self.calendar, actor=self.user)
        if promoted is not None:
            self.promoted.append(promoted)
            self._note_change(promoted, BookingChange.Action.PROMOTED, Status.WAITING, Status.BOOKED,
                              note=_("place libérée par une annulation"), actor_user=None, acting_for_family=False)

    def finish(self, outcomes):
        """History lines, one audit event per kind of change and child, e-mails."""
        BookingChange.objects.bulk_create(self.history)
        by_child = {}
        for outcome in outcomes:
            if outcome.changed:
                by_child.setdefault(outcome.child.pk, []).append(outcome)
        for child_id, items in by_child.items():
            child = self.children[child_id]
            actor = self.actors[child_id]
            kinds = (
                (AuditEvent.Action.BOOKING, [o for o in items if o.code == "booked"], _("Réservation")),
                (AuditEvent.Action.WAITING_LIST, [o for o in items if o.code == "waiting"], _("Liste d'attente")),
                (AuditEvent.Action.CANCELLATION, [o for o in items if o.code in ("cancelled", "left_waiting")],
                 _("Annulation")),
            )
            for action, group, label in kinds:
                if group:
                    self._audit(action, child, actor, group, label)
            overridden = [o for o in items if o.override]
            if overridden:
                self._audit(AuditEvent.Action.STAFF_OVERRIDE, child, actor, overridden,
                            _("Dérogation au délai par un agent"))
        for booking in self.promoted:
            # Told as the portal's doing: the family promoted must not read who cancelled.
            record(AuditEvent.Action.WAITING_LIST, actor=None, household=booking.household, obj=booking,
                   summary=_("Place obtenue depuis la liste d'attente : %(child)s, %(activity)s, %(day)s") % {
                       "child": booking.child, "activity": booking.activity.name, "day": format_day(booking.day)},
                   before={"status": Status.WAITING}, after={"status": Status.BOOKED, "day": booking.day.isoformat()},
                   acting_for_family=False)
            transaction.on_commit(_promotion_notice(booking))
        if by_child:
            transaction.on_commit(_confirmation_notice(self.user, self.children, by_child, self.operation))

    def _audit(self, action, child, actor, group, label):
        days = sorted({o.day for o in group})
        names = sorted({o.activity.name for o in group})
        summary = _("%(label)s : %(child)s, %(activities)s, %(count)s jour(s)") % {
            "label": label, "child": child, "activities": ", ".join(names), "count": len(days)}
        if self.operation:
            summary += f" ({self.operation})"
        record(action, actor=self.user, household=child.household, obj=child, summary=summary,
               before={"days": [{"activity": o.activity.code, "day": o.day.isoformat(),
                                 "status": Status.BOOKED if o.action == CANCEL else None} for o in group]},
               after={"days": [{"activity": o.activity.code, "day": o.day.isoformat(), "status": o.status,
                                "late": o.late} for o in group]},
               request=self.request, acting_for_family=actor.is_agent)


def promote_first_waiting(activity, day, *, now, calendar=None, actor=None):
    """Move the first of the day's waiting list (first come, first served) to booked
    when a place is free and the day may still be booked; returns that booking."""
    if not can_book(activity, day, now, calendar=calendar).ok:
        return None
    while True:
        first = (Booking.objects.filter(activity_id=activity.pk, day=day, status=Status.WAITING)
                 .select_related("child__household", "household", "activity").order_by("waiting_since", "id").first())
        if first is None:
            return None
        if not places.take(activity, day):
            return None
        updated = Booking.objects.filter(pk=first.pk, status=Status.WAITING).update(
            status=Status.BOOKED, booked_at=now, waiting_since=None, changed_at=now)
        if updated:
            first.status, first.booked_at, first.waiting_since, first.changed_at = Status.BOOKED, now, None, now
            return first
        places.release(activity, day)


def _promotion_notice(booking):
    def send():
        notices.tell(notices.family_recipients(booking.child), "services_waiting_list_promoted",
                     {"booking": booking, "child": booking.child, "activity": booking.activity,
                      "day": booking.day})
    return send


def _confirmation_notice(user, children, by_child, operation):
    """The optional confirmation e-mail: to the parent who acted, or to the family
    when an agent acted for it."""
    from accounts.preferences import BOOKING_CONFIRMATION, wants_email

    def send():
        for child_id, items in by_child.items():
            child = children[child_id]
            recipients = notices.family_recipients(child) if is_agent(user) else [user]
            recipients = [u for u in recipients if u is not None and u.email and wants_email(u, BOOKING_CONFIRMATION)]
            lines = [{"day": o.day, "activity": o.activity.name, "code": o.code, "message": o.message}
                     for o in sorted(items, key=lambda o: (o.day, o.activity.name))]
            notices.tell(recipients, "services_booking_confirmation",
                         {"child": child, "lines": lines, "by_agent": is_agent(user), "operation": operation})
    return send


# Stays (booked through their enrolment) ------------------------------------------

def stay_days(activity):
    day, days = activity.start_date, []
    while day and day <= activity.end_date:
        days.append(day)
        day += dt.timedelta(days=1)
    return days


def book_stay_days(enrolment, user, now, *, acting_agent):
    """Book every day of a stay for an active enrolment (its place is held by the
    enrolment; the days show in the attendance lists, the agenda and billing)."""
    activity = enrolment.activity
    history = []
    for day in stay_days(activity):
        if not places.take(activity, day):
            raise Refusal("full", _("Complet : il ne reste plus de place ce jour-là."))
        booking, created = Booking.objects.get_or_create(
            child_id=enrolment.child_id, activity_id=activity.pk, day=day,
            defaults={"household_id": enrolment.household_id, "status": Status.BOOKED, "booked_at": now,
                      "booked_by": None if acting_agent else user, "changed_at": now, "changed_by": user,
                      "changed_by_agent": acting_agent},
        )
        before = "" if created else booking.status
        if not created:
            if booking.status == Status.BOOKED:
                places.release(activity, day)
                continue
            Booking.objects.filter(pk=booking.pk).update(
                status=Status.BOOKED, booked_at=now, booked_by=None if acting_agent else user, cancelled_at=None,
                cancelled_late=False, cancelled_sick=False, changed_at=now, changed_by=user,
                changed_by_agent=acting_agent)
        history.append(BookingChange(
            booking=booking, household_id=booking.household_id, child_id=booking.child_id, activity_id=activity.pk,
            day=day, at=now, actor=user, actor_label=user.email if user else "", acting_for_family=acting_agent,
            action=BookingChange.Action.BOOKED, before_status=before, after_status=Status.BOOKED,
            note=_("séjour")))
    BookingChange.objects.bulk_create(history)


def cancel_stay_days(enrolment, actor, now, *, request=None):
    """Cancel the days of a stay when its enrolment is withdrawn, within the stay's
    cancellation deadline (counted from its first day)."""
    activity = enrolment.activity
    decision = can_cancel(activity, activity.start_date, now, override=actor.override)
    if not decision.ok:
        raise Refusal("deadline_passed", _(
            "Le délai d'annulation est dépassé : l'annulation était possible jusqu'au %(deadline)s.")
            % {"deadline": format_moment(decision.deadline)})
    history = []
    for booking in Booking.objects.filter(child_id=enrolment.child_id, activity_id=activity.pk,
                                          status=Status.BOOKED, day__gte=enrolment.start_date,
                                          day__lte=enrolment.end_date):
        Booking.objects.filter(pk=booking.pk).update(status=Status.CANCELLED, cancelled_at=now, changed_at=now,
                                                    changed_by=actor.user, changed_by_agent=actor.is_agent)
        places.release(activity, booking.day)
        history.append(BookingChange(
            booking=booking, household_id=booking.household_id, child_id=booking.child_id, activity_id=activity.pk,
            day=booking.day, at=now, actor=actor.user, actor_label=actor.user.email if actor.user else "",
            acting_for_family=actor.is_agent, action=BookingChange.Action.CANCELLED, before_status=Status.BOOKED,
            after_status=Status.CANCELLED, override=decision.reason_code == "staff_override", note=_("séjour")))
    BookingChange.objects.bulk_create(history)


# Waiting lists whose day is closed ------------------------------------------------

def close_past_waiting_lists(now):
    """Periodic job: a waiting-list request whose day can no longer be booked is closed
    (the family keeps the history line); returns how many were closed."""
    closed = 0
    today = local_date(now)
    waiting = (Booking.objects.filter(status=Status.WAITING, day__lte=today + dt.timedelta(days=60))
               .select_related("activity__service", "activity__booking_rule__fallback", "child__household"))
    by_activity = {}
    for booking in waiting:
        by_activity.setdefault(booking.activity_id, []).append(booking)
    if not by_activity:
        return 0
    calendar = Calendar.load(start=today - dt.timedelta(days=1), end=today + dt.timedelta(days=60))
    for bookings in by_activity.values():
        for booking in bookings:
            if can_book(booking.activity, booking.day, now, calendar=calendar).ok:
                continue
            with transaction.atomic():
                updated = Booking.objects.filter(pk=booking.pk, status=Status.WAITING).update(
                    status=Status.CANCELLED, cancelled_at=now, waiting_since=None, changed_at=now, changed_by=None,
                    changed_by_agent=False)
                if not updated:
                    continue
                BookingChange.objects.create(
                    booking=booking, household_id=booking.household_id, child_id=booking.child_id,
                    activity_id=booking.activity_id, day=booking.day, at=now, action=BookingChange.Action.WAITING_CLOSED,
                    before_status=Status.WAITING, after_status=Status.CANCELLED,
                    note=_("aucune place ne s'est libérée avant la clôture des réservations"))
                record(AuditEvent.Action.WAITING_LIST, household=booking.household, obj=booking,
                       summary=_("Liste d'attente close : %(booking)s") % {"booking": booking},
                       before={"status": Status.WAITING}, after={"status": Status.CANCELLED})
            closed += 1
    return closed


def cancellation_info(activity, day, calendar):
    """(cancellation deadline, same-day sick deadline or None) for the screens."""
    return cancellation_deadline(activity, day, calendar=calendar), sick_cancellation_deadline(activity, day)


PLACE_SCOPE_BOOKING = PlaceCounter.Scope.BOOKING
