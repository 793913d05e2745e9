"""halls.hire: every rule of a hall request, its decision, cancellation and deposit."""

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone
from django.core import mail
from django.core.exceptions import PermissionDenied

from accounts.models import AuditEvent
from halls import hire
from halls.models import HallClosure, HallHireTerms, HallOccupancy, HallRequest, occupancy_units
from tests.fixtures_halls import NOW, PARIS, make_parent

pytestmark = pytest.mark.django_db

Status = HallRequest.Status


def create(user, hall, slot, day, details, now=NOW):
    return hire.create_request(user, hall, slot, day, details, now=now)


def refusal_of(function, *args, **kwargs):
    with pytest.raises(hire.HireRefused) as caught:
        function(*args, **kwargs)
    return caught.value


def counts():
    return (HallRequest.objects.count(), HallOccupancy.objects.count(), AuditEvent.objects.count())


# --- Price follows residence -------------------------------------------------------------


def test_a_resident_household_pays_the_resident_price_and_the_slot_is_held(hall, slots, resident, person_details,
                                                                          event_day):
    hall_request = create(resident, hall, slots["day"], event_day, person_details(resident))
    assert hall_request.status == Status.PENDING
    assert (hall_request.resident, hall_request.price, hall_request.deposit) == (True, Decimal("300.00"),
                                                                                Decimal("550.00"))
    assert hall_request.household.name == "LEGRAND"
    assert hall_request.reference == f"SAL-2027-{hall_request.pk:05d}"
    start = dt.datetime.combine(event_day, dt.time(9), tzinfo=PARIS)
    assert (hall_request.starts_at, hall_request.ends_at) == (start, start + dt.timedelta(hours=9))
    # 9 hours of 30-minute units, one row each.
    assert hall_request.occupancy.count() == 18
    # The hold lasts 15 days (default terms).
    assert hall_request.expires_at == NOW + dt.timedelta(days=15)


def test_a_non_resident_household_pays_the_non_resident_price(hall, slots, non_resident, person_details, event_day):
    hall_request = create(non_resident, hall, slots["day"], event_day, person_details(non_resident))
    assert (hall_request.resident, hall_request.price) == (False, Decimal("660.00"))


def test_a_user_without_household_pays_the_non_resident_price(hall, slots, loner, person_details, event_day):
    hall_request = create(loner, hall, slots["day"], event_day, person_details(None))
    assert hall_request.household is None
    assert (hall_request.resident, hall_request.price) == (False, Decimal("660.00"))


@pytest.mark.parametrize("seat, price", [(True, "300.00"), (False, "660.00")])
def test_an_association_pays_according_to_its_declared_seat(hall, slots, resident, association_details, event_day,
                                                            seat, price):
    details = association_details(association_seat_in_commune=seat, association_number="w 595 001 234")
    hall_request = create(resident, hall, slots["day"], event_day, details)
    assert hall_request.household is None  # the association hires, not the family
    assert hall_request.requester_kind == "association"
    assert hall_request.association_number == "W595001234"
    assert hall_request.price == Decimal(price)


def test_the_price_frozen_in_the_request_does_not_follow_later_tariff_changes(hall, slots, resident, person_details,
                                                                            event_day):
    hall_request = create(resident, hall, slots["day"], event_day, person_details(resident))
    hall.resident_price = Decimal("999.00")
    hall.first_cancellation_fee_percent = Decimal("90")
    hall.save()
    hall_request.refresh_from_db()
    assert hall_request.price == Decimal("300.00")
    assert hall_request.first_cancellation_fee_percent == Decimal("50")


# --- Each rule refuses, and nothing is written --------------------------------------------


def test_the_regulation_gate_refuses_and_nothing_is_written(hall, slots, resident, person_details, event_day):
    before = counts()
    with mock.patch("home.acceptance.acceptance_refusal", return_value="Acceptez le règlement en vigueur."):
        refusal = refusal_of(create, resident, hall, slots["day"], event_day, person_details(resident))
    assert (refusal.code, refusal.message) == ("regulation", "Acceptez le règlement en vigueur.")
    assert counts() == before


