"""services.billable.month_facts and services.absences: what the invoicing run reads,
from bookings, attendance and accepted medical certificates."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import AuditEvent
from services import absences, attendance, billable
from services.bookings import book, cancel
from services.models import AbsenceJustification, Booking
from services.rules import Refusal

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def canteen(catalogue):
    return catalogue["cantine-jules-ferry"]


@pytest.fixture
def family(make_family, enrol, canteen):
    household = make_family("FACTURE")
    enrol(household.kids[0], canteen)
    return household


@pytest.fixture
def certificate(family):
    from documents.models import DocumentType, SupportingDocument

    kind, _ = DocumentType.objects.get_or_create(code="certificat-medical", defaults={
        "name": "Certificat médical", "scope": "child"})
    return SupportingDocument.objects.create(household=family, child=family.kids[0], document_type=kind,
                                             status="accepted", reviewed_at=timezone.now())


def book_days(family, canteen, days, paris):
    parent, child = family.users[0], family.kids[0]
    for day in days:
        assert book(parent, child, canteen, day, now=paris(2026, 10, 1)).ok


def facts_by_day(year=2026, month=11, **kwargs):
    return {fact.day: fact for fact in billable.month_facts(year, month, **kwargs)}


def test_every_status_of_the_month(family, canteen, paris, agent, make_family, enrol, certificate):
    parent, child = family.users[0], family.kids[0]
    days = [D(2026, 11, d) for d in (2, 3, 5, 6, 9, 10, 12, 13)]
    book_days(family, canteen, days, paris)
    # 2: present; 3: absent; 5: nothing recorded; 6: cancelled in time (on 1 October);
    # 9: sick the same morning; 10: sick the same morning with an accepted certificate;
    # 12: absent with an accepted certificate; 13: cancelled in time but present all the same.
    attendance.mark(agent, child, canteen, D(2026, 11, 2), "present", now=paris(2026, 11, 2, 13))
    attendance.mark(agent, child, canteen, D(2026, 11, 3), "absent", reason="unknown", now=paris(2026, 11, 3, 13))
    assert cancel(parent, child, canteen, D(2026, 11, 6), now=paris(2026, 10, 1)).code == "cancelled"
    assert cancel(parent, child, canteen, D(2026, 11, 13), now=paris(2026, 10, 1)).code == "cancelled"
    attendance.mark(agent, child, canteen, D(2026, 11, 13), "present", now=paris(2026, 11, 13, 13))
    for day in (D(2026, 11, 9), D(2026, 11, 10)):
        assert cancel(parent, child, canteen, day, sick=True, now=dt.datetime.combine(
            day, dt.time(8, 0), tzinfo=paris(2026, 1, 1).tzinfo)).late
    attendance.mark(agent, child, canteen, D(2026, 11, 12), "absent", reason="sick", now=paris(2026, 11, 12, 13))
    justification = absences.declare(parent, child, D(2026, 11, 10), D(2026, 11, 12), certificate,
                                     now=paris(2026, 11, 11, 18))
    absences.decide(agent, justification, accept=True, now=paris(2026, 11, 12, 9))
    # A child of another family present without any booking.
    walk_in = make_family("SANSRESA")
    enrol(walk_in.kids[0], canteen)
    attendance.mark(agent, walk_in.kids[0], canteen, D(2026, 11, 5), "present", now=paris(2026, 11, 5, 13))

    facts = list(billable.month_facts(2026, 11))
    mine = {f.day: f for f in facts if f.child_id == child.pk}
    assert {day: fact.status for day, fact in mine.items()} == {
        D(2026, 11, 2): billable.BOOKED_PRESENT,
        D(2026, 11, 3): billable.BOOKED_ABSENT,
        D(2026, 11, 5): billable.BOOKED_NOT_RECORDED,
        D(2026, 11, 6): billable.CANCELLED_IN_TIME,
        D(2026, 11, 9): billable.CANCELLED_LATE,
        D(2026, 11, 10): billable.BOOKED_ABSENT_JUSTIFIED,
        D(2026, 11, 12): billable.BOOKED_ABSENT_JUSTIFIED,
        D(2026, 11, 13): billable.PRESENT_UNBOOKED,
    }
    assert all(f.booked_by_id == parent.pk for d, f in mine.items() if d != D(2026, 11, 13))
    assert mine[D(2026, 11, 13)].booked_by_id is None
    assert all(f.key == f"booking:{Booking.objects.get(child=child, day=d).pk}" for d, f in mine.items())
    other = [f for f in facts if f.child_id == walk_in.kids[0].pk]
    assert [(f.status, f.booked_by_id, f.household_id) for f in other] == [
        (billable.PRESENT_UNBOOKED, None, walk_in.pk)]
    assert other[0].key.startswith("attendance:")
    assert len({f.key for f in facts}) == len(facts)
    assert all(f.status in billable.STATUSES for f in facts)
    # Stable across runs.
    assert [f.key for f in billable.month_facts(2026, 11)] == [f.key for f in facts]


def test_late_bookings_agents_and_other_months(family, canteen, paris, agent):
    child = family.kids[0]
    book(agent, child, canteen, D(2026, 11, 5), now=paris(2026, 11, 4), override=True)
    book(family.users[0], child, canteen, D(2026, 12, 3), now=paris(2026, 11, 4))
    november = list(billable.month_facts(2026, 11))
    assert [(f.day, f.status, f.booked_late, f.booked_by_id) for f in november] == [
        (D(2026, 11, 5), billable.BOOKED_NOT_RECORDED, True, None)]
    assert [f.day for f in billable.month_facts(2026, 12)] == [D(2026, 12, 3)]
    assert list(billable.month_facts(2026, 12, activity_ids=[canteen.pk + 1000])) == []


def test_waiting_list_requests_are_not_facts(catalogue, make_family, enrol, paris):
    youth = catalogue["quartier-libre-seances"]
    youth.capacity = 1
    youth.save()
    teens = [make_family(f"ADO{i}", children=(("Ana", D(2013, 1, 1), "none"),)) for i in range(2)]
    for household in teens:
        enrol(household.kids[0], youth)
        book(household.users[0], household.kids[0], youth, D(2026, 11, 14), now=paris(2026, 11, 5))
    assert [f.child_id for f in billable.month_facts(2026, 11)] == [teens[0].kids[0].pk]


def test_stay_days_are_marked_prepaid(catalogue, make_family, agent, paris):
    from services import enrolments

    household = make_family("SEJOUR", children=(("Noé", D(2016, 3, 3), "CM2"),))
    enrolment = enrolments.request_enrolment(household.users[0], household.kids[0],
                                             catalogue["sejour-ete-cote-opale"], now=paris(2027, 3, 1))
    enrolments.decide(agent, enrolment, accept=True, now=paris(2027, 3, 2))
    facts = list(billable.month_facts(2027, 7))
    assert len(facts) == 10 and all(f.prepaid for f in facts)


def test_month_facts_queries_do_not_grow_with_the_month(family, canteen, paris, django_assert_max_num_queries):
    book_days(family, canteen, [D(2026, 11, d) for d in (2, 3, 5, 6, 9, 10, 12, 13, 16, 17)], paris)
    with django_assert_max_num_queries(2):
        facts = list(billable.month_facts(2026, 11))
    assert len(facts) == 10


# Absence justification --------------------------------------------------------------

def test_declaring_an_absence_within_the_delay(family, canteen, paris, certificate, agent,
                                               django_capture_on_commit_callbacks):
    parent, child = family.users[0], family.kids[0]
    book_days(family, canteen, [D(2026, 11, 9), D(2026, 11, 10), D(2026, 11, 12)], paris)
    # 72 hours from the end of Monday 9: until Thursday 12 November 24:00 (Friday 00:00).
    assert absences.justification_deadline(canteen, D(2026, 11, 9)).isoformat() == "2026-11-13T00:00:00+01:00"
    justification = absences.declare(parent, child, D(2026, 11, 9), D(2026, 11, 12), certificate,
                                     now=paris(2026, 11, 12, 20), comment="Angine")
    assert justification.status == "pending"
    assert sorted(b.day for b in justification.bookings.all()) == [D(2026, 11, 9), D(2026, 11, 10), D(2026, 11, 12)]
    assert AuditEvent.objects.get(action="absence_justification").actor == parent
    # Nothing is credited before an agent accepts.
    assert all(f.status == billable.BOOKED_NOT_RECORDED for f in billable.month_facts(2026, 11))
    with pytest.raises(Refusal):
        absences.decide(agent, justification, accept=False, now=paris(2026, 11, 13))  # no reason
    with django_capture_on_commit_callbacks(execute=True):
        absences.decide(agent, justification, accept=True, now=paris(2026, 11, 13))
    assert AbsenceJustification.objects.get().status == "accepted"
    assert mail.outbox[-1].to == [parent.email] and "accepté" in mail.outbox[-1].body
    assert {f.status for f in billable.month_facts(2026, 11)} == {billable.BOOKED_ABSENT_JUSTIFIED}
    assert AuditEvent.objects.filter(action="absence_justification").count() == 2


def test_an_absence_declared_too_late_is_refused(family, canteen, paris, certificate):
    book_days(family, canteen, [D(2026, 11, 9)], paris)
    with pytest.raises(Refusal) as error:
        absences.declare(family.users[0], family.kids[0], D(2026, 11, 9), D(2026, 11, 9), certificate,
                         now=paris(2026, 11, 13, 0, 1))
    assert error.value.code == "nothing_to_justify" and "délai dépassé" in error.value.message
    assert not AbsenceJustification.objects.exists()


def test_a_justification_needs_the_childs_medical_certificate(family, canteen, paris, make_family):
    from documents.models import DocumentType, SupportingDocument

    book_days(family, canteen, [D(2026, 11, 9)], paris)
    other = make_family("AUTRE")
    insurance = DocumentType.objects.create(code="assurance", name="Attestation d'assurance", scope="child")
    certificate_type, _ = DocumentType.objects.get_or_create(code="certificat-medical",
                                                             defaults={"name": "Certificat médical"})
    wrong_type = SupportingDocument.objects.create(household=family, child=family.kids[0], document_type=insurance)
    someone_elses = SupportingDocument.objects.create(household=other, child=other.kids[0],
                                                      document_type=certificate_type)
    refused = SupportingDocument.objects.create(household=family, child=family.kids[0],
                                                document_type=certificate_type, status="rejected", reviewed_at=timezone.now(),
                                                rejection_reason="Illisible")
    now = paris(2026, 11, 10)
    for document, code in ((wrong_type, "document_type"), (someone_elses, "document_required"),
                           (refused, "document_rejected"), (None, "document_required")):
        with pytest.raises(Refusal) as error:
            absences.declare(family.users[0], family.kids[0], D(2026, 11, 9), D(2026, 11, 9), document, now=now)
        assert error.value.code == code
    assert not AbsenceJustification.objects.exists()


def test_a_day_is_justified_once(family, canteen, paris, certificate):
    book_days(family, canteen, [D(2026, 11, 9)], paris)
    absences.declare(family.users[0], family.kids[0], D(2026, 11, 9), D(2026, 11, 9), certificate,
                     now=paris(2026, 11, 10))
    with pytest.raises(Refusal) as error:
        absences.declare(family.users[0], family.kids[0], D(2026, 11, 9), D(2026, 11, 9), certificate,
                         now=paris(2026, 11, 10))
    assert "déjà couvert" in error.value.message


def test_another_household_cannot_declare(family, canteen, paris, certificate, make_family):
    book_days(family, canteen, [D(2026, 11, 9)], paris)
    other = make_family("AUTRE")
    with pytest.raises(Refusal) as error:
        absences.declare(other.users[0], family.kids[0], D(2026, 11, 9), D(2026, 11, 9), certificate,
                         now=paris(2026, 11, 10))
    assert error.value.code == "not_allowed"
