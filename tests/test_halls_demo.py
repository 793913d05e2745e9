"""The hall-hire demo data, and the halls' part of the shared hooks."""

import datetime as dt

import pytest

from halls.models import HallClosure, HallHireTerms, HallOccupancy, HallRequest, HallSlot

pytestmark = pytest.mark.django_db


def test_the_demo_has_slots_for_both_halls_one_approved_hire_and_one_pending_request(demo):
    from services.models import Hall

    for hall in Hall.objects.all():
        assert list(hall.hire_slots.values_list("name", flat=True)) == ["Journée", "Soirée", "Week-end"]
        assert HallHireTerms.objects.get(hall=hall).hold_days == 15
    approved = HallRequest.objects.get(status="approved")
    assert (approved.hall.name, approved.event_date, approved.slot.name) == ("Nymphéas", dt.date(2027, 6, 12),
                                                                            "Journée")
    assert approved.household.name == "MARTIN" and approved.price == 300 and approved.deposit_status == "received"
    assert approved.requester.email == "marie.martin@example.org"
    pending = HallRequest.objects.get(status="pending")
    assert (pending.hall.name, pending.requester_kind, pending.association_name) == (
        "Salle de l'Union", "association", "Les Amis du Quartier")
    assert pending.price == 300 and pending.household is None
    assert approved.occupancy.count() == 18 and pending.occupancy.count() == 16
    assert HallClosure.objects.filter(reason="Travaux d'été").exists()


def test_the_demo_is_idempotent(demo):
    counts = [model.objects.count() for model in (HallSlot, HallHireTerms, HallClosure, HallRequest, HallOccupancy)]
    from halls import demo as halls_demo

    assert halls_demo.load() == {"slots": 6, "closures": 1, "requests": 2}
    assert [model.objects.count() for model in (HallSlot, HallHireTerms, HallClosure, HallRequest,
                                                HallOccupancy)] == counts


def test_the_household_export_holds_the_households_requests(demo):
    from accounts.models import Household, User
    from portal.hooks import HOUSEHOLD_EXPORT, collect

    martin = Household.objects.get(code="F-000101")
    marie = User.objects.get(email="marie.martin@example.org")
    sections = dict(collect(HOUSEHOLD_EXPORT, martin, marie))
    [row] = sections["Locations de salle"]
    assert row["salle"] == "Nymphéas" and row["tarif"] == "300.00" and row["état"] == "acceptée"
    # Sophie made her association's request without a household: it is in her own export,
    # not in the other guardian's.
    sophie = User.objects.get(email="sophie.bernard@example.org")
    bernard = Household.objects.get(code="F-000102")
    [row] = dict(collect(HOUSEHOLD_EXPORT, bernard, sophie))["Locations de salle"]
    assert row["association"] == "Les Amis du Quartier"
    thomas = User.objects.get(email="thomas.petit@example.org")
    assert dict(collect(HOUSEHOLD_EXPORT, bernard, thomas))["Locations de salle"] == []
