"""The benchmark's commune generator (bench/generate_commune.py) at a tiny size: the
counts asked for, bookings only on days the activity runs, every booking covered by an
active enrolment, the place counters equal to the booked rows; and the benchmark
(bench/bench_bookings.py) running end to end on it (figures not checked: no timed test)."""

import io
import random
from collections import Counter

import pytest

from bench.generate_commune import CODE_PREFIX, generate, household_sizes

pytestmark = pytest.mark.django_db


def test_household_sizes_give_the_children_asked_for():
    sizes = household_sizes(5000, 8000, random.Random(1))
    assert len(sizes) == 5000 and sum(sizes) == 8000
    assert sizes[:3] == [3, 1, 1]  # the benchmark's households come first
    counts = Counter(sizes)
    assert counts[3] == 500 and set(counts) == {1, 2, 3}
    assert sizes == household_sizes(5000, 8000, random.Random(1))  # seeded
    with pytest.raises(ValueError):
        household_sizes(10, 40, random.Random(1))


def test_the_generated_commune_is_consistent():
    from accounts.models import Child, Household, User
    from home.acceptance import acceptance_refusal
    from services.calendars import Calendar
    from services.models import Activity, Booking, Enrolment, PlaceCounter
    from services.rules import actor_for

    commune = generate(households=12, children=20, seed=7)

    households = Household.objects.filter(code__startswith=CODE_PREFIX)
    assert households.count() == 12 == commune.counts["households"]
    children = Child.objects.filter(household__code__startswith=CODE_PREFIX)
    assert children.count() == 20 == commune.counts["children"]
    three = Household.objects.get(pk=commune.three_children_household_id)
    assert three.children.count() == 3
    assert Household.objects.get(pk=commune.one_child_household_id).children.count() == 1

    # The benchmark parent may book for each of the three children (rights, regulation).
    parent = User.objects.get(email=commune.three_children_parent_email)
    assert acceptance_refusal(parent) is None
    for child in three.children.all():
        assert actor_for(parent, child).is_agent is False
    # ... and its children use every daily activity of the three calendars measured.
    used = set(Enrolment.objects.filter(household=three).values_list("activity__code", flat=True))
    assert {"accueil-du-matin", "accueil-du-soir"} <= used and len(used) >= 5

    bookings = list(Booking.objects.filter(household__code__startswith=CODE_PREFIX)
                    .select_related("activity", "child"))
    assert len(bookings) == commune.counts["bookings"] > 20 * 100  # a school year: about 150 days a child
    start, end = commune.school_year
    calendar = Calendar.load(start=start, end=end)
    enrolments = {}
    for enrolment in Enrolment.objects.filter(household__code__startswith=CODE_PREFIX):
        assert enrolment.status == Enrolment.Status.ACTIVE
        enrolments.setdefault((enrolment.child_id, enrolment.activity_id), []).append(enrolment)
    for booking in bookings:
        assert calendar.runs_on(booking.activity, booking.day), booking
        assert booking.household_id == booking.child.household_id
        assert any(e.covers(booking.day) for e in enrolments[(booking.child_id, booking.activity_id)]), booking
    statuses = Counter(b.status for b in bookings)
    assert statuses[Booking.Status.BOOKED] > statuses[Booking.Status.CANCELLED] > 0

    # Canteen four days a week for most: Monday, Tuesday, Thursday, Friday only.
    canteen_days = {b.day.weekday() for b in bookings if b.activity.serves_meal}
    assert canteen_days == {0, 1, 3, 4}

    # One place counter per occurrence with bookings, equal to its booked rows, never over.
    booked = Counter(Booking.objects.filter(status=Booking.Status.BOOKED).values_list("activity_id", "day"))
    counters = {(c.activity_id, c.day): c for c in PlaceCounter.objects.filter(scope=PlaceCounter.Scope.BOOKING)}
    for key, count in booked.items():
        assert counters[key].taken == count, key
        assert counters[key].capacity is None or counters[key].taken <= counters[key].capacity

    # The weekly pattern's child: enrolled in its canteen, nothing booked yet.
    canteen = Activity.objects.get(code=commune.canteen_code)
    assert Enrolment.objects.filter(child_id=commune.pattern_child_id, activity=canteen).exists()
    assert not Booking.objects.filter(child_id=commune.pattern_child_id).exists()


def test_the_benchmark_runs_at_a_tiny_size():
    from bench.bench_bookings import run
    from services.models import Booking

    out = io.StringIO()
    commune = run(households=8, children=12, runs=2, out=out)
    text = out.getvalue()
    assert "(a) parent's month calendar" in text and "HTTP" not in text  # every page answered 200
    assert text.count("3 children,") >= 5 and "1 child, canteen" in text
    # The month calendar reads a constant number of queries (issue 5).
    assert "same number of queries in every case and every run: yes" in text
    assert "(b) weekly pattern" in text and "applied" in text
    assert Booking.objects.filter(child_id=commune.pattern_child_id, status="booked").count() > 50
