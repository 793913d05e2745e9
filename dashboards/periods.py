"""The period a statistics page shows: a calendar month or a school year.

A period is named in the query string by ``periode``: ``2026-11`` for a month, or a
school year's label (``2026-2027``, ``services.SchoolYear``). Anything else falls back to
the current month. Dates are the commune's (Europe/Paris); both ends are included.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
MONTHS_OFFERED = 24


@dataclass(frozen=True)
class Period:
    key: str
    kind: str  # "month" or "school_year"
    start: dt.date
    end: dt.date  # included
    label: str

    def months(self):
        """``[(year, month), ...]`` of every month the period touches, in order."""
        year, month = self.start.year, self.start.month
        result = []
        while (year, month) <= (self.end.year, self.end.month):
            result.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return result

    def moments(self):
        """The period as aware datetimes ``[start, end)`` in Paris time."""
        tz = timezone.get_default_timezone()
        start = dt.datetime.combine(self.start, dt.time.min).replace(tzinfo=tz)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min).replace(tzinfo=tz)
        return start, end

    def weeks(self):
        """The Mondays of the weeks the period touches."""
        monday = self.start - dt.timedelta(days=self.start.weekday())
        result = []
        while monday <= self.end:
            result.append(monday)
            monday += dt.timedelta(days=7)
        return result


def month_label(year, month):
    return date_format(dt.date(year, month, 1), "F Y")


def month_period(year, month):
    start = dt.date(year, month, 1)
    following = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return Period(f"{year:04d}-{month:02d}", "month", start, following - dt.timedelta(days=1),
                  month_label(year, month))


def school_year_period(school_year):
    return Period(school_year.label, "school_year", school_year.start_date, school_year.end_date,
                  _("année scolaire %(label)s") % {"label": school_year.label})


def current_period(today=None):
    today = today or timezone.localdate()
    return month_period(today.year, today.month)


def parse_period(value, today=None):
    """The period named ``value``; the current month when it names none."""
    from services.models import SchoolYear

    value = (value or "").strip()
    match = MONTH_RE.match(value)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return month_period(year, month)
    elif value:
        school_year = SchoolYear.objects.filter(label=value).first()
        if school_year is not None:
            return school_year_period(school_year)
    return current_period(today)


def parse_day(value, today=None):
    """The day named ``value`` (YYYY-MM-DD), today otherwise."""
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return today or timezone.localdate()


def period_choices(today=None):
    """Choices for the period selector: the school years, then the last 24 months."""
    from services.models import SchoolYear

    today = today or timezone.localdate()
    years = [(school_year.label, school_year_period(school_year).label)
             for school_year in SchoolYear.objects.order_by("-start_date")]
    months = []
    year, month = today.year, today.month
    for _index in range(MONTHS_OFFERED):
        months.append((f"{year:04d}-{month:02d}", month_label(year, month)))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return [(_("Années scolaires"), years), (_("Mois"), months)]
