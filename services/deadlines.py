"""The deadline engine: one set of pure functions for every activity.

Every rule is a ``DeadlineRule`` row that staff edit; this module only reads them.
All deadlines are aware datetimes in Europe/Paris: the local wall-clock time is built
first, then the zone is attached, so "12:00" stays 12:00 on both sides of a
daylight-saving change. A wall-clock time that does not exist (the skipped hour of the
spring change) moves forward by one hour; an ambiguous one (the repeated hour in
autumn) takes its first, earlier, occurrence.

The functions take an optional preloaded ``services.calendars.Calendar``: pass one to
work on many dates (a month view) with a constant number of queries, and load the
activity with ``select_related("service", "booking_rule__fallback",
"cancellation_rule__fallback")`` to need none at all.
"""

import datetime as dt
from dataclasses import dataclass

from .calendars import PARIS, Calendar

UTC = dt.timezone.utc
MAX_LOOKBACK_DAYS = 400

WEEKDAYS_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTHS_FR = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]


@dataclass(frozen=True)
class Decision:
    """The answer to "may this be booked / cancelled now?"."""

    ok: bool
    reason_code: str
    message_fr: str
    deadline: dt.datetime | None = None

    def __bool__(self):
        return self.ok


# Time helpers ----------------------------------------------------------------------

def local_datetime(day, time):
    """The aware Europe/Paris datetime for the wall-clock ``time`` on ``day``."""
    naive = dt.datetime.combine(day, time)
    aware = naive.replace(tzinfo=PARIS)
    # Normalise through UTC: a non-existent time (spring gap) comes back one hour later.
    return aware.astimezone(UTC).astimezone(PARIS)


def to_paris(moment):
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        raise ValueError("« now » doit être une date et heure avec fuseau (timezone.now()).")
    return moment.astimezone(PARIS)


def format_deadline_fr(moment):
    """« jeudi 8 octobre 2026 à 12h00 »."""
    local = to_paris(moment)
    return (
        f"{WEEKDAYS_FR[local.weekday()]} {local.day}{'er' if local.day == 1 else ''} "
        f"{MONTHS_FR[local.month - 1]} {local.year} à {local.hour:02d}h{local.minute:02d}"
    )


def format_date_fr(day):
    return f"{WEEKDAYS_FR[day.weekday()]} {day.day}{'er' if day.day == 1 else ''} {MONTHS_FR[day.month - 1]} {day.year}"


def _calendar(calendar, occurrence_date):
    if calendar is not None:
        return calendar
    return Calendar.load(start=occurrence_date, end=occurrence_date)


# Rules -----------------------------------------------------------------------------

def working_day_before(occurrence_date, count, calendar, skip_weekdays=()):
    """The ``count``-th working day before ``occurrence_date`` (not counting it):
    Saturdays, Sundays, public holidays and ``skip_weekdays`` are not counted."""
    if count < 1:
        return occurrence_date
    skip = set(skip_weekdays or ())
    day = occurrence_date
    found = 0
    for _step in range(MAX_LOOKBACK_DAYS):
        day -= dt.timedelta(days=1)
        if calendar.is_working_day(day, skip):
            found += 1
            if found == count:
                return day
    raise ValueError("Aucun jour ouvré trouvé : vérifiez la règle de délai.")


def week_monday(day):
    return day - dt.timedelta(days=day.weekday())


def rule_deadline(rule, occurrence_date, calendar):
    """The deadline set by ``rule`` for an occurrence on ``occurrence_date``."""
    from .models import DeadlineRule

    Kind = DeadlineRule.Kind
    kind = rule.kind
    if kind == Kind.DAYS_BEFORE:
        return local_datetime(occurrence_date - dt.timedelta(days=rule.days or 0), rule.time)
    if kind == Kind.WORKING_DAYS_BEFORE:
        day = working_day_before(occurrence_date, rule.days or 0, calendar, rule.skip_weekdays)
        return local_datetime(day, rule.time)
    if kind in (Kind.WEEKDAY_PREVIOUS_WEEK, Kind.WEEKDAY_WEEK_MINUS_N):
        weeks = 1 if kind == Kind.WEEKDAY_PREVIOUS_WEEK else (rule.weeks_before or 1)
        day = week_monday(occurrence_date) - dt.timedelta(weeks=weeks) + dt.timedelta(days=rule.weekday or 0)
        return local_datetime(day, rule.time)
    if kind == Kind.PERIOD_CLOSE:
        holiday = calendar.school_holiday(occurrence_date)
        if holiday is not None:
            return local_datetime(holiday.start_date - dt.timedelta(days=rule.days or 0), rule.time)
        if rule.fallback_id:
            fallback = rule.fallback
            if fallback.kind == Kind.PERIOD_CLOSE:
                raise ValueError("Une clôture par période ne peut pas se replier sur une autre clôture par période.")
            return rule_deadline(fallback, occurrence_date, calendar)
        return local_datetime(occurrence_date - dt.timedelta(days=rule.days or 0), rule.time)
    raise ValueError(f"type de règle inconnu : {kind!r}")


