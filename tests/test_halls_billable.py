"""halls.billable: what billing reads to invoice hall hire."""

import datetime as dt
from decimal import Decimal

import pytest

from halls import billable, hire
from tests.fixtures_halls import NOW, PARIS

pytestmark = pytest.mark.django_db


@pytest.fixture
def hires(hall, slots, resident, non_resident, loner, person_details, association_details, agent, cashier,
          event_day):
    approved = hire.approve(hire.create_request(resident, hall, slots["day"], event_day, person_details(resident),
                                                now=NOW), agent, now=NOW)
    association = hire.create_request(non_resident, hall, slots["evening"], event_day, association_details(), now=NOW)
    hire.confirm_insurance(association, agent, now=NOW)
    association = hire.approve(association, agent, now=NOW)
    cancelled = hire.create_request(loner, hall, slots["day"], event_day + dt.timedelta(days=7),
                                    person_details(None), now=NOW)
    hire.confirm_insurance(cancelled, agent, now=NOW)  # no household: staff checked the certificate
    cancelled = hire.approve(cancelled, agent, now=NOW)
    cancel_moment = dt.datetime.combine(cancelled.event_date - dt.timedelta(days=20), dt.time(9), tzinfo=PARIS)
    cancelled = hire.cancel_by_requester(cancelled, loner, now=cancel_moment)
    hire.record_deposit(approved, cashier, "received", now=NOW)
    kept_moment = dt.datetime.combine(event_day + dt.timedelta(days=3), dt.time(10), tzinfo=PARIS)
    hire.record_deposit(approved, cashier, "kept", kept_amount=Decimal("75"), note="Ménage", now=kept_moment)
    pending = hire.create_request(non_resident, hall, slots["day"], event_day + dt.timedelta(days=14),
                                  person_details(non_resident), now=NOW)
    fresh = {name: type(row).objects.get(pk=row.pk) for name, row in
             {"approved": approved, "association": association, "cancelled": cancelled, "pending": pending}.items()}
    return {**fresh, "cancel_moment": cancel_moment, "kept_moment": kept_moment}


def test_month_charges_hold_hires_fees_and_kept_deposits_with_stable_keys(hires, event_day):
    approved, association, cancelled = hires["approved"], hires["association"], hires["cancelled"]
    charges = billable.month_charges(event_day.year, event_day.month)
    expected = {f"hall-hire:{approved.pk}", f"hall-hire:{association.pk}"}
    kept_day = hires["kept_moment"].date()
    if (kept_day.year, kept_day.month) == (event_day.year, event_day.month):
        expected.add(f"hall-deposit-kept:{approved.pk}")
    cancel_day = hires["cancel_moment"].date()
    if (cancel_day.year, cancel_day.month) == (event_day.year, event_day.month):
        expected.add(f"hall-cancellation:{cancelled.pk}")
    assert {charge.key for charge in charges} == expected
    by_key = {charge.key: charge for charge in charges}
    hire_charge = by_key[f"hall-hire:{approved.pk}"]
    assert (hire_charge.kind, hire_charge.amount, hire_charge.household_id, hire_charge.day) == (
        billable.HIRE, Decimal("300.00"), approved.household_id, event_day)
    association_charge = by_key[f"hall-hire:{association.pk}"]
    assert (association_charge.payer_name, association_charge.association_number, association_charge.amount) == (
        "Les Amis du Quartier", "W595001234", Decimal("660.00"))
    assert association_charge.household_id is None and association_charge.requester_id == association.requester_id
    # Nothing is invoiced twice across months, and the pending request is not invoiced.
    all_keys = []
    for month_offset in range(-2, 4):
        month = (event_day.month - 1 + month_offset) % 12 + 1
        year = event_day.year + (event_day.month - 1 + month_offset) // 12
        all_keys += [charge.key for charge in billable.month_charges(year, month)]
    assert len(all_keys) == len(set(all_keys)) == 4
    assert not any(key.endswith(f":{hires['pending'].pk}") for key in all_keys)


def test_charges_of_one_request(hires):
    [fee] = billable.charges_for(hires["cancelled"])
    assert (fee.kind, fee.amount, fee.day) == (billable.CANCELLATION_FEE, Decimal("330.00"),
                                               hires["cancel_moment"].date())
    assert fee.payer_name == "Parent Legrand" and fee.household_id is None
    kinds = [charge.kind for charge in billable.charges_for(hires["approved"])]
    assert kinds == [billable.HIRE, billable.DEPOSIT_KEPT]
    assert billable.charges_for(hires["pending"]) == []


def test_a_commune_cancellation_owes_nothing(hall, slots, resident, person_details, agent, event_day):
    hall_request = hire.approve(hire.create_request(resident, hall, slots["day"], event_day, person_details(resident),
                                                    now=NOW), agent, now=NOW)
    hire.cancel_by_commune(hall_request, agent, "Élections", now=NOW)
    assert billable.month_charges(event_day.year, event_day.month) == []
    assert billable.charges_for(type(hall_request).objects.get(pk=hall_request.pk)) == []


def test_deposits_held(hires, cashier):
    assert billable.deposits_held() == []  # the only deposit received was then kept
    hire.record_deposit(hires["association"], cashier, "received", now=NOW)
    [held] = billable.deposits_held()
    assert (held.request_id, held.amount, held.received_on) == (hires["association"].pk, Decimal("550.00"),
                                                                NOW.date())
    assert billable.deposits_held(on=NOW.date() - dt.timedelta(days=1)) == []


def test_month_charges_query_count(hires, event_day, django_assert_num_queries):
    with django_assert_num_queries(1):
        billable.month_charges(event_day.year, event_day.month)
