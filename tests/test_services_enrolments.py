"""services.enrolments: eligibility, documents, capacity and waiting list, agents'
validation, school enrolment in two steps with derogation, stays paid when booked."""

import datetime as dt

import pytest
from django.core import mail

from accounts.models import AuditEvent
from services import enrolments
from services.models import Booking, Enrolment, PlaceCounter
from services.rules import Refusal

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def now(paris):
    return paris(2026, 9, 2, 10)


def child_of(household):
    return household.users[0], household.kids[0]


def test_a_canteen_enrolment_is_active_at_once_for_the_school_year(catalogue, make_family, now):
    parent, child = child_of(make_family("DUPONT"))
    enrolment = enrolments.request_enrolment(parent, child, catalogue["cantine-jules-ferry"], now=now)
    assert enrolment.status == "active"
    assert (enrolment.start_date, enrolment.end_date) == (D(2026, 9, 1), D(2027, 8, 31))
    assert enrolment.requested_by == parent and enrolment.household == child.household
    event = AuditEvent.objects.get(action="enrolment")
    assert event.actor == parent and event.household_id == child.household_id


def test_a_second_request_for_the_same_period_is_refused(catalogue, make_family, now):
    parent, child = child_of(make_family("DUPONT"))
    enrolments.request_enrolment(parent, child, catalogue["cantine-jules-ferry"], now=now)
    with pytest.raises(Refusal) as error:
        enrolments.request_enrolment(parent, child, catalogue["cantine-jules-ferry"], now=now)
    assert error.value.code == "already_enrolled"
    assert Enrolment.objects.count() == 1


@pytest.mark.parametrize("birth, level, code", [
    (D(2022, 1, 1), "MS", "not_eligible_age"),   # 4 years old: the leisure centre takes 3 to 12: fine; music 7+
    (D(2018, 1, 1), "none", "not_eligible_level"),
])
def test_eligibility_is_checked_on_the_server(catalogue, make_family, now, birth, level, code):
    parent, child = child_of(make_family("JEUNE", children=(("Tom", birth, level),)))
    activity = catalogue["ecole-musique-piano"] if code == "not_eligible_age" else catalogue["cantine-jules-ferry"]
    with pytest.raises(Refusal) as error:
        enrolments.request_enrolment(parent, child, activity, now=now)
    assert error.value.code == code
    assert not Enrolment.objects.exists()
    assert not AuditEvent.objects.filter(action="enrolment").exists()


def test_the_age_message_says_why(catalogue, make_family, now):
    parent, child = child_of(make_family("JEUNE", children=(("Tom", D(2022, 1, 1), "MS"),)))
    with pytest.raises(Refusal) as error:
        enrolments.request_enrolment(parent, child, catalogue["ecole-musique-piano"], now=now)
    assert "à partir de 7 ans" in error.value.message and "Tom aura 4 ans" in error.value.message


def test_missing_documents_refuse_the_enrolment_with_their_names(catalogue, make_family, now, monkeypatch):
    import documents.rules

    monkeypatch.setattr(documents.rules, "missing_documents",
                        lambda household, child, activity, on, **k: ["Certificat médical de non contre-indication"])
    parent, child = child_of(make_family("SPORT", children=(("Léo", D(2018, 4, 4), "CE2"),)))
    with pytest.raises(Refusal) as error:
        enrolments.request_enrolment(parent, child, catalogue["ecole-sports-multisports"], now=now)
    assert error.value.code == "document_missing"
    assert "Certificat médical de non contre-indication" in error.value.message
    assert not Enrolment.objects.exists()


def test_an_agent_may_override_eligibility_and_documents_traced(catalogue, make_family, now, agent, monkeypatch):
    import documents.rules

    monkeypatch.setattr(documents.rules, "missing_documents", lambda *a, **k: ["Attestation"])
    household = make_family("DEROGE", children=(("Tom", D(2022, 1, 1), "MS"),))
    enrolment = enrolments.request_enrolment(agent, household.kids[0], catalogue["ecole-musique-piano"], now=now,
                                             override=True)
    assert enrolment.status == "active"  # typed in by an agent: validated at once
    assert AuditEvent.objects.filter(action="staff_override", actor=agent, household_id=household.pk).exists()


def test_rights_paper_households_and_the_gate(catalogue, make_family, now, monkeypatch):
    canteen = catalogue["cantine-jules-ferry"]
    family = make_family("A")
    other = make_family("B")
    with pytest.raises(Refusal) as error:
        enrolments.request_enrolment(other.users[0], family.kids[0], canteen, now=now)
    assert error.value.code == "not_allowed"
    paper = make_family("PAPIER", paper_only=True)
    with pytest.raises(Refusal) as error:
        enrolments.request_enrolment(paper.users[0], paper.kids[0], canteen, now=now)
    assert error.value.code == "paper_only"
    import home.acceptance

    monkeypatch.setattr(home.acceptance, "acceptance_refusal", lambda user: "Acceptez le règlement.")
    with pytest.raises(Refusal) as error:
        enrolments.request_enrolment(family.users[0], family.kids[0], canteen, now=now)
    assert error.value.code == "regulation_not_accepted"
    assert not Enrolment.objects.exists()


