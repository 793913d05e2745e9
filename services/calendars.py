"""Calendars: public holidays, school holidays, closures and school years.

``Calendar.load()`` reads them with two queries and answers every per-day question
from memory, so the deadline engine (``services.deadlines``) can walk a whole month
of occurrences at a constant number of queries.

``import_icalendar()`` fills ``CalendarPeriod`` from an iCalendar file (the public
holidays feed, the zone B school holidays feed of the Education ministry, ...) with a
small tolerant parser: no extra dependency.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class Period:
    """A plain copy of a ``CalendarPeriod`` row (both dates included)."""

    kind: str
    name: str
    start_date: dt.date
    end_date: dt.date
    activity_id: int | None = None

    def __contains__(self, day):
        return self.start_date <= day <= self.end_date


def _days(start, end):
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


@dataclass
class Calendar:
    """Holidays, closures and school years held in memory.

    Build it with ``Calendar.load()`` (from the database) or directly from ``Period``
    objects and ``(start, end)`` school-year tuples (in tests, or for previews)."""

    periods: list = field(default_factory=list)
    school_years: list = field(default_factory=list)  # [(start_date, end_date), ...]

    def __post_init__(self):
        from .models import CalendarPeriod

        Kind = CalendarPeriod.Kind
        self.public_holidays = {}
        self._school_holiday_by_day = {}
        self._closed_days_all = {}
        self._closed_days_by_activity = {}
        for period in sorted(self.periods, key=lambda p: (p.start_date, p.end_date)):
            for day in _days(period.start_date, period.end_date):
                if period.kind == Kind.PUBLIC_HOLIDAY:
                    self.public_holidays.setdefault(day, period)
                elif period.kind == Kind.SCHOOL_HOLIDAY:
                    self._school_holiday_by_day.setdefault(day, period)
                elif period.kind == Kind.CLOSURE:
                    if period.activity_id is None:
                        self._closed_days_all.setdefault(day, period)
                    else:
                        self._closed_days_by_activity.setdefault(period.activity_id, {}).setdefault(day, period)
        self.school_years = sorted(tuple(years) for years in self.school_years)

    @classmethod
    def load(cls, start=None, end=None):
        """Read the calendar from the database in two queries.

        With ``start``/``end``, only the periods that may matter for occurrences in
        that range are read (a margin before ``start`` covers deadlines computed weeks
        ahead, and holiday periods that began earlier)."""
        from .models import CalendarPeriod, SchoolYear

        periods = CalendarPeriod.objects.all()
        years = SchoolYear.objects.all()
        if start is not None:
            margin = start - dt.timedelta(days=190)
            periods = periods.filter(end_date__gte=margin)
            years = years.filter(end_date__gte=margin)
        if end is not None:
            periods = periods.filter(start_date__lte=end)
            years = years.filter(start_date__lte=end)
        return cls(
            periods=[
                Period(p["kind"], p["name"], p["start_date"], p["end_date"], p["activity_id"])
                for p in periods.values("kind", "name", "start_date", "end_date", "activity_id")
            ],
            school_years=list(years.values_list("start_date", "end_date")),
        )

    # Questions about one day -------------------------------------------------------

    def is_public_holiday(self, day):
        return day in self.public_holidays

    def school_holiday(self, day):
        """The school-holiday ``Period`` containing ``day``, or None."""
        return self._school_holiday_by_day.get(day)

    def is_school_holiday(self, day):
        return day in self._school_holiday_by_day

    def in_school_year(self, day):
        return any(start <= day <= end for start, end in self.school_years)

    def is_school_day_period(self, day):
        """Inside a school year and outside the school holidays (whatever the weekday)."""
        return self.in_school_year(day) and not self.is_school_holiday(day)

    def closure(self, day, activity_id=None):
        """The closure ``Period`` covering ``day`` (for every activity, or that one)."""
        found = self._closed_days_all.get(day)
        if found is None and activity_id is not None:
            found = self._closed_days_by_activity.get(activity_id, {}).get(day)
        return found

    def is_working_day(self, day, skip_weekdays=()):
        """Not a Saturday or Sunday, not a public holiday, not one of ``skip_weekdays``."""
        return day.weekday() < 5 and day.weekday() not in skip_weekdays and day not in self.public_holidays

    def runs_on(self, activity, day):
        """Whether ``activity`` takes place on ``day``: its weekdays, its dates, its
        periods (school periods and/or holidays), no public holiday and no closure."""
        if activity.weekdays and day.weekday() not in activity.weekdays:
            return False
        if activity.start_date and day < activity.start_date:
            return False
        if activity.end_date and day > activity.end_date:
            return False
        if day in self.public_holidays or self.closure(day, activity.pk) is not None:
            return False
        if self.is_school_holiday(day):
            return activity.runs_in_holidays
        if self.in_school_year(day):
            return activity.runs_in_school_periods
        # Outside any school year and outside declared holidays (e.g. summer not
        # entered yet): only activities open in holidays run.
        return activity.runs_in_holidays

    def occurrence_dates(self, activity, start, end):
        """Every day from ``start`` to ``end`` (included) on which ``activity`` runs."""
        return [day for day in _days(start, end) if self.runs_on(activity, day)]


# iCalendar import ----------------------------------------------------------------

_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DATETIME_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?(Z?)$")
_DURATION_RE = re.compile(r"^P(?:(\d+)W)?(?:(\d+)D)?(?:T.*)?$")


def _unfold(text):
    """RFC 5545 line unfolding: a line starting with a space or a tab continues the
    previous one. Tolerates LF, CRLF and CR line ends."""
    lines = []
    for raw in re.split(r"\r\n|\n|\r", text):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] += raw[1:]
        else:
            lines.append(raw)
    return [line for line in lines if line.strip()]


def _split_property(line):
    """``NAME;PARAM=V;...:value`` → (NAME, {PARAM: V}, value). Quoted parameter values
    may contain ':' and ';'."""
    in_quotes = False
    colon = None
    for index, char in enumerate(line):
        if char == '"':
            in_quotes = not in_quotes
        elif char == ":" and not in_quotes:
            colon = index
            break
    if colon is None:
        return None
    head, value = line[:colon], line[colon + 1:]
    parts = head.split(";")
    params = {}
    for part in parts[1:]:
        if "=" in part:
            key, _sep, val = part.partition("=")
            params[key.strip().upper()] = val.strip().strip('"')
    return parts[0].strip().upper(), params, value


def _unescape(value):
    return (
        value.replace("\\N", "\n").replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
    ).strip()


def _parse_when(value, params):
    """→ (date, is_all_day, is_midnight). DATE-TIME values are brought to Paris time."""
    value = value.strip()
    match = _DATE_RE.match(value)
    if match and params.get("VALUE", "DATE").upper() != "DATE-TIME":
        return dt.date(*map(int, match.groups())), True, True
    match = _DATETIME_RE.match(value)
    if not match:
        raise ValueError(f"date iCalendar illisible : {value!r}")
    year, month, day, hour, minute, second, utc = match.groups()
    moment = dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
    if utc:
        moment = moment.replace(tzinfo=dt.timezone.utc).astimezone(PARIS)
    elif params.get("TZID"):
        try:
            moment = moment.replace(tzinfo=ZoneInfo(params["TZID"])).astimezone(PARIS)
        except (ZoneInfoNotFoundError, ValueError):
            pass  # unknown zone: keep the wall-clock time as written
    return moment.date(), False, moment.time() == dt.time(0, 0)


def parse_icalendar(text):
    """Read the VEVENTs of an iCalendar text: a list of dicts with ``uid``, ``summary``,
    ``start_date`` and ``end_date`` (both included). Events without a readable
    DTSTART are skipped. An all-day DTEND is exclusive (the day after the last day);
    a DATE-TIME DTEND at midnight is exclusive too."""
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig", errors="replace")
    events = []
    current = None
    for line in _unfold(text):
        parsed = _split_property(line)
        if parsed is None:
            continue
        name, params, value = parsed
        if name == "BEGIN" and value.strip().upper() == "VEVENT":
            current = {}
        elif name == "END" and value.strip().upper() == "VEVENT":
            if current is not None:
                event = _finish_event(current)
                if event is not None:
                    events.append(event)
            current = None
        elif current is not None and name in ("UID", "SUMMARY", "DTSTART", "DTEND", "DURATION"):
            current.setdefault(name, (params, value))
    return events


def _finish_event(raw):
    if "DTSTART" not in raw:
        return None
    try:
        start, all_day, _midnight = _parse_when(raw["DTSTART"][1], raw["DTSTART"][0])
    except ValueError:
        return None
    end = start
    if "DTEND" in raw:
        try:
            end_value, end_all_day, end_midnight = _parse_when(raw["DTEND"][1], raw["DTEND"][0])
        except ValueError:
            end_value, end_all_day, end_midnight = start, all_day, False
        if end_all_day or end_midnight:
            end_value -= dt.timedelta(days=1)  # exclusive end
        end = max(start, end_value)
    elif "DURATION" in raw:
        match = _DURATION_RE.match(raw["DURATION"][1].strip().upper())
        if match:
            days = int(match.group(1) or 0) * 7 + int(match.group(2) or 0)
            end = start + dt.timedelta(days=max(days - 1, 0)) if all_day else start + dt.timedelta(days=days)
    summary = _unescape(raw["SUMMARY"][1]) if "SUMMARY" in raw else ""
    uid = raw["UID"][1].strip() if "UID" in raw else ""
    return {"uid": uid, "summary": summary, "start_date": start, "end_date": end}


def import_icalendar(file_or_text, kind, school_year=None, *, activity=None):
    """Create or update ``CalendarPeriod`` rows from an iCalendar file (a path-less
    file object, bytes or text). Idempotent: an event is matched on its UID, or when it
    has none on (kind, name, first day). Returns ``{"created": n, "updated": n,
    "unchanged": n}``."""
    from django.db import transaction

    from .models import CalendarPeriod

    if kind not in CalendarPeriod.Kind.values:
        raise ValueError(f"type de période inconnu : {kind!r}")
    text = file_or_text.read() if hasattr(file_or_text, "read") else file_or_text
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        for event in parse_icalendar(text):
            name = (event["summary"] or CalendarPeriod.Kind(kind).label)[:120]
            values = {
                "name": name,
                "start_date": event["start_date"],
                "end_date": event["end_date"],
                "school_year_id": school_year.pk if school_year is not None else None,
                "activity_id": activity.pk if activity is not None else None,
            }
            if event["uid"]:
                lookup = {"kind": kind, "uid": event["uid"][:255]}
            else:
                lookup = {"kind": kind, "uid": "", "name": name, "start_date": event["start_date"]}
            existing = CalendarPeriod.objects.filter(**lookup).first()
            if existing is None:
                CalendarPeriod.objects.create(**{**lookup, **values})
                counts["created"] += 1
                continue
            changed = False
            for attr, value in values.items():
                if getattr(existing, attr) != value:
                    setattr(existing, attr, value)
                    changed = True
            if changed:
                existing.save()
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
    return counts