def occurrence_start(activity, occurrence_date):
    """When the occurrence begins (midnight when the activity has no start time)."""
    return local_datetime(occurrence_date, activity.start_time or dt.time(0, 0))


def booking_deadline(activity, occurrence_date, *, calendar=None):
    """Last moment to book (or change) ``activity`` on ``occurrence_date``. Without a
    booking rule, booking stays open until the occurrence begins."""
    if activity.booking_rule_id is None:
        return occurrence_start(activity, occurrence_date)
    return rule_deadline(activity.booking_rule, occurrence_date, _calendar(calendar, occurrence_date))


def cancellation_deadline(activity, occurrence_date, *, calendar=None):
    """Last moment to cancel without reason; the booking rule when no cancellation
    rule is set."""
    if activity.cancellation_rule_id is None:
        return booking_deadline(activity, occurrence_date, calendar=calendar)
    return rule_deadline(activity.cancellation_rule, occurrence_date, _calendar(calendar, occurrence_date))


def sick_cancellation_deadline(activity, occurrence_date):
    """Until when a sick child's booking may still be cancelled (the same morning),
    or None when the activity does not allow it."""
    if activity.same_day_sick_cancellation_until is None:
        return None
    return local_datetime(occurrence_date, activity.same_day_sick_cancellation_until)


# Decisions -------------------------------------------------------------------------

def can_book(activity, occurrence_date, now, *, calendar=None, override=False):
    """May a parent book ``activity`` on ``occurrence_date`` at ``now`` (aware)?

    ``override=True`` is for staff booking on a family's behalf: the deadline no longer
    applies (reason ``staff_override``; the caller records the override in the audit
    trail), but a day without the activity stays refused."""
    now = to_paris(now)
    calendar = _calendar(calendar, occurrence_date)
    if not activity.is_active or not activity.service.is_active:
        return Decision(False, "activity_inactive", "Cette activité n'est pas ouverte aux réservations.")
    if not calendar.runs_on(activity, occurrence_date):
        return Decision(
            False, "not_running", f"L'activité n'a pas lieu le {format_date_fr(occurrence_date)}."
        )
    deadline = booking_deadline(activity, occurrence_date, calendar=calendar)
    if now > deadline and override:
        return Decision(
            True,
            "staff_override",
            f"Délai dépassé depuis le {format_deadline_fr(deadline)} : réservation par dérogation d'un agent.",
            deadline,
        )
    if now > deadline:
        return Decision(
            False,
            "deadline_passed",
            f"Le délai de réservation est dépassé : la réservation était possible jusqu'au {format_deadline_fr(deadline)}.",
            deadline,
        )
    return Decision(True, "ok", f"Réservation possible jusqu'au {format_deadline_fr(deadline)}.", deadline)


def can_cancel(activity, occurrence_date, now, *, sick=False, calendar=None, override=False):
    """May a parent cancel a booking of ``activity`` on ``occurrence_date`` at ``now``?

    After the cancellation deadline, a sick child's booking may still be cancelled
    until ``activity.same_day_sick_cancellation_until`` on the day itself (and no
    later: a sick child's booking may also be cancelled before that, like any other).
    ``override=True``: staff cancel whatever the deadline (reason ``staff_override``)."""
    now = to_paris(now)
    deadline = cancellation_deadline(activity, occurrence_date, calendar=calendar)
    if now <= deadline:
        return Decision(True, "ok", f"Annulation possible jusqu'au {format_deadline_fr(deadline)}.", deadline)
    if override:
        return Decision(
            True,
            "staff_override",
            f"Délai dépassé depuis le {format_deadline_fr(deadline)} : annulation par dérogation d'un agent.",
            deadline,
        )
    if sick:
        sick_deadline = sick_cancellation_deadline(activity, occurrence_date)
        if sick_deadline is None:
            return Decision(
                False,
                "sick_not_allowed",
                "Cette activité ne permet pas d'annuler le jour même pour un enfant malade ; "
                "contactez le service.",
                deadline,
            )
        if now <= sick_deadline:
            return Decision(
                True,
                "sick_same_day",
                f"Annulation pour enfant malade possible jusqu'au {format_deadline_fr(sick_deadline)}.",
                sick_deadline,
            )
        return Decision(
            False,
            "sick_deadline_passed",
            f"L'annulation pour enfant malade n'était possible que jusqu'au {format_deadline_fr(sick_deadline)}.",
            sick_deadline,
        )
    return Decision(
        False,
        "deadline_passed",
        f"Le délai d'annulation est dépassé : l'annulation était possible jusqu'au {format_deadline_fr(deadline)}.",
        deadline,
    )


def booking_decisions(activity, start, end, now, *, calendar=None):
    """``{date: Decision}`` for every day ``activity`` runs from ``start`` to ``end``
    (a month view): one calendar load, no query per day."""
    if calendar is None:
        calendar = Calendar.load(start=start, end=end)
    return {day: can_book(activity, day, now, calendar=calendar) for day in calendar.occurrence_dates(activity, start, end)}
