"""The monthly run: each booking-by-attendance case, payers, re-runs, numbering, issue,
credit notes, e-mails and the audit trail."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection

from accounts.models import AuditEvent
from billing import invoicing
from billing.models import CreditNote, Invoice, InvoiceLine, InvoicingRun, NumberSequence
from services import billable

D = Decimal
NOV = [datetime.date(2026, 11, day) for day in (2, 3, 5, 6, 9, 10, 12, 13)]


def lines_of(invoice):
    return list(invoice.lines.order_by("day", "id"))


@pytest.mark.parametrize("status, amount, has_line", [
    (billable.BOOKED_PRESENT, D("2.28"), True),
    (billable.BOOKED_ABSENT, D("2.28"), True),           # absent without justification: charged
    (billable.BOOKED_NOT_RECORDED, D("2.28"), True),     # no attendance taken: charged as booked
    (billable.CANCELLED_LATE, D("2.28"), True),          # cancelled after the deadline: charged
    (billable.PRESENT_UNBOOKED, D("5.05"), True),        # presence without booking: surcharge
    (billable.BOOKED_ABSENT_JUSTIFIED, D("0.00"), True),  # medical certificate: shown at 0
    (billable.CANCELLED_IN_TIME, None, False),           # cancelled in time: not invoiced
])
def test_each_booking_by_attendance_case(billing_world, fact, run_month, status, amount, has_line):
    world = billing_world
    facts = [fact(world.lea, world.canteen, NOV[0]), fact(world.lea, world.canteen, NOV[1], status)]
    run = run_month(world.office, 2026, 11, facts)
    invoice = Invoice.objects.get(run=run)
    lines = lines_of(invoice)
    assert len(lines) == (2 if has_line else 1)
    if has_line:
        assert lines[1].amount == amount
        assert lines[1].fact_status == status
    assert invoice.total == D("2.28") + (amount or 0)


def test_late_booking_carries_the_surcharge(billing_world, fact, run_month):
    world = billing_world
    run = run_month(world.office, 2026, 11, [fact(world.lea, world.canteen, NOV[0], booked_late=True)])
    line = Invoice.objects.get(run=run).lines.get()
    assert line.amount == D("3.42")
    assert "tardive" in line.description


def test_rank_and_quotient_on_the_invoice(billing_world, fact, run_month):
    world = billing_world
    run = run_month(world.office, 2026, 11, [
        fact(world.lea, world.leisure, datetime.date(2026, 11, 4)),
        fact(world.hugo, world.leisure, datetime.date(2026, 11, 4)),
    ])
    invoice = Invoice.objects.get(run=run)
    assert [line.amount for line in invoice.lines.all()] == [D("2.95"), D("2.95")]  # 0.36 % × 820
    assert invoice.lines.first().pricing["qf"] == "820.00"


def test_quotient_change_is_not_retroactive_on_invoices(billing_world, fact, run_month):
    world = billing_world
    from billing import quotients

    world.couple.family_quotient = D("200")
    quotients.record_change(world.couple, today=datetime.date(2026, 11, 20))  # applies from December
    run_month(world.office, 2026, 11, [fact(world.lea, world.canteen, NOV[0], key="nov")])
    run_month(world.office, 2026, 12, [fact(world.lea, world.canteen, datetime.date(2026, 12, 1), key="dec")])
    assert InvoiceLine.objects.get(fact_key="nov").amount == D("2.28")  # T4, the old quotient
    assert InvoiceLine.objects.get(fact_key="dec").amount == D("0.13")  # T1 from December


def test_facts_without_tariff_are_left_for_later(billing_world, fact, run_month):
    world = billing_world
    run = run_month(world.office, 2026, 11, [fact(world.lea, world.untariffed, NOV[0], key="sortie-1")])
    assert run.facts_without_tariff == 1
    assert not InvoiceLine.objects.filter(fact_key="sortie-1").exists()


def test_one_invoice_per_payer_and_separated_parents_get_their_own(billing_world, fact, run_month):
    world = billing_world
    thomas_user = world.users["thomas@example.org"]
    sophie_user = world.users["sophie@example.org"]
    run = run_month(world.office, 2026, 11, [
        fact(world.chloe, world.canteen, NOV[0], booked_by_id=thomas_user.pk),
        fact(world.chloe, world.canteen, NOV[1], booked_by_id=sophie_user.pk),
        fact(world.nathan, world.canteen, NOV[0], booked_by_id=thomas_user.pk),  # no right on Nathan: Sophie pays
        fact(world.chloe, world.canteen, NOV[2]),  # an agent's booking: the first payer holding the right
        fact(world.lea, world.canteen, NOV[0], booked_by_id=world.users["julien@example.org"].pk),  # not a payer
        fact(world.hugo, world.canteen, NOV[0]),
    ])
    invoices = {i.payer_id: i for i in Invoice.objects.filter(run=run)}
    assert set(invoices) == {world.thomas.pk, world.sophie.pk, world.marie.pk}
    assert invoices[world.thomas.pk].lines.count() == 1
    assert invoices[world.sophie.pk].lines.count() == 3
    assert invoices[world.marie.pk].lines.count() == 2
    assert run.invoices_created == 3 and run.lines_created == 6


def test_rerunning_never_invoices_an_occurrence_twice(billing_world, fact, run_month):
    world = billing_world
    facts = [fact(world.lea, world.canteen, day) for day in NOV[:3]]
    run_month(world.office, 2026, 11, facts)
    second = run_month(world.office, 2026, 11, facts + [fact(world.lea, world.canteen, NOV[3])])
    assert second.facts_skipped == 3 and second.lines_created == 1
    invoice = Invoice.objects.get(payer=world.marie, status=Invoice.Status.DRAFT)
    assert invoice.lines.count() == 4  # the same draft, completed
    assert invoice.total == D("9.12")
    # The fact key is unique in the database, whatever the code does.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceLine.objects.create(invoice=invoice, fact_key=facts[0].key, child=world.lea, activity=world.canteen,
                                   day=NOV[0], fact_status="booked_present", description="x", unit_price=1, amount=1)


def test_late_facts_after_issue_go_to_a_complementary_invoice(billing_world, fact, run_month):
    world = billing_world
    facts = [fact(world.lea, world.canteen, NOV[0])]
    run_month(world.office, 2026, 11, facts, finalise=True)
    later = run_month(world.office, 2026, 11, facts + [fact(world.lea, world.canteen, NOV[1])])
    supplementary = Invoice.objects.get(run=later)
    assert supplementary.is_supplementary and supplementary.status == Invoice.Status.DRAFT
    assert supplementary.lines.count() == 1


def test_run_progress_and_task(billing_world, fact, run_month):
    world = billing_world
    run = run_month(world.office, 2026, 11, [fact(world.lea, world.canteen, NOV[0]),
                                             fact(world.chloe, world.canteen, NOV[0])])
    assert run.status == InvoicingRun.Status.DRAFTED
    assert (run.progress_done, run.progress_total, run.progress_percent) == (2, 2, 100)
    assert run.started_at and run.finished_at


def test_a_failing_run_is_marked_failed(billing_world):
    world = billing_world

    def broken(year, month, activity_ids=None):
        raise RuntimeError("base indisponible")

    run = InvoicingRun.objects.create(office=world.office, year=2026, month=11)
    with pytest.raises(RuntimeError):
        invoicing.execute_run(run.pk, facts_source=broken)
    run.refresh_from_db()
    assert run.status == InvoicingRun.Status.FAILED and "base indisponible" in run.error


def test_finalise_numbers_without_gaps_and_emails_the_payers(billing_world, fact, run_month,
                                                           django_capture_on_commit_callbacks):
    world = billing_world
    run = run_month(world.office, 2026, 11, [fact(world.lea, world.canteen, NOV[0]),
                                             fact(world.chloe, world.canteen, NOV[0]),
                                             fact(world.chloe, world.canteen, NOV[1],
                                                  booked_by_id=world.users["thomas@example.org"].pk)])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        count = invoicing.finalise_run(run, now=datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC))
    assert count == 3
    numbers = list(Invoice.objects.filter(run=run).order_by("number").values_list("number", flat=True))
    assert numbers == ["F01-26-11-0000001", "F01-26-11-0000002", "F01-26-11-0000003"]
    invoice = Invoice.objects.get(number="F01-26-11-0000001")
    assert invoice.status == Invoice.Status.ISSUED and invoice.due_date == datetime.date(2026, 12, 31)
    assert sorted(m.to[0] for m in mail.outbox) == ["marie@example.org", "sophie@example.org", "thomas@example.org"]
    assert "F01-26-11-0000001" in mail.outbox[0].subject or any("F01-26-11" in m.subject for m in mail.outbox)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.INVOICE).count() == 3
    # The next run continues the sequence.
    december = run_month(world.office, 2026, 12, [fact(world.lea, world.canteen, datetime.date(2026, 12, 1))],
                         finalise=True)
    assert Invoice.objects.get(run=december).number == "F01-26-12-0000004"
    with pytest.raises(invoicing.InvoicingError):
        invoicing.finalise_run(run)


def test_published_email_is_optional_and_in_the_payers_language(billing_world, fact, run_month, monkeypatch,
                                                               django_capture_on_commit_callbacks):
    world = billing_world
    marie = world.users["marie@example.org"]
    marie.preferred_language = "en"
    marie.save()
    refused = world.users["sophie@example.org"]
    monkeypatch.setattr("billing.notifications.wants_email", lambda user, kind: user.pk != refused.pk)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run_month(world.office, 2026, 11, [fact(world.lea, world.canteen, NOV[0]),
                                           fact(world.chloe, world.canteen, NOV[0])], finalise=True)
    assert [m.to for m in mail.outbox] == [["marie@example.org"]]
    assert "invoice" in mail.outbox[0].subject.lower()


def test_issued_invoices_are_corrected_by_credit_notes_only(billing_world, fact, run_month):
    world = billing_world
    run = run_month(world.office, 2026, 11, [fact(world.lea, world.canteen, day) for day in NOV[:3]], finalise=True)
    invoice = Invoice.objects.get(run=run)
    line = invoice.lines.first()
    note = invoicing.issue_credit_note(invoice, reason="Absence justifiée tardive", lines=[line],
                                       now=datetime.datetime(2026, 12, 5, tzinfo=datetime.UTC))
    assert note.number == "A01-26-0000001" and note.amount == D("2.28")
    invoice.refresh_from_db()
    assert invoice.amount_credited == D("2.28") and invoice.balance == D("4.56")
    assert invoice.total == D("6.84")  # the invoice itself never changes
    with pytest.raises(invoicing.InvoicingError):
        invoicing.issue_credit_note(invoice, reason="encore", lines=[line])  # already credited
    with pytest.raises(invoicing.InvoicingError):
        invoicing.issue_credit_note(invoice, reason="trop", amount="10")  # more than what is left
    with pytest.raises(invoicing.InvoicingError):
        invoicing.issue_credit_note(invoice, reason="", amount="1")
    final = invoicing.issue_credit_note(invoice, reason="Geste commercial", amount="4.56")
    invoice.refresh_from_db()
    assert final.number == "A01-26-0000002"
    assert invoice.status == Invoice.Status.CANCELLED and invoice.balance == 0
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREDIT_NOTE).count() == 2
    # A credited occurrence is still never invoiced again.
    again = run_month(world.office, 2026, 11, [billable.BillableFact(
        key=line.fact_key, household_id=world.couple.pk, child_id=world.lea.pk, activity_id=world.canteen.pk,
        day=line.day, status=billable.BOOKED_PRESENT)])
    assert again.facts_skipped == 1 and again.lines_created == 0


def test_drafts_can_be_deleted_but_not_issued_invoices(billing_world, fact, run_month):
    world = billing_world
    facts = [fact(world.lea, world.canteen, NOV[0])]
    run = run_month(world.office, 2026, 11, facts)
    draft = Invoice.objects.get(run=run)
    invoicing.delete_draft(draft)
    assert not Invoice.objects.filter(pk=draft.pk).exists()
    rerun = run_month(world.office, 2026, 11, facts, finalise=True)  # the occurrence comes back
    issued = Invoice.objects.get(run=rerun)
    with pytest.raises(invoicing.InvoicingError):
        invoicing.delete_draft(issued)
    with pytest.raises(invoicing.InvoicingError):
        invoicing.issue_credit_note(issued, reason="x", lines=[999999])  # not a line of this invoice


def test_zero_invoices_are_not_made(billing_world, fact, run_month):
    world = billing_world
    run = run_month(world.office, 2026, 11, [fact(world.lea, world.canteen, NOV[0], billable.BOOKED_ABSENT_JUSTIFIED)])
    assert run.invoices_created == 0 and not Invoice.objects.exists()


# --- Concurrency on PostgreSQL (real parallel connections) ------------------------------------


def _in_thread(target, *args):
    errors = []

    def body():
        try:
            target(*args)
        except Exception as error:  # reported to the test
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=body)
    return thread, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_finalised_at_once_number_without_gaps(billing_world, fact, run_month):
    if connection.vendor != "postgresql":
        pytest.skip("select_for_update needs PostgreSQL (real parallel connections)")
    world = billing_world
    from billing.models import CollectionOffice

    # Two runs of the same office: November for the couple, December for the separated parents.
    nov = run_month(world.office, 2026, 11, [fact(world.lea, world.canteen, d) for d in NOV[:2]]
                    + [fact(world.chloe, world.canteen, NOV[0])])
    dec = run_month(world.office, 2026, 12, [fact(world.hugo, world.canteen, datetime.date(2026, 12, 1)),
                                             fact(world.chloe, world.canteen, datetime.date(2026, 12, 1),
                                                  booked_by_id=world.users["thomas@example.org"].pk),
                                             fact(world.nathan, world.canteen, datetime.date(2026, 12, 3))])
    assert CollectionOffice.objects.count() == 1
    barrier = threading.Barrier(2)

    def finalise(run):
        barrier.wait()
        invoicing.finalise_run(run)

    threads = [_in_thread(finalise, run) for run in (nov, dec)]
    for thread, _errors in threads:
        thread.start()
    for thread, _errors in threads:
        thread.join(30)
    assert [e for _t, errors in threads for e in errors] == []
    sequences = sorted(Invoice.objects.exclude(status="draft").values_list("sequence_number", flat=True))
    assert sequences == [1, 2, 3, 4, 5]  # November: Marie, Sophie; December: Marie, Thomas, Sophie
    assert NumberSequence.objects.get(office=world.office, kind="invoice", year=2026).last_number == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_of_the_same_month_at_once_invoice_each_occurrence_once(billing_world, fact):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (real parallel connections)")
    world = billing_world
    facts = [fact(child, world.canteen, day) for child in (world.lea, world.hugo, world.chloe, world.nathan)
             for day in NOV]
    runs = [InvoicingRun.objects.create(office=world.office, year=2026, month=11) for _ in range(2)]
    barrier = threading.Barrier(2)

    def go(run):
        barrier.wait()
        invoicing.execute_run(run.pk, facts_source=lambda y, m, activity_ids=None: facts)

    threads = [_in_thread(go, run) for run in runs]
    for thread, _errors in threads:
        thread.start()
    for thread, _errors in threads:
        thread.join(30)
    assert [e for _t, errors in threads for e in errors] == []
    assert InvoiceLine.objects.count() == len(facts)
    assert Invoice.objects.filter(status="draft").count() == 2  # one per payer: Marie, Sophie
    assert sum(InvoicingRun.objects.values_list("lines_created", flat=True)) == len(facts)


def test_credit_note_numbers_are_per_office_and_year(billing_world, fact, run_month):
    world = billing_world
    run = run_month(world.office, 2026, 11, [fact(world.lea, world.canteen, NOV[0]),
                                             fact(world.chloe, world.canteen, NOV[0])], finalise=True)
    a, b = Invoice.objects.filter(run=run).order_by("number")
    invoicing.issue_credit_note(a, reason="x", amount="1", now=datetime.datetime(2026, 12, 31, 12, tzinfo=datetime.UTC))
    note = invoicing.issue_credit_note(b, reason="y", amount="1",
                                       now=datetime.datetime(2027, 1, 2, 12, tzinfo=datetime.UTC))
    assert note.number == "A01-27-0000001"
    assert CreditNote.objects.count() == 2
