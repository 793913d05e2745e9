"""services.demo: the demo commune's services, rules and calendar."""

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from services import demo
from services.calendars import Calendar
from services.deadlines import booking_deadline, can_cancel
from services.models import Activity, CalendarPeriod, DeadlineRule, Hall, SchoolYear, Service

D = dt.date
PARIS = ZoneInfo("Europe/Paris")

pytestmark = pytest.mark.django_db

CODES = [
    "restauration-scolaire",
    "accueil-periscolaire",
    "etablissements-scolaires",
    "centre-de-loisirs",
    "quartier-libre",
    "ecoles-municipales",
    "location-de-salle",
]
MODELS = [Service, Activity, DeadlineRule, SchoolYear, CalendarPeriod, Hall]


def table_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_is_idempotent():
    first = demo.load()
    counts = table_counts()
    second = demo.load()
    assert first == second
    assert table_counts() == counts
    assert counts["Service"] == first["services"] == 7
    assert counts["Activity"] == first["activities"]
    assert counts["CalendarPeriod"] == first["calendar_periods"] == 5 + 11
    assert counts["Hall"] == first["halls"] == 2


def test_demo_prints_only_when_asked(capsys):
    demo.load()
    assert capsys.readouterr().out == ""
    out = io.StringIO()
    demo.load(stdout=out)
    assert "services 7" in out.getvalue()


def test_demo_creates_exactly_the_seven_services():
    demo.load()
    assert list(Service.objects.values_list("code", flat=True)) == CODES
    shapes = dict(Service.objects.values_list("code", "shape"))
    assert shapes == {
        "restauration-scolaire": "daily",
        "accueil-periscolaire": "daily",
        "etablissements-scolaires": "school_enrolment",
        "centre-de-loisirs": "daily",
        "quartier-libre": "sessions",
        "ecoles-municipales": "yearly_course",
        "location-de-salle": "hall_hire",
    }
    assert Service.objects.get(code="etablissements-scolaires").name == "Etablissements scolaires du premier degré"
    assert all(summary.endswith(".") for summary in Service.objects.values_list("summary", flat=True))
    assert all(service.activities.exists() for service in Service.objects.all())


def test_demo_calendar_is_consistent():
    demo.load()
    year = SchoolYear.objects.get(label="2026-2027")
    assert (year.start_date, year.end_date) == (D(2026, 9, 1), D(2027, 7, 3))
    assert year.start_date.weekday() == 1 and year.end_date.weekday() == 5
    holidays = list(CalendarPeriod.objects.filter(kind="school_holiday").order_by("start_date"))
    assert [(h.start_date, h.end_date) for h in holidays] == [
        (D(2026, 10, 18), D(2026, 11, 1)),
        (D(2026, 12, 20), D(2027, 1, 3)),
        (D(2027, 2, 21), D(2027, 3, 7)),
        (D(2027, 4, 18), D(2027, 5, 2)),
        (D(2027, 7, 4), D(2027, 8, 31)),
    ]
    for holiday in holidays[:-1]:
        # The day before is the Saturday "fin des cours", the day after the Monday of return.
        assert (holiday.start_date - dt.timedelta(days=1)).weekday() == 5
        assert (holiday.end_date + dt.timedelta(days=1)).weekday() == 0
        assert year.start_date < holiday.start_date <= holiday.end_date < year.end_date
    assert holidays[-1].start_date == year.end_date + dt.timedelta(days=1)
    public = set(CalendarPeriod.objects.filter(kind="public_holiday").values_list("start_date", flat=True))
    assert public == {
        D(2026, 11, 1), D(2026, 11, 11), D(2026, 12, 25), D(2027, 1, 1), D(2027, 3, 29), D(2027, 5, 1),
        D(2027, 5, 6), D(2027, 5, 8), D(2027, 5, 17), D(2027, 7, 14), D(2027, 8, 15),
    }
    assert all(D(2026, 9, 1) <= day <= D(2027, 8, 31) for day in public)


def test_demo_rules_give_the_communes_deadlines():
    demo.load()
    calendar = Calendar.load()
    canteen = Activity.objects.get(code="cantine-jules-ferry")
    assert canteen.weekdays == [0, 1, 3, 4]
    assert booking_deadline(canteen, D(2026, 11, 9), calendar=calendar) == dt.datetime(2026, 11, 2, 23, 59,
                                                                                        tzinfo=PARIS)
    sick = can_cancel(canteen, D(2026, 11, 9), dt.datetime(2026, 11, 9, 8, 30, tzinfo=PARIS), sick=True,
                      calendar=calendar)
    assert sick.ok and sick.reason_code == "sick_same_day"

    evening = Activity.objects.get(code="accueil-du-soir")
    assert (evening.start_time, evening.end_time) == (dt.time(16, 30), dt.time(18, 0))
    assert booking_deadline(evening, D(2026, 11, 12), calendar=calendar) == dt.datetime(2026, 11, 9, 12, 0,
                                                                                         tzinfo=PARIS)
    wednesday = Activity.objects.get(code="centre-mercredi-journee")
    assert booking_deadline(wednesday, D(2026, 11, 18), calendar=calendar) == dt.datetime(2026, 11, 12, 12, 0,
                                                                                           tzinfo=PARIS)
    holidays = Activity.objects.get(code="centre-vacances-journee")
    # Winter holidays (zone B) begin Sunday 21 February 2027: close on Saturday 6 February at 00:00.
    assert booking_deadline(holidays, D(2027, 3, 1), calendar=calendar) == dt.datetime(2027, 2, 6, 0, 0,
                                                                                       tzinfo=PARIS)
    assert calendar.occurrence_dates(holidays, D(2027, 2, 15), D(2027, 3, 12))[0] == D(2027, 2, 22)

    youth = Activity.objects.get(code="quartier-libre-seances")
    assert youth.capacity == 24
    assert youth.cancellation_rule_id and youth.cancellation_rule_id != youth.booking_rule_id
    stay = Activity.objects.get(shape=Activity.Shape.STAY)
    assert stay.prepayment_required and stay.capacity
    assert all(a.capacity for a in Activity.objects.filter(shape=Activity.Shape.COURSE))
    assert all(a.requires_validation for a in Activity.objects.filter(shape=Activity.Shape.SCHOOL_ENROLMENT))


def test_demo_halls():
    demo.load()
    assert sorted(Hall.objects.values_list("name", flat=True)) == ["Nymphéas", "Salle de l'Union"]
    for hall in Hall.objects.all():
        assert hall.resident_price == Decimal("300.00")
        assert hall.non_resident_price == Decimal("660.00")
        assert hall.deposit == Decimal("550.00")
        assert (hall.first_cancellation_notice_days, hall.second_cancellation_notice_days) == (30, 10)
        assert hall.insurance_required


def test_demo_rows_pass_model_validation():
    demo.load()
    for model in MODELS:
        for instance in model.objects.all():
            instance.full_clean()