@pytest.mark.parametrize("case, code", [
    ("inactive_hall", "hall"),
    ("slot_of_another_hall", "slot"),
    ("inactive_slot", "slot"),
    ("wrong_weekday", "weekday"),
    ("past", "past"),
    ("too_soon", "notice"),
    ("too_far", "advance"),
    ("closed", "closed"),
    ("closed_every_hall", "closed"),
    ("closed_on_the_morning_after", "closed"),
    ("too_many_guests", "capacity"),
    ("no_guests", "guests"),
    ("no_contact", "contact"),
    ("no_event", "event"),
    ("bad_association_number", "association"),
    ("someone_elses_household", "household"),
    ("no_household_chosen", "household"),
    ("paper_only", "paper_only"),
])
def test_each_rule_refuses_with_its_reason_and_writes_nothing(hall, other_hall, slots, resident, person_details,
                                                             association_details, event_day, case, code):
    from tests.fixtures_halls import make_slots

    user, slot, day, details = resident, slots["day"], event_day, person_details(resident)
    if case == "inactive_hall":
        hall.is_active = False
        hall.save()
    elif case == "slot_of_another_hall":
        slot = make_slots(other_hall)["day"]
    elif case == "inactive_slot":
        slot.is_active = False
        slot.save()
    elif case == "wrong_weekday":
        slot, day = slots["weekend"], event_day + dt.timedelta(days=1)  # a weekend starts on Saturday only
    elif case == "past":
        day = NOW.date() - dt.timedelta(days=2)
    elif case == "too_soon":
        day = NOW.date() + dt.timedelta(days=14)  # at least 15 days before
    elif case == "too_far":
        day = NOW.date() + dt.timedelta(days=366)
    elif case == "closed":
        HallClosure.objects.create(hall=hall, start_date=event_day, end_date=event_day, reason="Élections")
    elif case == "closed_every_hall":
        HallClosure.objects.create(hall=None, start_date=event_day - dt.timedelta(days=3), end_date=event_day,
                                   reason="Fête communale")
    elif case == "closed_on_the_morning_after":
        # The evening ends at 02:00 on Sunday, a closed day.
        slot = slots["evening"]
        HallClosure.objects.create(hall=hall, start_date=event_day + dt.timedelta(days=1),
                                   end_date=event_day + dt.timedelta(days=1), reason="Travaux")
    elif case == "too_many_guests":
        details = person_details(resident, expected_guests=201)
    elif case == "no_guests":
        details = person_details(resident, expected_guests=0)
    elif case == "no_contact":
        details = person_details(resident, contact_phone="  ")
    elif case == "no_event":
        details = person_details(resident, event_description="")
    elif case == "bad_association_number":
        details = association_details(association_number="12345678901234")  # wrong Luhn key
    elif case == "someone_elses_household":
        other = make_parent("autre@example.org", "AUTRE")
        details = person_details(other)
    elif case == "no_household_chosen":
        details = person_details(None)  # the user has a household: it must be named
    elif case == "paper_only":
        user = make_parent("papier@example.org", "PAPIER", paper_only=True)
        details = person_details(user)
    before = counts()
    refusal = refusal_of(create, user, hall, slot, day, details)
    assert refusal.code == code
    assert refusal.message
    assert counts() == before


def test_the_notice_rules_follow_the_hall_terms(hall, slots, resident, person_details):
    HallHireTerms.objects.create(hall=hall, min_notice_days=30, max_advance_days=60, hold_days=5)
    too_soon = NOW.date() + dt.timedelta(days=29)
    assert "30 jours" in refusal_of(create, resident, hall, slots["day"], too_soon, person_details(resident)).message
    assert refusal_of(create, resident, hall, slots["day"], NOW.date() + dt.timedelta(days=61),
                      person_details(resident)).code == "advance"
    day = NOW.date() + dt.timedelta(days=30)
    hall_request = create(resident, hall, slots["day"], day, person_details(resident))
    assert hall_request.expires_at == NOW + dt.timedelta(days=5)


