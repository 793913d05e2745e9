"""The deadline engine (services.deadlines): every rule kind on concrete dates,
daylight-saving changes, public holidays, booking vs cancellation, sick children."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from services import deadlines
from services.calendars import Calendar
from services.deadlines import (
    booking_deadline,
    booking_decisions,
    can_book,
    can_cancel,
    cancellation_deadline,
    local_datetime,
)
from services.models import Activity, CalendarPeriod, DeadlineRule, SchoolYear, Service

PARIS = ZoneInfo("Europe/Paris")
UTC = dt.timezone.utc
D = dt.date
T = dt.time

pytestmark = pytest.mark.django_db


def paris(*args):
    return dt.datetime(*args, tzinfo=PARIS)


def utc(*args):
    return dt.datetime(*args, tzinfo=UTC)


@pytest.fixture
def calendar_2026(db):
    year = SchoolYear.objects.create(label="2026-2027", start_date=D(2026, 9, 1), end_date=D(2027, 7, 3))
    for name, first, last in [
        ("Toussaint", D(2026, 10, 18), D(2026, 11, 1)),
        ("Noël", D(2026, 12, 20), D(2027, 1, 3)),
    ]:
        CalendarPeriod.objects.create(
            kind=CalendarPeriod.Kind.SCHOOL_HOLIDAY, name=name, start_date=first, end_date=last, school_year=year
        )
    for name, day in [
        ("Toussaint", D(2026, 11, 1)),
        ("Armistice", D(2026, 11, 11)),
        ("Noël", D(2026, 12, 25)),
        ("Lundi de Pâques", D(2027, 3, 29)),
    ]:
        CalendarPeriod.objects.create(kind=CalendarPeriod.Kind.PUBLIC_HOLIDAY, name=name, start_date=day, end_date=day)
    return Calendar.load()


@pytest.fixture
def service(db):
    return Service.objects.create(code="test", name="Test", shape=Service.Shape.DAILY)


def rule(name, kind, **fields):
    return DeadlineRule.objects.create(name=name, kind=kind, **fields)


def activity(service, code, **fields):
    fields.setdefault("name", code)
    fields.setdefault("shape", Activity.Shape.DAILY)
    return Activity.objects.create(service=service, code=code, **fields)


# local_datetime and daylight saving -------------------------------------------------

def test_local_datetime_keeps_wall_clock_across_dst():
    summer = local_datetime(D(2026, 10, 24), T(12, 0))
    winter = local_datetime(D(2026, 10, 25), T(12, 0))
    assert summer.utcoffset() == dt.timedelta(hours=2)
    assert winter.utcoffset() == dt.timedelta(hours=1)
    assert (summer.hour, winter.hour) == (12, 12)
    # 24 wall-clock hours apart, 25 real hours apart.
    assert winter.astimezone(UTC) - summer.astimezone(UTC) == dt.timedelta(hours=25)


def test_local_datetime_nonexistent_spring_time_moves_forward():
    moment = local_datetime(D(2027, 3, 28), T(2, 30))
    assert moment.astimezone(UTC) == utc(2027, 3, 28, 1, 30)
    assert (moment.hour, moment.minute) == (3, 30)
    assert moment.utcoffset() == dt.timedelta(hours=2)


def test_local_datetime_ambiguous_autumn_time_takes_the_first():
    moment = local_datetime(D(2026, 10, 25), T(2, 30))
    assert moment.astimezone(UTC) == utc(2026, 10, 25, 0, 30)


# days_before -------------------------------------------------------------------------

def test_days_before(service, calendar_2026):
    canteen = activity(service, "cantine", weekdays=[0, 1, 3, 4], booking_rule=rule(
        "7 jours", DeadlineRule.Kind.DAYS_BEFORE, days=7, time=T(23, 59)))
    deadline = booking_deadline(canteen, D(2026, 10, 12), calendar=calendar_2026)
    assert deadline == paris(2026, 10, 5, 23, 59)
    assert deadline.astimezone(UTC) == utc(2026, 10, 5, 21, 59)


def test_days_before_across_autumn_dst_change(service, calendar_2026):
    canteen = activity(service, "cantine", booking_rule=rule(
        "7 jours", DeadlineRule.Kind.DAYS_BEFORE, days=7, time=T(23, 59)))
    # Occurrence on Monday 2 November 2026 (after the change): deadline Monday 26 October, winter time.
    deadline = booking_deadline(canteen, D(2026, 11, 2), calendar=calendar_2026)
    assert deadline.astimezone(UTC) == utc(2026, 10, 26, 22, 59)
    # Occurrence on Sunday 1 November: deadline on the very day of the change.
    deadline = booking_deadline(canteen, D(2026, 11, 1), calendar=calendar_2026)
    assert deadline.astimezone(UTC) == utc(2026, 10, 25, 22, 59)


def test_days_before_across_spring_dst_change(service, calendar_2026):
    evening = activity(service, "soir", booking_rule=rule(
        "veille 2h30", DeadlineRule.Kind.DAYS_BEFORE, days=1, time=T(2, 30)))
    # 02:30 on Sunday 28 March 2027 does not exist in Paris: it becomes 03:30 summer time.
    deadline = booking_deadline(evening, D(2027, 3, 29), calendar=calendar_2026)
    assert deadline.astimezone(UTC) == utc(2027, 3, 28, 1, 30)
    deadline = booking_deadline(evening, D(2027, 3, 30), calendar=calendar_2026)
    assert deadline.astimezone(UTC) == utc(2027, 3, 29, 0, 30)


# working_days_before -------------------------------------------------------------------

@pytest.fixture
def periscolaire(service):
    return activity(service, "soir", weekdays=[0, 1, 3, 4], start_time=T(16, 30), end_time=T(18, 0),
                    booking_rule=rule("2 jours ouvrés", DeadlineRule.Kind.WORKING_DAYS_BEFORE, days=2, time=T(12, 0)))


@pytest.mark.parametrize(
    "occurrence, expected",
    [
        (D(2026, 10, 8), paris(2026, 10, 6, 12, 0)),   # Thursday → Tuesday
        (D(2026, 10, 5), paris(2026, 10, 1, 12, 0)),   # Monday → Thursday: the weekend does not count
        (D(2026, 10, 6), paris(2026, 10, 2, 12, 0)),   # Tuesday → Friday
        # Thursday 12 November after Armistice (Wednesday 11): Tuesday 10 and Monday 9.
        (D(2026, 11, 12), paris(2026, 11, 9, 12, 0)),
        # Friday 13 November: Thursday 12, then Tuesday 10 (Wednesday 11 is a public holiday).
        (D(2026, 11, 13), paris(2026, 11, 10, 12, 0)),
        # Tuesday 30 March 2027 after Easter Monday: Friday 26 and Thursday 25, before the DST change.
        (D(2027, 3, 30), paris(2027, 3, 25, 12, 0)),
        # Monday 26 October 2026: Thursday 22 and Friday 23, summer time.
        (D(2026, 10, 26), paris(2026, 10, 22, 12, 0)),
    ],
)
def test_working_days_before(periscolaire, calendar_2026, occurrence, expected):
    deadline = booking_deadline(periscolaire, occurrence, calendar=calendar_2026)
    assert deadline == expected
    assert deadline.utcoffset() == expected.utcoffset()


def test_working_days_before_spans_dst(periscolaire, calendar_2026):
    deadline = booking_deadline(periscolaire, D(2027, 3, 31), calendar=calendar_2026)  # Wednesday
    # Tuesday 30 (1), Monday 29 Easter Monday skipped, weekend skipped, Friday 26 (2): winter time.
    assert deadline.astimezone(UTC) == utc(2027, 3, 26, 11, 0)
    deadline = booking_deadline(periscolaire, D(2027, 4, 1), calendar=calendar_2026)  # Thursday
    assert deadline.astimezone(UTC) == utc(2027, 3, 30, 10, 0)  # Tuesday 30, summer time


def test_working_days_before_skips_chosen_weekdays(service, calendar_2026):
    no_wednesday = activity(service, "sans-mercredi", booking_rule=rule(
        "2 jours ouvrés sans mercredi", DeadlineRule.Kind.WORKING_DAYS_BEFORE, days=2, time=T(12, 0),
        skip_weekdays=[2]))
    # Thursday 19 November 2026: Wednesday 18 skipped, Tuesday 17 (1), Monday 16 (2).
    assert booking_deadline(no_wednesday, D(2026, 11, 19), calendar=calendar_2026) == paris(2026, 11, 16, 12, 0)


# weekday_previous_week and weekday_week_minus_n ----------------------------------------

@pytest.fixture
def wednesday(service):
    return activity(service, "mercredi", weekdays=[2], booking_rule=rule(
        "jeudi 12h semaine précédente", DeadlineRule.Kind.WEEKDAY_PREVIOUS_WEEK, weekday=3, time=T(12, 0)))


@pytest.mark.parametrize(
    "occurrence, expected_utc",
    [
        (D(2026, 10, 14), utc(2026, 10, 8, 10, 0)),   # Thursday 8 October, summer time
        (D(2026, 11, 4), utc(2026, 10, 29, 11, 0)),   # Thursday 29 October, winter time (after 25 Oct)
        (D(2027, 3, 31), utc(2027, 3, 25, 11, 0)),    # Thursday 25 March, winter time
        (D(2027, 4, 7), utc(2027, 4, 1, 10, 0)),      # Thursday 1 April, summer time (after 28 Mar)
    ],
)
def test_weekday_previous_week(wednesday, calendar_2026, occurrence, expected_utc):
    deadline = booking_deadline(wednesday, occurrence, calendar=calendar_2026)
    assert deadline.astimezone(UTC) == expected_utc
    assert (deadline.weekday(), deadline.hour, deadline.minute) == (3, 12, 0)


def test_weekday_week_minus_n(service, calendar_2026):
    two_weeks = activity(service, "s-2", booking_rule=rule(
        "vendredi 10h semaine S-2", DeadlineRule.Kind.WEEKDAY_WEEK_MINUS_N, weekday=4, weeks_before=2,
        time=T(10, 0)))
    # Wednesday 14 October 2026 is in the week of Monday 12; week S-2 begins Monday 28 September.
    assert booking_deadline(two_weeks, D(2026, 10, 14), calendar=calendar_2026) == paris(2026, 10, 2, 10, 0)
    # Same deadline for every day of that week.
    assert booking_deadline(two_weeks, D(2026, 10, 18), calendar=calendar_2026) == paris(2026, 10, 2, 10, 0)
    assert booking_deadline(two_weeks, D(2026, 10, 19), calendar=calendar_2026) == paris(2026, 10, 9, 10, 0)


def test_wednesday_booking_decision_at_the_edge(wednesday, calendar_2026):
    occurrence = D(2026, 11, 4)
    at_deadline = can_book(wednesday, occurrence, utc(2026, 10, 29, 11, 0), calendar=calendar_2026)
    assert at_deadline.ok and at_deadline.reason_code == "ok"
    assert at_deadline.deadline == paris(2026, 10, 29, 12, 0)
    assert "jeudi 29 octobre 2026 à 12h00" in at_deadline.message_fr
    late = can_book(wednesday, occurrence, utc(2026, 10, 29, 11, 0, 1), calendar=calendar_2026)
    assert not late.ok and late.reason_code == "deadline_passed"
    assert "dépassé" in late.message_fr


# period_close -----------------------------------------------------------------------

@pytest.fixture
def holiday_rule():
    thursday = rule("jeudi 12h", DeadlineRule.Kind.WEEKDAY_PREVIOUS_WEEK, weekday=3, time=T(12, 0))
    return rule("vacances 15 jours pleins", DeadlineRule.Kind.PERIOD_CLOSE, days=15, time=T(0, 0),
                fallback=thursday)


def test_period_close_for_holiday_occurrences(service, calendar_2026, holiday_rule):
    centre = activity(service, "vacances", weekdays=[0, 1, 2, 3, 4], runs_in_school_periods=False,
                      runs_in_holidays=True, booking_rule=holiday_rule)
    # Toussaint begins Sunday 18 October: 15 full days before is Saturday 3 October at 00:00.
    for occurrence in (D(2026, 10, 19), D(2026, 10, 23), D(2026, 10, 30)):
        assert booking_deadline(centre, occurrence, calendar=calendar_2026) == paris(2026, 10, 3, 0, 0)
    # Christmas holidays begin Sunday 20 December: Saturday 5 December, winter time.
    deadline = booking_deadline(centre, D(2026, 12, 28), calendar=calendar_2026)
    assert deadline.astimezone(UTC) == utc(2026, 12, 4, 23, 0)
    assert can_book(centre, D(2026, 10, 30), paris(2026, 10, 2, 23, 59), calendar=calendar_2026).ok
    refused = can_book(centre, D(2026, 10, 30), paris(2026, 10, 3, 0, 1), calendar=calendar_2026)
    assert refused.reason_code == "deadline_passed"


def test_period_close_outside_holidays_uses_fallback(service, calendar_2026, holiday_rule):
    centre = activity(service, "mercredis", weekdays=[2], booking_rule=holiday_rule)
    assert booking_deadline(centre, D(2026, 10, 14), calendar=calendar_2026) == paris(2026, 10, 8, 12, 0)


def test_period_close_outside_holidays_without_fallback_counts_days(service, calendar_2026):
    centre = activity(service, "mercredis", weekdays=[2], booking_rule=rule(
        "vacances sans repli", DeadlineRule.Kind.PERIOD_CLOSE, days=15, time=T(0, 0)))
    assert booking_deadline(centre, D(2026, 10, 14), calendar=calendar_2026) == paris(2026, 9, 29, 0, 0)


# booking vs cancellation, sick children -----------------------------------------------

def test_separate_booking_and_cancellation_deadlines(service, calendar_2026):
    sessions = activity(
        service, "seances", weekdays=[2, 5], runs_in_holidays=True,
        booking_rule=rule("veille 18h", DeadlineRule.Kind.DAYS_BEFORE, days=1, time=T(18, 0)),
        cancellation_rule=rule("jour même 7h", DeadlineRule.Kind.DAYS_BEFORE, days=0, time=T(7, 0)),
    )
    saturday = D(2026, 10, 10)
    assert booking_deadline(sessions, saturday, calendar=calendar_2026) == paris(2026, 10, 9, 18, 0)
    assert cancellation_deadline(sessions, saturday, calendar=calendar_2026) == paris(2026, 10, 10, 7, 0)
    evening = paris(2026, 10, 9, 19, 0)
    assert can_book(sessions, saturday, evening, calendar=calendar_2026).reason_code == "deadline_passed"
    assert can_cancel(sessions, saturday, evening, calendar=calendar_2026).ok
    assert not can_cancel(sessions, saturday, paris(2026, 10, 10, 7, 1), calendar=calendar_2026).ok


def test_cancellation_rule_defaults_to_booking_rule(periscolaire, calendar_2026):
    assert periscolaire.cancellation_rule is None
    assert cancellation_deadline(periscolaire, D(2026, 10, 8), calendar=calendar_2026) == paris(2026, 10, 6, 12, 0)


def test_no_rule_means_until_the_occurrence_starts(service, calendar_2026):
    free = activity(service, "libre", start_time=T(16, 30))
    assert booking_deadline(free, D(2026, 10, 8), calendar=calendar_2026) == paris(2026, 10, 8, 16, 30)


@pytest.fixture
def canteen(service):
    seven_days = rule("7 jours", DeadlineRule.Kind.DAYS_BEFORE, days=7, time=T(23, 59))
    return activity(service, "cantine", weekdays=[0, 1, 3, 4], booking_rule=seven_days,
                    cancellation_rule=seven_days, same_day_sick_cancellation_until=T(9, 0))


def test_sick_child_same_morning_cancellation(canteen, calendar_2026):
    monday = D(2026, 10, 12)
    before = paris(2026, 10, 12, 8, 59)
    assert not can_cancel(canteen, monday, before, calendar=calendar_2026).ok
    sick = can_cancel(canteen, monday, before, sick=True, calendar=calendar_2026)
    assert sick.ok and sick.reason_code == "sick_same_day"
    assert sick.deadline == paris(2026, 10, 12, 9, 0)
    assert can_cancel(canteen, monday, paris(2026, 10, 12, 9, 0), sick=True, calendar=calendar_2026).ok
    after = can_cancel(canteen, monday, paris(2026, 10, 12, 9, 1), sick=True, calendar=calendar_2026)
    assert not after.ok and after.reason_code == "sick_deadline_passed"
    assert "9h00" in after.message_fr


def test_sick_cancellation_on_the_dst_morning(canteen, calendar_2026):
    # Sunday 25 October 2026, winter time from 03:00: 09:00 Paris is 08:00 UTC.
    sunday = D(2026, 10, 25)
    assert can_cancel(canteen, sunday, utc(2026, 10, 25, 7, 59), sick=True, calendar=calendar_2026).ok
    assert not can_cancel(canteen, sunday, utc(2026, 10, 25, 8, 1), sick=True, calendar=calendar_2026).ok


def test_sick_cancellation_not_offered(periscolaire, calendar_2026):
    decision = can_cancel(periscolaire, D(2026, 10, 8), paris(2026, 10, 8, 7, 0), sick=True, calendar=calendar_2026)
    assert not decision.ok and decision.reason_code == "sick_not_allowed"


# can_book: calendar and activity state -------------------------------------------------

def test_can_book_refuses_days_without_the_activity(canteen, calendar_2026):
    now = paris(2026, 9, 1, 8, 0)
    assert can_book(canteen, D(2026, 10, 12), now, calendar=calendar_2026).ok
    assert can_book(canteen, D(2026, 10, 14), now, calendar=calendar_2026).reason_code == "not_running"  # Wednesday
    assert can_book(canteen, D(2026, 10, 19), now, calendar=calendar_2026).reason_code == "not_running"  # holidays
    assert can_book(canteen, D(2026, 11, 11), now, calendar=calendar_2026).reason_code == "not_running"  # holiday
    CalendarPeriod.objects.create(kind=CalendarPeriod.Kind.CLOSURE, name="Grève", start_date=D(2026, 10, 15),
                                  end_date=D(2026, 10, 16), activity=canteen)
    calendar = Calendar.load()
    assert can_book(canteen, D(2026, 10, 15), now, calendar=calendar).reason_code == "not_running"
    canteen.is_active = False
    assert can_book(canteen, D(2026, 10, 12), now, calendar=calendar).reason_code == "activity_inactive"


def test_naive_now_is_refused(canteen, calendar_2026):
    with pytest.raises(ValueError):
        can_book(canteen, D(2026, 10, 12), dt.datetime(2026, 10, 1, 12, 0), calendar=calendar_2026)


def test_without_calendar_the_engine_loads_it(periscolaire, calendar_2026):
    assert booking_deadline(periscolaire, D(2026, 11, 12)) == paris(2026, 11, 9, 12, 0)


def test_month_view_costs_no_query_per_day(canteen, calendar_2026, django_assert_num_queries):
    with django_assert_num_queries(2):
        calendar = Calendar.load(start=D(2026, 11, 1), end=D(2026, 11, 30))
    loaded = Activity.objects.select_related("service", "booking_rule", "cancellation_rule").get(pk=canteen.pk)
    with django_assert_num_queries(0):
        decisions = booking_decisions(loaded, D(2026, 11, 1), D(2026, 11, 30), paris(2026, 11, 3, 12, 0),
                                      calendar=calendar)
    # Mondays, Tuesdays, Thursdays, Fridays of November 2026, less none (11 Nov is a Wednesday).
    assert len(decisions) == 17
    assert not decisions[D(2026, 11, 2)].ok
    assert decisions[D(2026, 11, 10)].ok  # deadline Tuesday 3 November 23:59
    assert not decisions[D(2026, 11, 9)].ok  # deadline Monday 2 November 23:59


def test_format_deadline_fr_first_of_month():
    assert deadlines.format_deadline_fr(paris(2027, 4, 1, 12, 0)) == "jeudi 1er avril 2027 à 12h00"


def test_staff_override_lifts_the_deadline_only(canteen, calendar_2026):
    late = paris(2026, 10, 10, 12, 0)
    assert not can_book(canteen, D(2026, 10, 12), late, calendar=calendar_2026).ok
    decision = can_book(canteen, D(2026, 10, 12), late, calendar=calendar_2026, override=True)
    assert decision.ok and decision.reason_code == "staff_override"
    assert decision.deadline == paris(2026, 10, 5, 23, 59)
    # A day without the activity stays refused, override or not.
    assert can_book(canteen, D(2026, 10, 14), late, calendar=calendar_2026, override=True).reason_code == (
        "not_running"
    )
    cancel = can_cancel(canteen, D(2026, 10, 12), late, calendar=calendar_2026, override=True)
    assert cancel.ok and cancel.reason_code == "staff_override"