# A yearly course: validation by an agent, capacity, waiting list --------------------

@pytest.fixture
def course(catalogue):
    activity = catalogue["ecole-musique-formation-musicale"]
    activity.capacity = 2
    activity.save()
    return activity


@pytest.fixture
def musicians(make_family):
    return [make_family(f"MUSIQUE{i}", children=(("Zoé", D(2017, 1, 1), "CM1"),)) for i in range(3)]


def test_a_full_course_puts_requests_on_the_waiting_list(course, musicians, now):
    results = [enrolments.request_enrolment(h.users[0], h.kids[0], course, now=now) for h in musicians]
    assert [e.status for e in results] == ["pending", "pending", "waiting"]
    assert (results[0].start_date, results[0].end_date) == (D(2026, 9, 14), D(2027, 6, 26))
    assert enrolments.waiting_position(results[2]) == 1
    counter = PlaceCounter.objects.get(activity=course, scope="enrolment")
    assert (counter.taken, counter.capacity) == (2, 2)
    assert AuditEvent.objects.filter(action="waiting_list").count() == 1


def test_an_agent_accepts_or_refuses_with_a_reason_and_the_family_is_told(
        course, musicians, now, agent, django_capture_on_commit_callbacks):
    first, second, third = [enrolments.request_enrolment(h.users[0], h.kids[0], course, now=now) for h in musicians]
    with pytest.raises(Refusal) as error:
        enrolments.decide(agent, second, accept=False, now=now)
    assert error.value.code == "reason_required"
    with django_capture_on_commit_callbacks(execute=True):
        accepted, _ = enrolments.decide(agent, first, accept=True, now=now)
    assert accepted.status == "active" and accepted.decided_by == agent
    assert mail.outbox[-1].to == [musicians[0].users[0].email] and "acceptée" in mail.outbox[-1].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        refused, promoted = enrolments.decide(agent, second, accept=False, reason="Horaires incompatibles", now=now)
    assert refused.status == "refused" and refused.decision_reason == "Horaires incompatibles"
    # The place goes to the first on the waiting list, who waits for the agent in turn.
    assert promoted.pk == third.pk and Enrolment.objects.get(pk=third.pk).status == "pending"
    assert PlaceCounter.objects.get(activity=course, scope="enrolment").taken == 2
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([musicians[1].users[0].email, musicians[2].users[0].email])
    assert any("Horaires incompatibles" in m.body for m in mail.outbox)
    with pytest.raises(Refusal):
        enrolments.decide(agent, refused, accept=True, now=now)


def test_a_parent_cannot_decide(course, musicians, now):
    enrolment = enrolments.request_enrolment(musicians[0].users[0], musicians[0].kids[0], course, now=now)
    with pytest.raises(Refusal) as error:
        enrolments.decide(musicians[0].users[0], enrolment, accept=True, now=now)
    assert error.value.code == "not_allowed"
    assert Enrolment.objects.get().status == "pending"


def test_withdrawing_frees_the_place_for_the_waiting_list(course, musicians, now):
    results = [enrolments.request_enrolment(h.users[0], h.kids[0], course, now=now) for h in musicians]
    withdrawn, promoted = enrolments.withdraw(musicians[0].users[0], results[0], now=now)
    assert withdrawn.status == "withdrawn" and promoted.pk == results[2].pk
    with pytest.raises(Refusal):
        enrolments.withdraw(musicians[0].users[0], results[0], now=now)
    with pytest.raises(Refusal) as error:
        enrolments.withdraw(musicians[0].users[0], results[1], now=now)  # another family's
    assert error.value.code == "not_allowed"


def test_a_daily_enrolment_with_days_booked_is_not_withdrawn(catalogue, make_family, paris):
    from services.bookings import book

    parent, child = child_of(make_family("DUPONT"))
    canteen = catalogue["cantine-jules-ferry"]
    enrolment = enrolments.request_enrolment(parent, child, canteen, now=paris(2026, 9, 2))
    book(parent, child, canteen, D(2026, 11, 16), now=paris(2026, 11, 5))
    with pytest.raises(Refusal) as error:
        enrolments.withdraw(parent, enrolment, now=paris(2026, 11, 5))
    assert error.value.code == "bookings_left"


# School enrolment: the commune registers, then the school admits -----------------------