def test_a_missing_insurance_certificate_refuses_a_household_request(hall, slots, resident, person_details,
                                                                    event_day):
    from documents.models import DocumentType

    DocumentType.objects.create(code="assurance-salle", name="Attestation d'assurance", required_for_hall_hire=True)
    before = counts()
    with mock.patch("documents.rules.missing_documents", return_value=["Attestation d'assurance"]) as missing:
        refusal = refusal_of(create, resident, hall, slots["day"], event_day, person_details(resident))
    household = resident.guardianships.get().household
    missing.assert_called_once_with(household, None, None, event_day, hall_hire=True)
    assert refusal.code == "documents"
    assert refusal.missing_documents == ["Attestation d'assurance"]
    assert "Attestation d'assurance" in refusal.message
    assert counts() == before


def test_the_upload_links_follow_the_state_of_the_insurance_certificate(hall, slots, resident, person_details,
                                                                        event_day):
    """Missing: a link to the upload screen with the type and the way back; awaiting
    validation: no link (the commune has it); refused: a link to send another."""
    from documents.models import DocumentType, SupportingDocument
    from documents.rules import upload_links

    kind = DocumentType.objects.create(code="assurance-salle", name="Attestation d'assurance",
                                       scope=DocumentType.Scope.HOUSEHOLD, required_for_hall_hire=True)
    household = resident.guardianships.get().household
    back = "/fr/location-de-salle/espace/salles/1/demande/"
    refusal = refusal_of(create, resident, hall, slots["day"], event_day, person_details(resident))
    assert refusal.code == "documents" and refusal.household == household and refusal.day == event_day
    [link] = upload_links(refusal.household, None, None, refusal.day, back, hall_hire=True)
    assert link["name"] == "Attestation d'assurance" and not link["pending"]
    assert link["url"] == ("/fr/justificatifs/deposer/?type=assurance-salle&next=%2Ffr%2Flocation-de-salle%2F"
                           "espace%2Fsalles%2F1%2Fdemande%2F")
    document = SupportingDocument.objects.create(household=household, document_type=kind, status="pending")
    [link] = upload_links(household, None, None, event_day, back, hall_hire=True)
    assert link["pending"] and link["url"] is None and link["name"] == "Attestation d'assurance"
    SupportingDocument.objects.filter(pk=document.pk).update(status="rejected", rejection_reason="Illisible",
                                                               reviewed_at=timezone.now())
    [link] = upload_links(household, None, None, event_day, back, hall_hire=True)
    assert not link["pending"] and link["url"].startswith("/fr/justificatifs/deposer/?type=assurance-salle")


def test_a_hall_without_insurance_requirement_does_not_ask_for_it(hall, slots, resident, person_details, event_day):
    hall.insurance_required = False
    hall.save()
    with mock.patch("documents.rules.missing_documents", return_value=["Attestation d'assurance"]) as missing:
        hall_request = create(resident, hall, slots["day"], event_day, person_details(resident))
    missing.assert_not_called()
    assert hire.insurance_ok(hall_request)


def test_anonymous_and_inactive_users_cannot_request(hall, slots, resident, person_details, event_day):
    from django.contrib.auth.models import AnonymousUser

    assert refusal_of(create, AnonymousUser(), hall, slots["day"], event_day, person_details()).code == "login"
    resident.is_active = False
    assert refusal_of(create, resident, hall, slots["day"], event_day, person_details(resident)).code == "login"


# --- Never twice ------------------------------------------------------------------------


def test_the_same_slot_cannot_be_requested_twice(hall, slots, resident, non_resident, person_details, event_day):
    create(resident, hall, slots["day"], event_day, person_details(resident))
    before = counts()
    refusal = refusal_of(create, non_resident, hall, slots["day"], event_day, person_details(non_resident))
    assert refusal.code == "taken"
    assert counts() == before


