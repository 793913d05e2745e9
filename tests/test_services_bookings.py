"""services.bookings: every rule of a booking or a cancellation, on the demo rules, at
fixed moments (Thursday 5 November 2026, 10:00 in Paris unless said otherwise)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail

from accounts.models import AuditEvent
from services import bookings
from services.bookings import BOOK, CANCEL, Change, apply_changes, apply_pattern, book, cancel
from services.models import Activity, Booking, BookingChange, PlaceCounter

pytestmark = pytest.mark.django_db

D = dt.date
TEEN = (("Lucas", D(2013, 2, 1), "none"),)


@pytest.fixture
def now(paris):
    return paris(2026, 11, 5, 10, 0)


@pytest.fixture
def canteen(catalogue):
    return catalogue["cantine-jules-ferry"]


@pytest.fixture
def family(make_family, enrol, canteen):
    household = make_family("DUPONT")
    enrol(household.kids[0], canteen)
    return household


def parent_and_child(household):
    return household.users[0], household.kids[0]


def snapshot():
    return (
        list(Booking.objects.order_by("pk").values_list("pk", "status", "day")),
        BookingChange.objects.count(),
        AuditEvent.objects.filter(action__in=["booking", "cancellation", "waiting_list", "staff_override"]).count(),
        list(PlaceCounter.objects.order_by("pk").values_list("pk", "taken")),
    )


# Booking one day -------------------------------------------------------------------

def test_a_parent_books_a_canteen_day_within_the_deadline(family, canteen, now):
    parent, child = parent_and_child(family)
    outcome = book(parent, child, canteen, D(2026, 11, 16), now=now)
    assert outcome.ok and outcome.code == "booked" and outcome.status == "booked"
    assert outcome.deadline.isoformat() == "2026-11-09T23:59:00+01:00"
    booking = Booking.objects.get()
    assert (booking.child, booking.day, booking.status, booking.booked_by, booking.booked_late) == (
        child, D(2026, 11, 16), "booked", parent, False)
    assert booking.household == family and not booking.changed_by_agent
    change = BookingChange.objects.get()
    assert (change.action, change.before_status, change.after_status, change.actor) == ("booked", "", "booked", parent)
    event = AuditEvent.objects.get(action="booking")
    assert event.actor == parent and event.household_id == family.pk and not event.acting_for_family
    assert event.after["days"][0]["day"] == "2026-11-16"
    assert PlaceCounter.objects.get(activity=canteen, day=D(2026, 11, 16)).taken == 1


def test_booking_the_same_day_twice_changes_nothing(family, canteen, now):
    parent, child = parent_and_child(family)
    book(parent, child, canteen, D(2026, 11, 16), now=now)
    before = snapshot()
    outcome = book(parent, child, canteen, D(2026, 11, 16), now=now)
    assert outcome.ok and outcome.code == "already_booked"
    assert snapshot() == before


def test_a_day_past_its_deadline_is_refused_and_nothing_is_written(family, canteen, now):
    parent, child = parent_and_child(family)
    before = snapshot()
    outcome = book(parent, child, canteen, D(2026, 11, 10), now=now)
    assert not outcome.ok and outcome.code == "deadline_passed"
    assert "délai de réservation est dépassé" in outcome.message
    assert "mardi 3 novembre 2026 à 23:59" in outcome.message
    assert snapshot() == before


def test_the_deadline_is_checked_to_the_minute(family, canteen, paris):
    parent, child = parent_and_child(family)
    assert book(parent, child, canteen, D(2026, 11, 12), now=paris(2026, 11, 5, 23, 59)).code == "booked"
    assert book(parent, child, canteen, D(2026, 11, 13), now=paris(2026, 11, 6, 23, 59, )).code == "booked"
    late = book(parent, child, canteen, D(2026, 11, 16), now=paris(2026, 11, 10, 0, 0))
    assert late.code == "deadline_passed"


def test_a_day_the_activity_does_not_run_is_refused(family, canteen, now):
    parent, child = parent_and_child(family)
    # A Wednesday (no canteen), a day of the Christmas holidays.
    for day in (D(2026, 11, 18), D(2026, 12, 22)):
        outcome = book(parent, child, canteen, day, now=now)
        assert (outcome.ok, outcome.code) == (False, "not_running")
    assert not Booking.objects.exists()


def test_a_child_not_enrolled_is_refused(make_family, canteen, now):
    household = make_family("MOREL")
    parent, child = parent_and_child(household)
    before = snapshot()
    outcome = book(parent, child, canteen, D(2026, 11, 16), now=now)
    assert (outcome.ok, outcome.code) == (False, "not_enrolled")
    assert "inscription" in outcome.message
    assert snapshot() == before


def test_an_enrolment_waiting_for_validation_does_not_allow_booking(make_family, enrol, canteen, now):
    household = make_family("MOREL")
    parent, child = parent_and_child(household)
    enrol(child, canteen, status="pending")
    outcome = book(parent, child, canteen, D(2026, 11, 16), now=now)
    assert (outcome.ok, outcome.code) == (False, "enrolment_pending")


def test_an_enrolment_that_ended_does_not_cover_later_days(make_family, enrol, canteen, now):
    household = make_family("MOREL")
    parent, child = parent_and_child(household)
    enrol(child, canteen, end=D(2026, 11, 13))
    assert book(parent, child, canteen, D(2026, 11, 12), now=now).code == "booked"
    assert book(parent, child, canteen, D(2026, 11, 16), now=now).code == "not_enrolled"


# Who may book ---------------------------------------------------------------------

def test_another_households_parent_is_refused(family, make_family, canteen, now):
    other = make_family("AUTRE")
    outcome = book(other.users[0], family.kids[0], canteen, D(2026, 11, 16), now=now)
    assert (outcome.ok, outcome.code) == (False, "not_allowed")
    assert not Booking.objects.exists()


def test_a_guardian_without_the_booking_right_is_refused(make_family, enrol, canteen, now):
    household = make_family("SEPARE", guardians=[("mere@example.org", "all"), ("pere@example.org", "view")])
    enrol(household.kids[0], canteen)
    outcome = book(household.users[1], household.kids[0], canteen, D(2026, 11, 16), now=now)
    assert (outcome.ok, outcome.code) == (False, "not_allowed")
    assert book(household.users[0], household.kids[0], canteen, D(2026, 11, 16), now=now).ok


def test_a_paper_only_household_gets_no_online_booking(make_family, enrol, canteen, now, agent):
    household = make_family("PAPIER", paper_only=True)
    enrol(household.kids[0], canteen)
    outcome = book(household.users[0], household.kids[0], canteen, D(2026, 11, 16), now=now)
    assert (outcome.ok, outcome.code) == (False, "paper_only")
    assert not Booking.objects.exists()
    # An agent books for it.
    assert book(agent, household.kids[0], canteen, D(2026, 11, 16), now=now).code == "booked"


def test_the_regulation_gate_is_checked_on_the_server(family, canteen, now, monkeypatch):
    import home.acceptance

    monkeypatch.setattr(home.acceptance, "acceptance_refusal",
                        lambda user: "Acceptez le règlement en vigueur avant de réserver.")
    parent, child = parent_and_child(family)
    outcome = book(parent, child, canteen, D(2026, 11, 16), now=now)
    assert (outcome.ok, outcome.code) == (False, "regulation_not_accepted")
    assert outcome.message == "Acceptez le règlement en vigueur avant de réserver."
    assert not Booking.objects.exists()
    cancelled = cancel(parent, child, canteen, D(2026, 11, 16), now=now)
    assert cancelled.code == "regulation_not_accepted"


def test_a_missing_document_refuses_the_booking_with_its_name(family, canteen, now, monkeypatch):
    import documents.rules

    calls = []

    def missing(household, child, activity, on, *, hall_hire=False):
        calls.append((household.pk, child.pk, activity.pk, on))
        return ["Attestation d'assurance"]

    monkeypatch.setattr(documents.rules, "missing_documents", missing)
    parent, child = parent_and_child(family)
    outcome = book(parent, child, canteen, D(2026, 11, 16), now=now)
    assert (outcome.ok, outcome.code, outcome.missing) == (False, "document_missing", ["Attestation d'assurance"])
    assert "Attestation d'assurance" in outcome.message
    assert calls == [(family.pk, child.pk, canteen.pk, D(2026, 11, 16))]
    assert not Booking.objects.exists()


def test_a_parent_cannot_use_the_staff_override(family, canteen, now):
    parent, child = parent_and_child(family)
    outcome = book(parent, child, canteen, D(2026, 11, 10), now=now, override=True)
    assert (outcome.ok, outcome.code) == (False, "override_not_allowed")
    assert not Booking.objects.exists()


def test_an_agent_overrides_the_deadline_and_the_override_is_traced(family, canteen, now, agent, monkeypatch):
    import documents.rules

    monkeypatch.setattr(documents.rules, "missing_documents", lambda *a, **k: ["Attestation"])
    child = family.kids[0]
    # Without override, the agent obeys the deadline like the family.
    assert book(agent, child, canteen, D(2026, 11, 10), now=now).code == "deadline_passed"
    outcome = book(agent, child, canteen, D(2026, 11, 10), now=now, override=True)
    assert outcome.ok and outcome.code == "booked" and outcome.late and outcome.override
    booking = Booking.objects.get()
    assert booking.booked_late and booking.booked_by is None and booking.changed_by == agent
    assert booking.changed_by_agent
    change = BookingChange.objects.get()
    assert change.acting_for_family and change.override and change.actor == agent
    override = AuditEvent.objects.get(action="staff_override")
    assert override.actor == agent and override.acting_for_family and override.household_id == family.pk
    assert AuditEvent.objects.get(action="booking").acting_for_family


# Cancelling -----------------------------------------------------------------------

def test_cancel_in_time_then_late_then_sick_the_same_morning(family, canteen, paris):
    parent, child = parent_and_child(family)
    early = paris(2026, 11, 2, 9, 0)
    for day in (D(2026, 11, 12), D(2026, 11, 13), D(2026, 11, 16)):
        assert book(parent, child, canteen, day, now=early).code == "booked"
    now = paris(2026, 11, 5, 10, 0)
    in_time = cancel(parent, child, canteen, D(2026, 11, 16), now=now)
    assert in_time.ok and in_time.code == "cancelled" and not in_time.late
    refused = cancel(parent, child, canteen, D(2026, 11, 13), now=paris(2026, 11, 13, 8, 0))
    assert (refused.ok, refused.code) == (False, "deadline_passed")
    assert "enfant malade" in refused.message  # the same-morning way is pointed at
    sick = cancel(parent, child, canteen, D(2026, 11, 13), now=paris(2026, 11, 13, 8, 30), sick=True)
    assert sick.ok and sick.late and "reste facturée" in sick.message
    too_late = cancel(parent, child, canteen, D(2026, 11, 12), now=paris(2026, 11, 12, 9, 1), sick=True)
    assert (too_late.ok, too_late.code) == (False, "sick_deadline_passed")
    rows = {b.day: b for b in Booking.objects.all()}
    assert rows[D(2026, 11, 16)].status == "cancelled" and not rows[D(2026, 11, 16)].cancelled_late
    assert rows[D(2026, 11, 13)].cancelled_sick and rows[D(2026, 11, 13)].cancelled_late
    assert rows[D(2026, 11, 12)].status == "booked"
    assert list(BookingChange.objects.filter(action="sick").values_list("day", flat=True)) == [D(2026, 11, 13)]
    assert PlaceCounter.objects.get(activity=canteen, day=D(2026, 11, 16)).taken == 0


def test_an_activity_without_same_day_rule_refuses_the_sick_cancellation(make_family, enrol, catalogue, paris):
    evening = catalogue["accueil-du-soir"]
    household = make_family("SOIR")
    parent, child = parent_and_child(household)
    enrol(child, evening)
    assert book(parent, child, evening, D(2026, 11, 13), now=paris(2026, 11, 2)).ok
    outcome = cancel(parent, child, evening, D(2026, 11, 13), now=paris(2026, 11, 13, 8), sick=True)
    assert (outcome.ok, outcome.code) == (False, "sick_not_allowed")
    assert Booking.objects.get().status == "booked"


def test_cancelling_a_day_not_booked_changes_nothing(family, canteen, now):
    parent, child = parent_and_child(family)
    before = snapshot()
    outcome = cancel(parent, child, canteen, D(2026, 11, 16), now=now)
    assert outcome.ok and outcome.code == "not_booked"
    assert snapshot() == before


def test_an_agent_cancels_late_for_a_family_with_or_without_charge(family, canteen, paris, agent):
    parent, child = parent_and_child(family)
    for day in (D(2026, 11, 12), D(2026, 11, 13)):
        book(parent, child, canteen, day, now=paris(2026, 11, 2))
    now = paris(2026, 11, 12, 10)
    charged = cancel(agent, child, canteen, D(2026, 11, 12), now=now, override=True)
    waived = cancel(agent, child, canteen, D(2026, 11, 13), now=now, override=True, waive_charge=True)
    assert charged.ok and charged.late and waived.ok and not waived.late
    rows = {b.day: b for b in Booking.objects.all()}
    assert rows[D(2026, 11, 12)].cancelled_late and not rows[D(2026, 11, 13)].cancelled_late
    assert AuditEvent.objects.filter(action="staff_override", actor=agent).count() == 2


# Capacity and the waiting list -------------------------------------------------------

@pytest.fixture
def youth(catalogue):
    activity = catalogue["quartier-libre-seances"]
    activity.capacity = 2
    activity.save()
    return activity


@pytest.fixture
def teens(make_family, enrol, youth):
    households = []
    for index in range(4):
        household = make_family(f"JEUNE{index}", children=TEEN)
        enrol(household.kids[0], youth)
        households.append(household)
    return households


SATURDAY = D(2026, 11, 14)


def test_a_full_session_puts_the_next_ones_on_the_waiting_list(teens, youth, now):
    outcomes = [book(h.users[0], h.kids[0], youth, SATURDAY, now=now) for h in teens]
    assert [o.code for o in outcomes] == ["booked", "booked", "waiting", "waiting"]
    assert [o.position for o in outcomes[2:]] == [1, 2]
    assert "liste d'attente, en position 1" in outcomes[2].message
    counter = PlaceCounter.objects.get(activity=youth, day=SATURDAY)
    assert (counter.capacity, counter.taken, counter.places_left) == (2, 2, 0)
    assert AuditEvent.objects.filter(action="waiting_list").count() == 2


def test_a_family_that_does_not_want_to_wait_is_refused_when_full(teens, youth, now):
    for household in teens[:2]:
        book(household.users[0], household.kids[0], youth, SATURDAY, now=now)
    before = snapshot()
    outcome = book(teens[2].users[0], teens[2].kids[0], youth, SATURDAY, now=now, waiting_list=False)
    assert (outcome.ok, outcome.code) == (False, "full")
    assert "Complet" in outcome.message
    assert snapshot() == before


def test_a_cancellation_promotes_the_first_on_the_waiting_list_and_tells_the_family(
        teens, youth, now, django_capture_on_commit_callbacks):
    for household in teens:
        book(household.users[0], household.kids[0], youth, SATURDAY, now=now)
    mail.outbox.clear()
    first_waiting = teens[2]
    with django_capture_on_commit_callbacks(execute=True):
        outcome = cancel(teens[0].users[0], teens[0].kids[0], youth, SATURDAY, now=now)
    assert outcome.code == "cancelled"
    statuses = {b.child_id: b.status for b in Booking.objects.all()}
    assert statuses[first_waiting.kids[0].pk] == "booked"
    assert statuses[teens[3].kids[0].pk] == "waiting"
    assert PlaceCounter.objects.get(activity=youth, day=SATURDAY).taken == 2
    promoted = BookingChange.objects.get(action="promoted")
    assert promoted.child == first_waiting.kids[0] and promoted.actor is None
    event = AuditEvent.objects.filter(action="waiting_list", household_id=first_waiting.pk).latest("id")
    assert event.actor is None and "liste d'attente" in event.summary
    assert [m.to for m in mail.outbox if "place" in m.subject.lower()] == [[first_waiting.users[0].email]]
    # The family who cancelled is not named to the promoted family.
    assert teens[0].users[0].email not in event.summary + str(event.after)


def test_no_promotion_once_the_day_can_no_longer_be_booked(teens, youth, paris):
    for household in teens[:3]:
        book(household.users[0], household.kids[0], youth, SATURDAY, now=paris(2026, 11, 5))
    # Saturday 06:30: cancelling is still allowed (until 07:00), booking closed on Friday 18:00.
    outcome = cancel(teens[0].users[0], teens[0].kids[0], youth, SATURDAY, now=paris(2026, 11, 14, 6, 30))
    assert outcome.code == "cancelled"
    assert Booking.objects.get(child=teens[2].kids[0]).status == "waiting"
    assert PlaceCounter.objects.get(activity=youth, day=SATURDAY).taken == 1


def test_leaving_the_waiting_list_frees_no_place(teens, youth, now):
    for household in teens[:3]:
        book(household.users[0], household.kids[0], youth, SATURDAY, now=now)
    outcome = cancel(teens[2].users[0], teens[2].kids[0], youth, SATURDAY, now=now)
    assert outcome.code == "left_waiting"
    assert PlaceCounter.objects.get(activity=youth, day=SATURDAY).taken == 2
    assert BookingChange.objects.filter(action="left_waiting").count() == 1


def test_the_database_refuses_an_overbooked_counter(youth, teens, now):
    from django.db import IntegrityError, transaction

    book(teens[0].users[0], teens[0].kids[0], youth, SATURDAY, now=now)
    counter = PlaceCounter.objects.get(activity=youth, day=SATURDAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlaceCounter.objects.filter(pk=counter.pk).update(taken=3)


def test_lowering_the_capacity_below_the_places_taken_is_refused(teens, youth, now, monkeypatch):
    from django.core.exceptions import ValidationError

    import services.models

    monkeypatch.setattr(services.models, "_today", lambda: D(2026, 11, 5))

    for household in teens[:2]:
        book(household.users[0], household.kids[0], youth, SATURDAY, now=now)
    youth.capacity = 1
    with pytest.raises(ValidationError) as error:
        youth.full_clean()
    assert "2 places sont déjà prises" in str(error.value)
    youth.capacity = 5
    youth.full_clean()
    youth.save()
    assert PlaceCounter.objects.get(activity=youth, day=SATURDAY).capacity == 5


# Several days at once and the weekly pattern ------------------------------------------

def test_ticking_and_unticking_days_in_one_operation(family, canteen, paris):
    parent, child = parent_and_child(family)
    book(parent, child, canteen, D(2026, 11, 19), now=paris(2026, 11, 2))
    result = apply_changes(parent, [
        Change(child, canteen, D(2026, 11, 16), BOOK),
        Change(child, canteen, D(2026, 11, 17), BOOK),
        Change(child, canteen, D(2026, 11, 10), BOOK),  # past its deadline
        Change(child, canteen, D(2026, 11, 19), CANCEL),
    ], now=paris(2026, 11, 5, 10))
    assert [o.day for o in result.booked] == [D(2026, 11, 16), D(2026, 11, 17)]
    assert [o.day for o in result.cancelled] == [D(2026, 11, 19)]
    assert [(code, [o.day for o in items]) for code, _m, items in result.refusals_by_reason()] == [
        ("deadline_passed", [D(2026, 11, 10)])]
    # One audit event per kind of change and child.
    assert AuditEvent.objects.filter(action="booking").count() == 2  # the first booking, then this operation
    assert AuditEvent.objects.filter(action="cancellation").count() == 1


def test_a_dry_run_shows_the_price_and_writes_nothing(family, canteen, now, monkeypatch):
    import billing.pricing

    monkeypatch.setattr(billing.pricing, "price_for",
                        lambda household, child, activity, day, *, late=False: Decimal("3.60") * (2 if late else 1))
    parent, child = parent_and_child(family)
    before = snapshot()
    result = apply_changes(parent, [Change(child, canteen, D(2026, 11, 16)), Change(child, canteen, D(2026, 11, 17))],
                           now=now, dry_run=True)
    assert [o.code for o in result.outcomes] == ["booked", "booked"]
    assert result.price_change == Decimal("7.20")
    assert snapshot() == before


def test_no_price_is_shown_when_billing_has_none(family, canteen, now):
    parent, child = parent_and_child(family)
    result = apply_changes(parent, [Change(child, canteen, D(2026, 11, 16))], now=now, dry_run=True)
    assert result.outcomes[0].price is None and result.price_change is None


def test_a_weekly_pattern_across_public_and_school_holidays(make_family, enrol, canteen, paris):
    household = make_family("MOTIF")
    parent, child = parent_and_child(household)
    enrol(child, canteen)
    now = paris(2027, 3, 17, 10)  # a Wednesday
    result = apply_pattern(parent, child, canteen, [0, 3], start=D(2027, 3, 18), end=D(2027, 5, 10), now=now)
    booked = [o.day for o in result.booked]
    # Mondays and Thursdays; Easter Monday (29 March) and the spring holidays (18 April to
    # 2 May) are skipped; the first days are closed (7 days before at 23:59).
    assert booked == [D(2027, 3, 25), D(2027, 4, 1), D(2027, 4, 5), D(2027, 4, 8), D(2027, 4, 12), D(2027, 4, 15),
                      D(2027, 5, 3), D(2027, 5, 10)]
    assert [o.day for o in result.refused] == [D(2027, 3, 18), D(2027, 3, 22)]
    assert {o.code for o in result.refused} == {"deadline_passed"}
    assert [o.day for o in result.not_running] == [D(2027, 3, 29), D(2027, 4, 19), D(2027, 4, 22), D(2027, 4, 26),
                                                  D(2027, 4, 29), D(2027, 5, 6)]  # 6 May: Ascension
    assert Booking.objects.filter(status="booked").count() == 8
    assert BookingChange.objects.count() == 8
    event = AuditEvent.objects.get(action="booking")
    assert "semaine type" in event.summary and len(event.after["days"]) == 8


def test_a_weekly_pattern_needs_a_weekday_and_a_sane_range(family, canteen, now):
    parent, child = parent_and_child(family)
    with pytest.raises(bookings.Refusal):
        apply_pattern(parent, child, canteen, [], start=D(2026, 11, 16), end=D(2026, 12, 18), now=now)
    with pytest.raises(bookings.Refusal):
        apply_pattern(parent, child, canteen, [0], start=D(2026, 12, 18), end=D(2026, 11, 16), now=now)
    with pytest.raises(bookings.Refusal):
        apply_pattern(parent, child, canteen, [0], start=D(2026, 11, 16), end=D(2028, 1, 1), now=now)


def test_a_stay_or_a_course_is_not_booked_day_by_day(family, catalogue, now, enrol):
    parent, child = parent_and_child(family)
    course = catalogue["ecole-musique-piano"]
    enrol(child, course)
    outcome = book(parent, child, course, D(2026, 11, 18), now=now)
    assert (outcome.ok, outcome.code) == (False, "not_bookable_by_day")


def test_waiting_lists_closed_once_the_day_is_closed(teens, youth, paris):
    for household in teens[:3]:
        book(household.users[0], household.kids[0], youth, SATURDAY, now=paris(2026, 11, 5))
    assert bookings.close_past_waiting_lists(paris(2026, 11, 13, 12)) == 0
    assert bookings.close_past_waiting_lists(paris(2026, 11, 13, 18, 1)) == 1
    booking = Booking.objects.get(child=teens[2].kids[0])
    assert booking.status == "cancelled"
    assert BookingChange.objects.filter(booking=booking, action="waiting_closed").exists()
    assert bookings.close_past_waiting_lists(paris(2026, 11, 13, 18, 2)) == 0


def test_the_activity_must_be_open(family, canteen, now):
    parent, child = parent_and_child(family)
    Activity.objects.filter(pk=canteen.pk).update(is_active=False)
    outcome = book(parent, child, canteen, D(2026, 11, 16), now=now)
    assert (outcome.ok, outcome.code) == (False, "activity_inactive")
