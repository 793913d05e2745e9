"""The invoicing run on real bookings and attendance: services.bookings and
services.attendance write the rows, services.billable.month_facts reads them, the run
(billing.invoicing, with no facts supplied by the test) turns every booking-by-attendance
case into its invoice line; unpaid and reminded invoices never stop a booking."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from billing import invoicing
from billing.models import CollectionOffice, Invoice, Tariff, TariffBracket
from billing.reminders import send_due_reminders
from services import absences, attendance, billable
from services.bookings import book, cancel

pytestmark = pytest.mark.django_db

D = dt.date
M = Decimal


@pytest.fixture
def canteen(catalogue):
    activity = catalogue["cantine-jules-ferry"]
    tariff = Tariff.objects.create(activity=activity, label="Repas", valid_from=D(2026, 1, 1), method="brackets",
                                   unbooked_price=M("5.05"), late_surcharge_percent=M("50"))
    TariffBracket.objects.create(tariff=tariff, label="Unique", price=M("3.60"))
    return activity


@pytest.fixture
def office(canteen):
    office = CollectionOffice.objects.create(code="01", name="Régie Enfance", payment_term_days=30)
    office.activities.set([canteen])
    return office


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


def test_every_booking_by_attendance_case_becomes_its_line(family, canteen, office, agent, paris, make_family,
                                                          enrol, certificate):
    parent, child = family.users[0], family.kids[0]
    for day in (2, 3, 5, 6, 9, 10, 12, 13):
        assert book(parent, child, canteen, D(2026, 11, day), now=paris(2026, 10, 1)).ok
    attendance.mark(agent, child, canteen, D(2026, 11, 2), "present", now=paris(2026, 11, 2, 13))
    attendance.mark(agent, child, canteen, D(2026, 11, 3), "absent", reason="unknown", now=paris(2026, 11, 3, 13))
    # 5: booked, no attendance taken.
    for day in (6, 13):  # cancelled in time (13: present all the same)
        assert cancel(parent, child, canteen, D(2026, 11, day), now=paris(2026, 10, 1)).code == "cancelled"
    for day in (9, 10):  # sick the same morning: cancelled late
        assert cancel(parent, child, canteen, D(2026, 11, day), sick=True, now=paris(2026, 11, day, 8)).late
    attendance.mark(agent, child, canteen, D(2026, 11, 12), "absent", reason="sick", now=paris(2026, 11, 12, 13))
    justification = absences.declare(parent, child, D(2026, 11, 10), D(2026, 11, 12), certificate,
                                     now=paris(2026, 11, 11, 18))
    absences.decide(agent, justification, accept=True, now=paris(2026, 11, 12, 9))
    attendance.mark(agent, child, canteen, D(2026, 11, 13), "present", now=paris(2026, 11, 13, 13))
    # 16: booked late by an agent (deadline overridden): the late surcharge.
    assert book(agent, child, canteen, D(2026, 11, 16), now=paris(2026, 11, 15), override=True).ok
    # Another family's child present without any booking.
    walk_in = make_family("SANSRESA")
    enrol(walk_in.kids[0], canteen)
    attendance.mark(agent, walk_in.kids[0], canteen, D(2026, 11, 5), "present", now=paris(2026, 11, 5, 13))

    run = invoicing.start_run(office, 2026, 11)  # the real services.billable.month_facts
    invoice = Invoice.objects.get(run=run, household=family)
    lines = {line.day.day: (line.fact_status, line.amount) for line in invoice.lines.all()}
    assert lines == {
        2: (billable.BOOKED_PRESENT, M("3.60")),
        3: (billable.BOOKED_ABSENT, M("3.60")),           # absent without justification: charged
        5: (billable.BOOKED_NOT_RECORDED, M("3.60")),     # no attendance taken: charged as booked
        9: (billable.CANCELLED_LATE, M("3.60")),          # cancelled after the deadline: charged
        10: (billable.BOOKED_ABSENT_JUSTIFIED, M("0.00")),  # cancelled late, medical certificate: free
        12: (billable.BOOKED_ABSENT_JUSTIFIED, M("0.00")),  # absent, medical certificate: free
        13: (billable.PRESENT_UNBOOKED, M("5.05")),       # cancelled in time but present: unbooked price
        16: (billable.BOOKED_NOT_RECORDED, M("5.40")),    # late booking: +50 %
    }  # 6: cancelled in time, not invoiced
    assert invoice.total == M("24.85")
    walk_in_invoice = Invoice.objects.get(run=run, household=walk_in)
    assert [(line.fact_status, line.amount) for line in walk_in_invoice.lines.all()] == [
        (billable.PRESENT_UNBOOKED, M("5.05"))]
    # Issued, then run again: every occurrence is already on an invoice.
    invoicing.finalise_run(run)
    again = invoicing.start_run(office, 2026, 11)
    assert (again.lines_created, again.facts_skipped) == (0, 9)
    assert Invoice.objects.count() == 2


def test_an_unpaid_and_twice_reminded_invoice_never_stops_a_booking(family, canteen, office, paris, agent):
    parent, child = family.users[0], family.kids[0]
    assert book(parent, child, canteen, D(2026, 11, 2), now=paris(2026, 10, 1)).ok
    attendance.mark(agent, child, canteen, D(2026, 11, 2), "present", now=paris(2026, 11, 2, 13))
    run = invoicing.start_run(office, 2026, 11)
    invoicing.finalise_run(run, now=paris(2026, 12, 1, 9))
    invoice = Invoice.objects.get(run=run)
    assert send_due_reminders(paris(2027, 1, 15, 9))["first"] == 1
    assert send_due_reminders(paris(2027, 2, 15, 9))["second"] == 1
    invoice.refresh_from_db()
    assert invoice.status == "issued" and invoice.second_reminder_at is not None
    outcome = book(parent, child, canteen, D(2027, 3, 15), now=paris(2027, 2, 15, 10))
    assert outcome.ok, outcome.message