@pytest.mark.parametrize("first, second, offset_days", [
    ("weekend", "day", 0),  # the weekend holds Saturday's day
    ("weekend", "day", 1),  # ... and Sunday's
    ("weekend", "evening", 0),  # ... and Saturday evening
    ("day", "weekend", 0),
    ("evening", "weekend", 0),
])
def test_overlapping_slots_cannot_both_be_held(hall, slots, resident, non_resident, person_details, event_day,
                                               first, second, offset_days):
    create(resident, hall, slots[first], event_day, person_details(resident))
    refusal = refusal_of(create, non_resident, hall, slots[second], event_day + dt.timedelta(days=offset_days),
                         person_details(non_resident))
    assert refusal.code == "taken"


def test_adjacent_slots_and_other_halls_are_free(hall, other_hall, slots, resident, non_resident, person_details,
                                                event_day):
    from tests.fixtures_halls import make_slots

    create(resident, hall, slots["day"], event_day, person_details(resident))
    # 09:00–18:00 then 18:00–02:00: they touch, they do not overlap.
    create(non_resident, hall, slots["evening"], event_day, person_details(non_resident))
    # The same slot in another hall.
    create(non_resident, other_hall, make_slots(other_hall)["day"], event_day, person_details(non_resident))
    # The next day's day slot starts after the evening ended at 02:00.
    create(non_resident, hall, slots["day"], event_day + dt.timedelta(days=1), person_details(non_resident))
    assert HallRequest.objects.holding().count() == 4


def test_the_database_refuses_a_second_hold_on_a_unit_even_without_the_check(hall, slots, resident, person_details,
                                                                            event_day):
    from django.db import IntegrityError, transaction

    first = create(resident, hall, slots["day"], event_day, person_details(resident))
    unit = first.occupancy.order_by("starts_at").first().starts_at
    second = HallRequest.objects.get(pk=first.pk)
    second.pk, second.reference = None, None
    second.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        HallOccupancy.objects.create(hall=hall, starts_at=unit, request=second)


def test_a_racing_request_that_loses_at_the_insert_gets_a_clear_message_and_leaves_nothing(
        hall, slots, resident, non_resident, person_details, event_day):
    create(resident, hall, slots["day"], event_day, person_details(resident))
    before = counts()
    # As if the other request had committed between the check and the insert.
    with mock.patch("halls.hire.slot_taken", return_value=False):
        refusal = refusal_of(create, non_resident, hall, slots["weekend"], event_day, person_details(non_resident))
    assert refusal.code == "taken"
    assert counts() == before


# --- Holding and expiry -----------------------------------------------------------------