def test_school_enrolment_in_two_steps_with_a_derogation(catalogue, make_family, now, agent):
    parent, child = child_of(make_family("ECOLE", children=(("Jade", D(2023, 5, 5), "none"),)))
    activity = catalogue["inscription-maternelle"]
    with pytest.raises(Refusal) as error:
        enrolments.request_enrolment(parent, child, activity, now=now)
    assert error.value.code == "level_required"
    with pytest.raises(Refusal) as error:
        enrolments.request_enrolment(parent, child, activity, now=now, requested_level="PS", derogation_reason="work")
    assert error.value.code == "derogation_school_required"
    enrolment = enrolments.request_enrolment(
        parent, child, activity, now=now, requested_level="PS", requested_school="École Louise Michel",
        derogation_reason="work", derogation_details="Mon travail est à côté de l'école.")
    assert enrolment.status == "pending" and enrolment.derogation_reason == "work"
    with pytest.raises(Refusal) as error:
        enrolments.decide(agent, enrolment, accept=True, now=now)
    assert error.value.code == "school_required"
    registered, _ = enrolments.decide(agent, enrolment, accept=True, now=now, derogation_granted=True)
    assert registered.status == "registered" and registered.school == "École Louise Michel"
    assert registered.derogation_granted is True and registered.registered_at == now
    admitted, _ = enrolments.decide(agent, registered, accept=True, now=now)
    assert admitted.status == "active" and admitted.admitted_at == now
    assert AuditEvent.objects.filter(action="enrolment").count() == 3


def test_school_enrolment_derogation_refused_keeps_the_sector_school(catalogue, make_family, now, agent):
    parent, child = child_of(make_family("ECOLE", children=(("Jade", D(2020, 5, 5), "GS"),)))
    enrolment = enrolments.request_enrolment(
        parent, child, catalogue["inscription-elementaire"], now=now, requested_level="CP",
        requested_school="École Louise Michel", derogation_reason="sibling")
    registered, _ = enrolments.decide(agent, enrolment, accept=True, now=now, school="École Jules Ferry",
                                      derogation_granted=False)
    assert registered.school == "École Jules Ferry" and registered.derogation_granted is False


def test_a_class_level_the_school_does_not_take_is_refused(catalogue, make_family, now):
    parent, child = child_of(make_family("ECOLE", children=(("Jade", D(2020, 5, 5), "GS"),)))
    with pytest.raises(Refusal) as error:
        enrolments.request_enrolment(parent, child, catalogue["inscription-maternelle"], now=now,
                                     requested_level="CP")
    assert error.value.code == "not_eligible_level"


# A stay: fixed dates, validation, prepayment ----------------------------------------

def test_a_stay_books_its_days_once_validated_and_waits_for_its_payment(catalogue, make_family, now, agent):
    stay = catalogue["sejour-ete-cote-opale"]
    parent, child = child_of(make_family("SEJOUR", children=(("Noé", D(2016, 3, 3), "CM2"),)))
    enrolment = enrolments.request_enrolment(parent, child, stay, now=now)
    assert enrolment.status == "pending" and not Booking.objects.exists()
    accepted, _ = enrolments.decide(agent, enrolment, accept=True, now=now)
    assert accepted.prepayment_status == "due"
    days = list(Booking.objects.filter(child=child, status="booked").values_list("day", flat=True))
    assert days[0] == D(2027, 7, 12) and days[-1] == D(2027, 7, 21) and len(days) == 10
    assert list(enrolments.prepayments_due()) == [accepted]
    paid = enrolments.record_prepayment(accepted, reference="PAYFIP-123", now=now)
    assert paid.prepayment_status == "paid" and paid.prepayment_reference == "PAYFIP-123"
    assert enrolments.record_prepayment(paid, reference="again", now=now).prepayment_reference == "PAYFIP-123"
    assert AuditEvent.objects.filter(action="payment").count() == 1
    # Withdrawing within the stay's deadline (30 days before, 12:00) cancels its days.
    enrolments.withdraw(parent, paid, now=now)
    assert not Booking.objects.filter(child=child, status="booked").exists()


def test_a_stay_cannot_be_withdrawn_after_its_deadline(catalogue, make_family, now, agent, paris):
    stay = catalogue["sejour-ete-cote-opale"]
    parent, child = child_of(make_family("SEJOUR", children=(("Noé", D(2016, 3, 3), "CM2"),)))
    enrolment = enrolments.request_enrolment(parent, child, stay, now=now)
    enrolments.decide(agent, enrolment, accept=True, now=now)
    with pytest.raises(Refusal) as error:
        enrolments.withdraw(parent, enrolment, now=paris(2027, 7, 1))
    assert error.value.code == "deadline_passed"
    assert Booking.objects.filter(child=child, status="booked").count() == 10


def test_periods_offered(catalogue, paris):
    canteen = catalogue["cantine-jules-ferry"]
    periods = enrolments.periods_for(canteen, D(2026, 9, 2))
    assert [(p.start, p.end) for p in periods] == [(D(2026, 9, 1), D(2027, 8, 31))]
    assert enrolments.periods_for(catalogue["sejour-ete-cote-opale"], D(2027, 8, 1)) == []
