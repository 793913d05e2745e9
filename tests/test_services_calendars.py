"""services.calendars: the in-memory calendar and the iCalendar import."""

import datetime as dt
import io

import pytest

from services.calendars import Calendar, Period, import_icalendar, parse_icalendar
from services.models import Activity, CalendarPeriod, SchoolYear, Service

D = dt.date

ZONE_B = (
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//Test//Vacances//FR\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:toussaint-2026-zone-b@example.org\r\n"
    "DTSTART;VALUE=DATE:20261018\r\n"
    "DTEND;VALUE=DATE:20261102\r\n"
    "SUMMARY:Vacances de la \r\n"
    " Toussaint\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:noel-2026-zone-b@example.org\r\n"
    "DTSTART:20261219T230000Z\r\n"
    "DTEND:20270103T230000Z\r\n"
    "SUMMARY:Vacances de Noël\\, zone B\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)

PUBLIC_HOLIDAYS = """BEGIN:VCALENDAR
BEGIN:VEVENT
DTSTART;VALUE=DATE:20261111
SUMMARY:Armistice 1918
END:VEVENT
BEGIN:VEVENT
DTSTART;VALUE=DATE:20261225
DTEND;VALUE=DATE:20261226
SUMMARY:Noël
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Europe/Paris:20270329T000000
DTEND;TZID=Europe/Paris:20270330T000000
SUMMARY:Lundi de Pâques
END:VEVENT
BEGIN:VEVENT
SUMMARY:Sans date
END:VEVENT
END:VCALENDAR
"""


def test_parse_unfolds_lines_and_treats_all_day_dtend_as_exclusive():
    events = parse_icalendar(ZONE_B)
    assert events[0] == {
        "uid": "toussaint-2026-zone-b@example.org",
        "summary": "Vacances de la Toussaint",
        "start_date": D(2026, 10, 18),
        "end_date": D(2026, 11, 1),
    }


def test_parse_date_time_values_in_utc_are_read_in_paris_time():
    noel = parse_icalendar(ZONE_B)[1]
    # 23:00 UTC on 19 December is midnight on 20 December in Paris; the end at midnight is exclusive.
    assert (noel["start_date"], noel["end_date"]) == (D(2026, 12, 20), D(2027, 1, 3))
    assert noel["summary"] == "Vacances de Noël, zone B"


def test_parse_single_days_and_tzid_and_skips_events_without_start():
    events = parse_icalendar(PUBLIC_HOLIDAYS)
    assert [(e["summary"], e["start_date"], e["end_date"]) for e in events] == [
        ("Armistice 1918", D(2026, 11, 11), D(2026, 11, 11)),
        ("Noël", D(2026, 12, 25), D(2026, 12, 25)),
        ("Lundi de Pâques", D(2027, 3, 29), D(2027, 3, 29)),
    ]


@pytest.mark.django_db
def test_import_icalendar_is_idempotent():
    year = SchoolYear.objects.create(label="2026-2027", start_date=D(2026, 9, 1), end_date=D(2027, 7, 3))
    first = import_icalendar(ZONE_B, CalendarPeriod.Kind.SCHOOL_HOLIDAY, school_year=year)
    assert first == {"created": 2, "updated": 0, "unchanged": 0}
    second = import_icalendar(io.StringIO(ZONE_B), CalendarPeriod.Kind.SCHOOL_HOLIDAY, school_year=year)
    assert second == {"created": 0, "updated": 0, "unchanged": 2}
    assert CalendarPeriod.objects.count() == 2
    toussaint = CalendarPeriod.objects.get(uid="toussaint-2026-zone-b@example.org")
    assert (toussaint.start_date, toussaint.end_date) == (D(2026, 10, 18), D(2026, 11, 1))
    assert toussaint.school_year == year
    assert toussaint.kind == CalendarPeriod.Kind.SCHOOL_HOLIDAY

    # A corrected feed updates the row in place.
    corrected = ZONE_B.replace("DTEND;VALUE=DATE:20261102", "DTEND;VALUE=DATE:20261103")
    assert import_icalendar(corrected.encode("utf-8"), "school_holiday", school_year=year) == {
        "created": 0, "updated": 1, "unchanged": 1,
    }
    toussaint.refresh_from_db()
    assert toussaint.end_date == D(2026, 11, 2)
    assert CalendarPeriod.objects.count() == 2


@pytest.mark.django_db
def test_import_without_uid_matches_on_name_and_first_day():
    assert import_icalendar(PUBLIC_HOLIDAYS, CalendarPeriod.Kind.PUBLIC_HOLIDAY)["created"] == 3
    assert import_icalendar(PUBLIC_HOLIDAYS, CalendarPeriod.Kind.PUBLIC_HOLIDAY)["unchanged"] == 3
    assert CalendarPeriod.objects.filter(kind="public_holiday").count() == 3
    calendar = Calendar.load()
    assert calendar.is_public_holiday(D(2027, 3, 29))
    assert not calendar.is_working_day(D(2026, 11, 11))
    assert calendar.is_working_day(D(2026, 11, 12))


@pytest.mark.django_db
def test_import_rejects_an_unknown_kind():
    with pytest.raises(ValueError):
        import_icalendar(ZONE_B, "holidays")


def test_calendar_from_plain_periods():
    calendar = Calendar(
        periods=[
            Period("school_holiday", "Toussaint", D(2026, 10, 18), D(2026, 11, 1)),
            Period("public_holiday", "Armistice", D(2026, 11, 11), D(2026, 11, 11)),
            Period("closure", "Travaux", D(2026, 11, 16), D(2026, 11, 16), activity_id=7),
        ],
        school_years=[(D(2026, 9, 1), D(2027, 7, 3))],
    )
    assert calendar.school_holiday(D(2026, 10, 25)).name == "Toussaint"
    assert calendar.school_holiday(D(2026, 11, 2)) is None
    assert calendar.is_school_day_period(D(2026, 11, 2))
    assert not calendar.is_school_day_period(D(2027, 7, 10))
    assert calendar.closure(D(2026, 11, 16), activity_id=7).name == "Travaux"
    assert calendar.closure(D(2026, 11, 16), activity_id=8) is None
    assert not calendar.is_working_day(D(2026, 11, 14))  # Saturday
    assert not calendar.is_working_day(D(2026, 11, 18), skip_weekdays={2})  # Wednesday skipped


@pytest.mark.django_db
def test_occurrence_dates_follow_weekdays_periods_and_closures():
    service = Service.objects.create(code="s", name="S", shape=Service.Shape.DAILY)
    wednesdays = Activity.objects.create(service=service, code="mercredi", name="Mercredi", shape="daily",
                                         weekdays=[2])
    holidays = Activity.objects.create(service=service, code="vacances", name="Vacances", shape="daily",
                                       weekdays=[0, 1, 2, 3, 4], runs_in_school_periods=False,
                                       runs_in_holidays=True)
    SchoolYear.objects.create(label="2026-2027", start_date=D(2026, 9, 1), end_date=D(2027, 7, 3))
    CalendarPeriod.objects.create(kind="school_holiday", name="Toussaint", start_date=D(2026, 10, 18),
                                  end_date=D(2026, 11, 1))
    CalendarPeriod.objects.create(kind="public_holiday", name="Armistice", start_date=D(2026, 11, 11),
                                  end_date=D(2026, 11, 11))
    CalendarPeriod.objects.create(kind="closure", name="Inventaire", start_date=D(2026, 10, 30),
                                  end_date=D(2026, 10, 30), activity=holidays)
    calendar = Calendar.load()
    assert calendar.occurrence_dates(wednesdays, D(2026, 10, 1), D(2026, 11, 30)) == [
        D(2026, 10, 7), D(2026, 10, 14), D(2026, 11, 4), D(2026, 11, 18), D(2026, 11, 25),
    ]
    holiday_days = calendar.occurrence_dates(holidays, D(2026, 10, 1), D(2026, 11, 30))
    assert holiday_days[0] == D(2026, 10, 19) and holiday_days[-1] == D(2026, 10, 29)
    assert len(holiday_days) == 9  # two weeks of Monday-Friday, less Friday 30 October (closed)