def test_a_lapsed_pending_request_expires_and_frees_its_slot(hall, slots, resident, non_resident, person_details,
                                                            event_day, django_capture_on_commit_callbacks):
    first = create(resident, hall, slots["day"], event_day, person_details(resident))
    later = NOW + dt.timedelta(days=15, minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert hire.expire_lapsed(now=later) == 1
    first.refresh_from_db()
    assert first.status == Status.EXPIRED and first.occupancy.count() == 0
    event = AuditEvent.objects.filter(action=AuditEvent.Action.HALL_DECISION, object_id=str(first.pk)).get()
    assert event.after == {"status": "expired"} and event.actor is None
    assert [m.subject for m in mail.outbox] == [f"Demande de location {first.reference} expirée — Nymphéas"]
    # Idempotent: nothing more to do.
    assert hire.expire_lapsed(now=later) == 0
    assert AuditEvent.objects.filter(object_id=str(first.pk), action=AuditEvent.Action.HALL_DECISION).count() == 1
    # The slot is free again.
    assert create(non_resident, hall, slots["day"], event_day, person_details(non_resident), now=later)


def test_a_new_request_on_a_lapsed_hold_expires_it_first(hall, slots, resident, non_resident, person_details,
                                                        event_day):
    first = create(resident, hall, slots["day"], event_day, person_details(resident))
    later = NOW + dt.timedelta(days=16)
    second = create(non_resident, hall, slots["day"], event_day, person_details(non_resident), now=later)
    first.refresh_from_db()
    assert first.status == Status.EXPIRED
    assert second.occupancy.count() == 18


def test_the_hold_never_outlasts_the_start_of_the_hire(hall, slots, resident, person_details):
    HallHireTerms.objects.create(hall=hall, min_notice_days=1, max_advance_days=365, hold_days=30)
    day = NOW.date() + dt.timedelta(days=3)
    hall_request = create(resident, hall, slots["day"], day, person_details(resident))
    assert hall_request.expires_at == dt.datetime.combine(day, dt.time(9), tzinfo=PARIS)


def test_the_periodic_job_is_registered():
    from portal.hooks import PERIODIC_JOBS, collect

    jobs = [job for entries in collect(PERIODIC_JOBS) for job in entries if job["name"].startswith("halls.")]
    assert [job["name"] for job in jobs] == ["halls.expire_lapsed_requests"]
    assert jobs[0]["every"] == dt.timedelta(minutes=15)
    assert jobs[0]["run"](NOW) == 0


# --- Decisions --------------------------------------------------------------------------


@pytest.fixture
def pending(hall, slots, resident, person_details, event_day):
    return create(resident, hall, slots["day"], event_day, person_details(resident))


def test_staff_approve_a_pending_request_the_requester_is_told_in_their_language(
        pending, agent, resident, django_capture_on_commit_callbacks):
    resident.preferred_language = "en"
    resident.save()
    with django_capture_on_commit_callbacks(execute=True):
        hire.approve(pending, agent, note="Clés à retirer le vendredi.", now=NOW + dt.timedelta(days=1))
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by, pending.expires_at) == (Status.APPROVED, agent, None)
    assert pending.occupancy.count() == 18  # still held
    event = AuditEvent.objects.get(action=AuditEvent.Action.HALL_DECISION, object_id=str(pending.pk))
    assert event.actor == agent and event.household == pending.household and event.acting_for_family
    assert event.before == {"status": "pending"} and event.after["status"] == "approved"
    [message] = mail.outbox
    assert message.to == sorted({"resident@example.org", "contact@example.org"})
    assert message.subject == f"Hire {pending.reference} approved — Nymphéas"
    assert "Clés à retirer le vendredi." in message.body


def test_an_association_request_waits_for_the_insurance_check_before_approval(
        hall, slots, resident, association_details, event_day, agent):
    hall_request = create(resident, hall, slots["day"], event_day, association_details())
    assert not hire.insurance_ok(hall_request)
    refusal = refusal_of(hire.approve, hall_request, agent, now=NOW)
    assert refusal.code == "insurance"
    assert HallRequest.objects.get(pk=hall_request.pk).status == Status.PENDING
    hire.confirm_insurance(hall_request, agent, now=NOW)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.HALL_DECISION, object_id=str(hall_request.pk),
                                     summary__startswith="Attestation").count() == 1
    assert refusal_of(hire.confirm_insurance, hall_request, agent, now=NOW).code == "already"
    hire.approve(hall_request, agent, now=NOW)
    assert HallRequest.objects.get(pk=hall_request.pk).status == Status.APPROVED


def test_approval_rechecks_the_household_documents(pending, agent):
    with mock.patch("documents.rules.missing_documents", return_value=["Attestation d'assurance"]):
        assert refusal_of(hire.approve, pending, agent, now=NOW).code == "insurance"
    assert HallRequest.objects.get(pk=pending.pk).status == Status.PENDING


def test_a_lapsed_or_decided_request_cannot_be_approved(pending, agent, cashier):
    assert refusal_of(hire.approve, pending, agent, now=NOW + dt.timedelta(days=15)).code == "expired"
    hire.approve(pending, agent, now=NOW)
    before = counts()
    assert refusal_of(hire.approve, pending, agent, now=NOW).code == "status"
    assert refusal_of(hire.refuse, pending, agent, "Trop tard", now=NOW).code == "status"
    assert counts() == before
    with pytest.raises(PermissionDenied):
        hire.approve(pending, cashier, now=NOW)  # cashiers record deposits, they do not decide


