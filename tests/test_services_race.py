"""The last place cannot be taken twice: real parallel connections on PostgreSQL.

N parents book the same session of M places at the same moment, each in its own
thread with its own database connection (committed transactions, no mocks): exactly M
bookings, the others on the waiting list, and the place counter says M. The same for
cancellations that promote from the waiting list, and for a yearly course's enrolments.
On SQLite (one writer at a time) these tests are skipped; the sequential rules are
tested in test_services_bookings.py and test_services_enrolments.py."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from services import enrolments
from services.bookings import book, cancel
from services.models import Booking, Enrolment, PlaceCounter

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

D = dt.date
SATURDAY = D(2026, 11, 14)
PARENTS = 10
PLACES = 3


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("real parallel connections need PostgreSQL (SQLite writes one transaction at a time)")


def run_together(jobs):
    """Run the callables at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)
    errors = []

    def worker(index, job):
        try:
            barrier.wait(timeout=30)
            results[index] = job()
        except Exception as error:  # reported below, with the thread's traceback lost
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


@pytest.fixture
def session_families(catalogue, make_family, enrol):
    youth = catalogue["quartier-libre-seances"]
    youth.capacity = PLACES
    youth.save()
    families = []
    for index in range(PARENTS):
        household = make_family(f"COURSE{index}", children=(("Sam", D(2013, 3, 3), "none"),))
        enrol(household.kids[0], youth)
        families.append(household)
    return youth, families


def test_n_parents_m_places_exactly_m_bookings(session_families, paris):
    youth, families = session_families
    now = paris(2026, 11, 5, 10)
    outcomes = run_together([
        (lambda h=h: book(h.users[0], h.kids[0], youth, SATURDAY, now=now)) for h in families
    ])
    codes = sorted(o.code for o in outcomes)
    assert codes.count("booked") == PLACES
    assert codes.count("waiting") == PARENTS - PLACES
    assert Booking.objects.filter(activity=youth, day=SATURDAY, status="booked").count() == PLACES
    assert Booking.objects.filter(activity=youth, day=SATURDAY, status="waiting").count() == PARENTS - PLACES
    counter = PlaceCounter.objects.get(activity=youth, day=SATURDAY, scope="booking")
    assert (counter.taken, counter.capacity) == (PLACES, PLACES)


def test_parallel_cancellations_promote_exactly_as_many_from_the_waiting_list(session_families, paris):
    youth, families = session_families
    now = paris(2026, 11, 5, 10)
    for household in families:  # in order: the first three booked, seven waiting
        book(household.users[0], household.kids[0], youth, SATURDAY, now=now)
    leaving = families[:2]
    outcomes = run_together([
        (lambda h=h: cancel(h.users[0], h.kids[0], youth, SATURDAY, now=now)) for h in leaving
    ])
    assert [o.code for o in outcomes] == ["cancelled", "cancelled"]
    booked = set(Booking.objects.filter(activity=youth, day=SATURDAY, status="booked").values_list("child_id",
                                                                                                   flat=True))
    # The two first of the waiting list (families 3 and 4) got the places, nobody else.
    assert booked == {families[2].kids[0].pk, families[3].kids[0].pk, families[4].kids[0].pk}
    assert PlaceCounter.objects.get(activity=youth, day=SATURDAY, scope="booking").taken == PLACES


def test_parallel_enrolments_in_a_full_course(catalogue, make_family, paris):
    course = catalogue["ecole-musique-formation-musicale"]
    course.capacity = 2
    course.save()
    families = [make_family(f"MUSIQUE{i}", children=(("Zoé", D(2017, 1, 1), "CM1"),)) for i in range(6)]
    now = paris(2026, 9, 2, 10)
    results = run_together([
        (lambda h=h: enrolments.request_enrolment(h.users[0], h.kids[0], course, now=now)) for h in families
    ])
    statuses = sorted(e.status for e in results)
    assert statuses.count("pending") == 2 and statuses.count("waiting") == 4
    assert Enrolment.objects.filter(activity=course, status__in=["pending", "active"]).count() == 2
    counter = PlaceCounter.objects.get(activity=course, scope="enrolment")
    assert counter.taken == 2
