"""services.month: the month calendar is built in a constant number of SQL queries,
whatever the number of children, days or activities, and describes each day."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services import month as month_module
from services.bookings import BOOK, Change, apply_changes
from services.models import PlaceCounter

pytestmark = pytest.mark.django_db

D = dt.date
KIDS = (("Emma", D(2018, 5, 4), "CE2"), ("Jules", D(2019, 1, 2), "CE1"), ("Zoé", D(2020, 3, 3), "CP"))
CODES = ("cantine-jules-ferry", "accueil-du-matin", "accueil-du-soir", "centre-mercredi-matin")


@pytest.fixture
def now(paris):
    return paris(2026, 11, 5, 10, 0)


@pytest.fixture
def family(make_family, enrol, catalogue, now):
    household = make_family("TROIS", children=KIDS)
    for kid in household.kids:
        for code in CODES:
            enrol(kid, catalogue[code])
    # Some bookings and a waiting list, so that every kind of day is read.
    changes = [Change(kid, catalogue["cantine-jules-ferry"], D(2026, 11, 16 + n), BOOK)
               for n, kid in enumerate(household.kids)]
    PlaceCounter.objects.create(activity=catalogue["centre-mercredi-matin"], day=D(2026, 11, 18), capacity=1,
                                taken=1)
    changes += [Change(kid, catalogue["centre-mercredi-matin"], D(2026, 11, 18), BOOK) for kid in household.kids]
    apply_changes(household.users[0], changes, now=now)
    return household


def count(family, kids, codes, catalogue, now, first_day=D(2026, 11, 1)):
    with CaptureQueriesContext(connection) as queries:
        month = month_module.month_for(family.users[0], kids, [catalogue[c] for c in codes], first_day, now=now)
    return len(queries), month


def test_the_number_of_queries_does_not_grow_with_children_days_or_activities(family, catalogue, now):
    one_one, _m = count(family, family.kids[:1], CODES[:1], catalogue, now)
    three_one, _m = count(family, family.kids, CODES[:1], catalogue, now)
    one_four, _m = count(family, family.kids[:1], CODES, catalogue, now)
    three_four, month = count(family, family.kids, CODES, catalogue, now)
    february, _m = count(family, family.kids, CODES, catalogue, now, first_day=D(2027, 2, 1))
    assert one_one == three_one == one_four == three_four == february <= 7
    assert len(month.children) == 3 and all(len(child.activities) == 4 for child in month.children)


def test_each_day_has_its_state(family, catalogue, now):
    _n, month = count(family, family.kids, CODES, catalogue, now)
    emma = month.children[0]
    canteen = next(row for row in emma.activities if row.activity.code == "cantine-jules-ferry")
    cells = {cell.day: cell for cell in canteen.cells}
    assert len(canteen.cells) == 30
    assert cells[D(2026, 11, 16)].state == "booked" and cells[D(2026, 11, 16)].changeable
    assert cells[D(2026, 11, 16)].deadline.isoformat() == "2026-11-09T23:59:00+01:00"
    assert cells[D(2026, 11, 17)].state == "not_booked" and cells[D(2026, 11, 17)].changeable
    assert cells[D(2026, 11, 10)].state == "not_booked" and not cells[D(2026, 11, 10)].changeable
    assert "délai est passé" in cells[D(2026, 11, 10)].reason
    assert cells[D(2026, 11, 14)].state == "not_running"
    leisure = {c.day: c for row in month.children[2].activities if row.activity.code == "centre-mercredi-matin"
               for c in row.cells}
    waiting = [child for child in month.children
               for row in child.activities if row.activity.code == "centre-mercredi-matin"
               for cell in row.cells if cell.day == D(2026, 11, 18) and cell.state == "waiting"]
    assert len(waiting) == 3 and leisure[D(2026, 11, 18)].position in (1, 2, 3)
    positions = sorted(cell.position for child in month.children for row in child.activities
                       for cell in row.cells if cell.state == "waiting")
    assert positions == [1, 2, 3]


def test_a_public_holiday_is_shown_closed(make_family, enrol, catalogue, now):
    household = make_family("FERIE")
    enrol(household.kids[0], catalogue["cantine-jules-ferry"])
    month = month_module.month_for(household.users[0], household.kids, [catalogue["cantine-jules-ferry"]],
                                   D(2027, 5, 1), now=now)
    cells = {cell.day: cell for cell in month.children[0].activities[0].cells}
    assert cells[D(2027, 5, 17)].state == "closed" and cells[D(2027, 5, 17)].label == "Fermé (Lundi de Pentecôte)"
    assert cells[D(2027, 5, 12)].state == "not_running"  # a Wednesday


def test_parse_month():
    assert month_module.parse_month("2026-11") == D(2026, 11, 1)
    for bad in ("2026-13", "2026-1", "26-11", "abcd-ef", "", None, "2026-11-01"):
        assert month_module.parse_month(bad) is None