def test_two_approvals_of_one_request_make_one_transition(pending, agent):
    stale = HallRequest.objects.get(pk=pending.pk)
    hire.approve(pending, agent, now=NOW)
    # The second decision was prepared on the same pending request.
    assert refusal_of(hire.approve, stale, agent, now=NOW).code == "status"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.HALL_DECISION, object_id=str(pending.pk)).count() == 1


def test_the_conditional_update_refuses_a_change_made_meanwhile(pending):
    HallRequest.objects.filter(pk=pending.pk).update(status=Status.REFUSED, decision_reason="x")
    assert refusal_of(hire._transition, pending, Status.PENDING, status=Status.APPROVED).code == "stale"
    assert HallRequest.objects.get(pk=pending.pk).status == Status.REFUSED


def test_refusal_needs_a_reason_and_frees_the_slot(pending, agent, non_resident, slots, person_details, event_day,
                                                   hall, django_capture_on_commit_callbacks):
    assert refusal_of(hire.refuse, pending, agent, "   ", now=NOW).code == "reason"
    assert HallRequest.objects.get(pk=pending.pk).status == Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        hire.refuse(pending, agent, "La salle est réservée pour une cérémonie.", now=NOW)
    pending.refresh_from_db()
    assert pending.status == Status.REFUSED and pending.occupancy.count() == 0
    assert "La salle est réservée pour une cérémonie." in mail.outbox[0].body
    assert mail.outbox[0].subject.startswith(f"Demande de location {pending.reference} refusée")
    assert create(non_resident, hall, slots["day"], event_day, person_details(non_resident))


def test_the_database_refuses_a_refusal_without_reason(pending):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        HallRequest.objects.filter(pk=pending.pk).update(status=Status.REFUSED, decision_reason="")


def test_staff_cancel_for_the_commune_without_fee(pending, agent, django_capture_on_commit_callbacks):
    hire.approve(pending, agent, now=NOW)
    assert refusal_of(hire.cancel_by_commune, pending, agent, "", now=NOW).code == "reason"
    with django_capture_on_commit_callbacks(execute=True):
        hire.cancel_by_commune(pending, agent, "Bureau de vote", now=pending.starts_at - dt.timedelta(days=2))
    pending.refresh_from_db()
    assert (pending.status, pending.cancelled_by_commune, pending.cancellation_fee) == (Status.CANCELLED, True,
                                                                                       Decimal("0.00"))
    assert pending.occupancy.count() == 0
    assert "Bureau de vote" in mail.outbox[-1].body


# --- Cancellation by the requester, fees at each notice tier ------------------------------


@pytest.mark.parametrize("days_before, fee", [
    (40, "0.00"),
    (31, "0.00"),
    (30, "0.00"),  # 30 days' notice: still free
    (29, "150.00"),  # less than 30 days: 50 %
    (11, "150.00"),
    (10, "150.00"),  # 10 days' notice: still the first tier
    (9, "300.00"),  # less than 10 days: 100 %
    (1, "300.00"),
    (0, "300.00"),  # the same morning, before it starts
])
def test_cancelling_an_approved_hire_costs_the_fee_of_its_notice_tier(pending, agent, resident, days_before, fee,
                                                                      django_capture_on_commit_callbacks):
    pending = hire.approve(pending, agent, now=NOW)
    moment = dt.datetime.combine(pending.event_date - dt.timedelta(days=days_before), dt.time(8), tzinfo=PARIS)
    assert hire.cancellation_fee_for(pending, now=moment) == Decimal(fee)
    with django_capture_on_commit_callbacks(execute=True):
        hire.cancel_by_requester(pending, resident, now=moment)
    pending.refresh_from_db()
    assert (pending.status, pending.cancellation_fee) == (Status.CANCELLED, Decimal(fee))
    assert pending.occupancy.count() == 0
    event = AuditEvent.objects.get(action=AuditEvent.Action.CANCELLATION, object_id=str(pending.pk))
    assert event.actor == resident and event.after == {"status": "cancelled", "fee": fee}


