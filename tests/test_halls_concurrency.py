"""A hall is never booked twice, even when requests arrive at the same instant: real
parallel connections on PostgreSQL (each thread has its own connection and transaction).

On SQLite these tests are skipped with the reason (SQLite serialises writers; the unique
constraint that makes the guarantee is tested on both in test_halls_hire.py)."""

import datetime as dt
import threading
from unittest import mock

import pytest
from django.db import connection

from halls import hire
from halls.models import HallOccupancy, HallRequest
from tests.fixtures_halls import NOW, make_parent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PARENTS = 8


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("real parallel connections need PostgreSQL (CI runs these tests there)")
    # An earlier transactional test of this worker flushed the tables: content types were
    # made again with new ids, which the cache of this process must not keep.
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def run_in_parallel(functions):
    """Start every function in its own thread and connection at the same instant; return
    each one's result or exception, in order."""
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def worker(index, function):
        from django.db import connections

        try:
            barrier.wait(timeout=30)
            results[index] = function()
        except Exception as error:  # noqa: BLE001 - collected for the assertions
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.fixture
def parents(db):
    return [make_parent(f"parent{i}@example.org", f"FAMILLE{i}") for i in range(PARENTS)]


def request_call(user, hall, slot, day, details):
    return lambda: hire.create_request(user, hall, slot, day, details, now=NOW)


def outcome(results):
    made = [r for r in results if isinstance(r, HallRequest)]
    refused = [r for r in results if isinstance(r, hire.HireRefused)]
    others = [r for r in results if r not in made and r not in refused]
    return made, refused, others


def test_n_parents_requesting_the_same_slot_at_once_get_one_hold(hall, slots, parents, person_details, event_day):
    results = run_in_parallel([request_call(p, hall, slots["day"], event_day, person_details(p)) for p in parents])
    made, refused, others = outcome(results)
    assert others == []
    assert len(made) == 1 and len(refused) == PARENTS - 1
    assert {r.code for r in refused} == {"taken"}
    assert HallRequest.objects.count() == 1
    assert HallOccupancy.objects.count() == 18
    assert HallOccupancy.objects.filter(request=made[0]).count() == 18


def test_all_pass_the_check_before_anyone_inserts_the_database_still_allows_one(hall, slots, parents,
                                                                               person_details, event_day):
    """Force the worst interleaving: every request passes the availability check before any
    of them writes; the unique constraint on (hall, unit) alone decides."""
    real = hire.slot_taken
    checked = threading.Barrier(PARENTS)

    def slow_check(*args, **kwargs):
        taken = real(*args, **kwargs)
        checked.wait(timeout=30)
        return taken

    with mock.patch("halls.hire.slot_taken", side_effect=slow_check):
        results = run_in_parallel([request_call(p, hall, slots["day"], event_day, person_details(p))
                                   for p in parents])
    made, refused, others = outcome(results)
    assert others == []
    assert len(made) == 1 and len(refused) == PARENTS - 1
    assert {r.code for r in refused} == {"taken"}
    assert HallRequest.objects.count() == 1 and HallOccupancy.objects.count() == 18


def test_overlapping_slots_requested_at_once_give_one_hold(hall, slots, parents, person_details, event_day):
    """The weekend, the Saturday, the Saturday evening and the Sunday, at the same instant."""
    sunday = event_day + dt.timedelta(days=1)
    choices = [(slots["weekend"], event_day), (slots["day"], event_day), (slots["evening"], event_day),
               (slots["day"], sunday)] * 2
    real = hire.slot_taken
    checked = threading.Barrier(len(choices))

    def slow_check(*args, **kwargs):
        taken = real(*args, **kwargs)
        checked.wait(timeout=30)
        return taken

    with mock.patch("halls.hire.slot_taken", side_effect=slow_check):
        results = run_in_parallel([request_call(p, hall, slot, day, person_details(p))
                                   for p, (slot, day) in zip(parents, choices)])
    made, refused, others = outcome(results)
    assert others == []
    # The weekend overlaps all the others; Saturday's day, evening and Sunday's day do not
    # overlap each other: either the weekend alone, or up to three of the others.
    holding = list(HallRequest.objects.holding())
    assert len(holding) == len(made) >= 1
    for first in holding:
        for second in holding:
            if first.pk != second.pk:
                assert not (first.starts_at < second.ends_at and second.starts_at < first.ends_at)
    assert HallOccupancy.objects.count() == sum(r.occupancy.count() for r in holding)
    assert {r.code for r in refused} <= {"taken"}


def test_two_staff_approving_the_same_request_at_once_make_one_decision(hall, slots, parents, person_details,
                                                                         event_day, agent):
    from accounts.models import AuditEvent

    pending = hire.create_request(parents[0], hall, slots["day"], event_day, person_details(parents[0]), now=NOW)
    results = run_in_parallel([lambda: hire.approve(pending, agent, now=NOW) for _ in range(4)])
    made, refused, others = outcome(results)
    assert others == [] and len(made) == 1 and len(refused) == 3
    assert AuditEvent.objects.filter(action=AuditEvent.Action.HALL_DECISION, object_id=str(pending.pk)).count() == 1


def test_approving_and_cancelling_at_once_leave_one_consistent_state(hall, slots, parents, person_details,
                                                                     event_day, agent):
    pending = hire.create_request(parents[0], hall, slots["day"], event_day, person_details(parents[0]), now=NOW)
    results = run_in_parallel([lambda: hire.approve(pending, agent, now=NOW),
                               lambda: hire.cancel_by_requester(pending, parents[0], now=NOW)])
    made, refused, others = outcome(results)
    assert others == []
    pending.refresh_from_db()
    # The row lock serialises the two: approved then cancelled by its requester (both
    # succeed, an approved hire may be cancelled), or cancelled first (the approval is
    # refused). Never approved with its slot released, nor cancelled with it held.
    if len(made) == 2:
        assert pending.status == HallRequest.Status.CANCELLED and pending.decided_at is not None
    else:
        assert len(made) == 1 and len(refused) == 1
    if pending.status == HallRequest.Status.CANCELLED:
        assert pending.occupancy.count() == 0
    else:
        assert pending.status == HallRequest.Status.APPROVED and pending.occupancy.count() == 18