def test_fees_apply_to_the_non_resident_price(hall, slots, non_resident, person_details, event_day, agent):
    hall_request = create(non_resident, hall, slots["day"], event_day, person_details(non_resident))
    hall_request = hire.approve(hall_request, agent, now=NOW)
    moment = dt.datetime.combine(event_day - dt.timedelta(days=20), dt.time(12), tzinfo=PARIS)
    assert hire.cancellation_fee_for(hall_request, now=moment) == Decimal("330.00")


def test_the_fee_tiers_shown_before_confirming_match_what_cancelling_costs(pending):
    free, first, second = hire.fee_tiers(pending)
    event = pending.event_date
    assert (free.first_day, free.last_day, free.amount) == (None, event - dt.timedelta(days=30), Decimal("0.00"))
    assert (first.first_day, first.last_day, first.percent, first.amount) == (
        event - dt.timedelta(days=29), event - dt.timedelta(days=10), Decimal("50"), Decimal("150.00"))
    assert (second.first_day, second.last_day, second.amount) == (event - dt.timedelta(days=9), event,
                                                                 Decimal("300.00"))


def test_a_pending_request_is_cancelled_free_of_charge(pending, resident):
    moment = dt.datetime.combine(pending.event_date - dt.timedelta(days=5), dt.time(8), tzinfo=PARIS)
    hire.cancel_by_requester(pending, resident, now=moment)
    assert HallRequest.objects.get(pk=pending.pk).cancellation_fee == Decimal("0.00")


def test_cancelling_is_refused_after_the_start_for_another_user_and_twice(pending, resident, non_resident):
    before = counts()
    assert refusal_of(hire.cancel_by_requester, pending, resident, now=pending.starts_at).code == "past"
    with pytest.raises(PermissionDenied):
        hire.cancel_by_requester(pending, non_resident, now=NOW)
    with mock.patch("home.acceptance.acceptance_refusal", return_value="Acceptez le règlement."):
        assert refusal_of(hire.cancel_by_requester, pending, resident, now=NOW).code == "regulation"
    assert counts() == before
    hire.cancel_by_requester(pending, resident, now=NOW)
    assert refusal_of(hire.cancel_by_requester, pending, resident, now=NOW).code == "status"


# --- Deposit ----------------------------------------------------------------------------


def test_the_deposit_is_received_then_returned(pending, agent, cashier, django_capture_on_commit_callbacks):
    hire.approve(pending, agent, now=NOW)
    assert refusal_of(hire.record_deposit, pending, cashier, "returned", now=NOW).code == "deposit_status"
    hire.record_deposit(pending, cashier, "received", now=NOW)
    assert refusal_of(hire.record_deposit, pending, cashier, "received", now=NOW).code == "deposit_status"
    with django_capture_on_commit_callbacks(execute=True):
        hire.record_deposit(pending, cashier, "returned", now=NOW + dt.timedelta(days=50))
    pending.refresh_from_db()
    assert pending.deposit_status == HallRequest.DepositStatus.RETURNED
    assert pending.deposit_settled_at == NOW + dt.timedelta(days=50)
    assert "550,00 €" in mail.outbox[-1].body
    summaries = list(AuditEvent.objects.filter(object_id=str(pending.pk), actor=cashier).values_list("summary",
                                                                                                     flat=True))
    assert sorted(summaries) == sorted([f"Caution reçue pour {pending.reference}",
                                        f"Caution restituée pour {pending.reference}"])


@pytest.mark.parametrize("amount, note, code", [
    ("0", "Dégâts", "amount"),
    ("550.01", "Dégâts", "amount"),
    ("-5", "Dégâts", "amount"),
    ("abc", "Dégâts", "amount"),
    ("100", "  ", "reason"),
])
def test_keeping_part_of_the_deposit_needs_a_valid_amount_and_a_reason(pending, cashier, amount, note, code):
    hire.record_deposit(pending, cashier, "received", now=NOW)
    assert refusal_of(hire.record_deposit, pending, cashier, "kept", kept_amount=amount, note=note,
                      now=NOW).code == code
    assert HallRequest.objects.get(pk=pending.pk).deposit_status == HallRequest.DepositStatus.RECEIVED


def test_keeping_part_of_the_deposit(pending, cashier, django_capture_on_commit_callbacks):
    hire.record_deposit(pending, cashier, "received", now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        hire.record_deposit(pending, cashier, "kept", kept_amount=Decimal("120"), note="Vaisselle cassée", now=NOW)
    pending.refresh_from_db()
    assert (pending.deposit_status, pending.deposit_kept_amount) == (HallRequest.DepositStatus.KEPT,
                                                                    Decimal("120.00"))
    body = mail.outbox[-1].body
    assert "120,00 €" in body and "430,00 €" in body and "Vaisselle cassée" in body


def test_parents_cannot_record_deposits_or_decide(pending, resident):
    for call in (lambda: hire.record_deposit(pending, resident, "received", now=NOW),
                 lambda: hire.approve(pending, resident, now=NOW),
                 lambda: hire.refuse(pending, resident, "non", now=NOW),
                 lambda: hire.confirm_insurance(pending, resident, now=NOW)):
        with pytest.raises(PermissionDenied):
            call()
    assert HallRequest.objects.get(pk=pending.pk).status == Status.PENDING


# --- Trail and e-mails of a new request -----------------------------------------------------


def test_a_new_request_is_traced_and_confirmed_by_email(hall, slots, resident, person_details, event_day, settings,
                                                        django_capture_on_commit_callbacks):
    settings.HALLS_STAFF_EMAIL = "salles@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        hall_request = create(resident, hall, slots["day"], event_day, person_details(resident))
    event = AuditEvent.objects.get(action=AuditEvent.Action.HALL_REQUEST)
    assert event.actor == resident and event.household == hall_request.household and not event.acting_for_family
    assert event.object_type == "halls.hallrequest" and event.object_id == str(hall_request.pk)
    assert event.after["price"] == "300.00" and event.after["resident"] is True
    to_requester, to_staff = mail.outbox
    assert to_requester.subject == f"Demande de location {hall_request.reference} enregistrée — Nymphéas"
    assert "300,00 €" in to_requester.body and "550,00 €" in to_requester.body
    assert to_staff.to == ["salles@example.org"]
    assert f"/admin/salles/demandes/{hall_request.pk}/" in to_staff.body


def test_the_confirmation_email_is_optional_and_no_email_leaves_if_the_request_fails(
        hall, slots, resident, non_resident, person_details, event_day, django_capture_on_commit_callbacks):
    with mock.patch("accounts.preferences.wants_email", return_value=False), \
            django_capture_on_commit_callbacks(execute=True):
        create(resident, hall, slots["day"], event_day, person_details(resident))
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        refusal_of(create, non_resident, hall, slots["day"], event_day, person_details(non_resident))
    assert callbacks == [] and mail.outbox == []


def test_a_household_gone_paper_only_cancels_through_the_service(pending, resident):
    from accounts.models import Household

    Household.objects.filter(pk=pending.household_id).update(paper_only=True)
    pending.refresh_from_db()
    assert refusal_of(hire.cancel_by_requester, pending, resident, now=NOW).code == "paper_only"
    assert HallRequest.objects.get(pk=pending.pk).status == Status.PENDING


def test_requests_for_gives_only_the_users_own(pending, non_resident, resident):
    from django.contrib.auth.models import AnonymousUser

    assert list(hire.requests_for(resident)) == [pending]
    assert list(hire.requests_for(non_resident)) == []
    assert list(hire.requests_for(AnonymousUser())) == []


def test_units_follow_real_time_across_the_daylight_saving_change(hall, slots):
    weekend = slots["weekend"]  # Saturday 10:00 to Monday 08:00: 46 hours on the clock
    assert len(occupancy_units(*weekend.interval(dt.date(2027, 3, 13)))) == 92
    # Clocks go forward on Sunday 28 March 2027: one real hour less.
    assert len(occupancy_units(*weekend.interval(dt.date(2027, 3, 27)))) == 90
    # Clocks go back on Sunday 31 October 2027: one real hour more.
    assert len(occupancy_units(*weekend.interval(dt.date(2027, 10, 30)))) == 94
