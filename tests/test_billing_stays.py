"""A stay paid when booked (issues 5 and 6): its prepayment is its own invoice, issued
when the enrolment becomes active; the monthly run never charges its days again; paying
that invoice records the prepayment; an unpaid stay is reminded like any invoice and the
child keeps the place; a stay withdrawn in time is credited."""

import datetime as dt
from decimal import Decimal

import pytest

from billing import invoicing, payments, stays
from billing.models import CollectionOffice, CreditNote, Invoice, InvoiceLine, Tariff, TariffBracket
from billing.reminders import send_due_reminders
from services import billable, enrolments
from services.bookings import book
from services.models import Booking

pytestmark = pytest.mark.django_db

D = dt.date
M = Decimal
STAY_DAY = M("32.50")
LEISURE_DAY = M("4.50")


def _flat_tariff(activity, price, unit="journée"):
    tariff = Tariff.objects.create(activity=activity, label="Tarif", unit=unit, valid_from=D(2026, 1, 1),
                                   method="brackets")
    TariffBracket.objects.create(tariff=tariff, label="Unique", price=price)
    return tariff


@pytest.fixture
def stay(catalogue):
    return catalogue["sejour-ete-cote-opale"]  # 12 to 21 July 2027, paid when booked


@pytest.fixture
def leisure(catalogue):
    return catalogue["centre-vacances-journee"]


@pytest.fixture
def office(stay, leisure):
    office = CollectionOffice.objects.create(code="01", name="Régie Enfance", payment_term_days=30)
    office.activities.set([stay, leisure])
    _flat_tariff(leisure, LEISURE_DAY)
    return office


@pytest.fixture
def family(make_family, enrol, leisure):
    household = make_family("SEJOUR", children=(("Noé", D(2016, 3, 3), "CM2"),))
    enrol(household.kids[0], leisure)
    return household


@pytest.fixture
def accepted(family, stay, agent, paris, django_capture_on_commit_callbacks):
    """Request the stay (1 March 2027), accepted by an agent the next day."""

    def make():
        parent, child = family.users[0], family.kids[0]
        with django_capture_on_commit_callbacks(execute=True):
            enrolment = enrolments.request_enrolment(parent, child, stay, now=paris(2027, 3, 1))
            enrolment, _promoted = enrolments.decide(agent, enrolment, accept=True, now=paris(2027, 3, 2))
        return enrolment

    return make


def test_a_prepaid_stay_has_its_own_invoice_and_is_not_on_the_monthly_one(office, stay, leisure, family, accepted,
                                                                          paris):
    _flat_tariff(stay, STAY_DAY)
    enrolment = accepted()
    assert enrolment.prepayment_status == "due"
    invoice = Invoice.objects.get(enrolment=enrolment)
    assert invoice.status == Invoice.Status.ISSUED and invoice.number == "F01-27-07-0000001"
    assert invoice.total == 10 * STAY_DAY and invoice.lines.count() == 10
    assert invoice.due_date <= D(2027, 7, 12)  # paid before the stay begins
    assert invoice.payer.user == family.users[0]
    # A leisure-centre day in the same month, booked as usual.
    parent, child = family.users[0], family.kids[0]
    assert book(parent, child, leisure, D(2027, 7, 7), now=paris(2027, 3, 3)).ok
    # month_facts still says which days are the stay's (prepaid) ...
    facts = list(billable.month_facts(2027, 7))
    assert sorted(f.prepaid for f in facts) == [False] + [True] * 10
    # ... and the monthly run charges only the leisure day.
    run = invoicing.start_run(office, 2027, 7)
    invoicing.finalise_run(run)
    monthly = Invoice.objects.get(run=run)
    assert list(monthly.lines.values_list("activity_id", "day")) == [(leisure.pk, D(2027, 7, 7))]
    assert monthly.total == LEISURE_DAY and not monthly.is_supplementary
    assert monthly.number == "F01-27-07-0000002"
    # Totals match: every day charged once, the stay exactly at its prepayment.
    lines = InvoiceLine.objects.filter(child=child)
    assert lines.filter(activity=stay).count() == 10
    assert sum(i.total for i in Invoice.objects.all()) == 10 * STAY_DAY + LEISURE_DAY
    # A second run adds nothing.
    again = invoicing.start_run(office, 2027, 7)
    assert again.invoices_created == 0 and InvoiceLine.objects.count() == 11


def test_the_enrolment_preview_tells_what_the_stay_will_cost_and_the_invoice_says_the_same(office, stay, family,
                                                                                         accepted, paris):
    """The parent reads the price before asking (nothing written), and the stay's invoice
    then charges exactly that; without a tariff yet, the preview says so."""
    parent, child = family.users[0], family.kids[0]
    unpriced = enrolments.preview_request(parent, child, stay, now=paris(2027, 3, 1))
    assert (unpriced.stay_days, unpriced.stay_price) == (10, None)
    _flat_tariff(stay, STAY_DAY)
    preview = enrolments.preview_request(parent, child, stay, now=paris(2027, 3, 1))
    assert preview.status == "pending" and (preview.stay_days, preview.stay_price) == (10, 10 * STAY_DAY)
    assert not Invoice.objects.exists()
    enrolment = accepted()
    assert Invoice.objects.get(enrolment=enrolment).total == preview.stay_price


def test_paying_the_stay_invoice_records_the_prepayment(office, stay, accepted, agent):
    _flat_tariff(stay, STAY_DAY)
    enrolment = accepted()
    invoice = Invoice.objects.get(enrolment=enrolment)
    payments.record_desk_payment(invoice, amount="100.00", method="cash", user=agent)
    enrolment.refresh_from_db()
    assert enrolment.prepayment_status == "due"  # partly paid: still due
    payments.record_desk_payment(invoice, amount=str(10 * STAY_DAY - 100), method="cheque", cheque_number="123",
                                 bank="Banque", user=agent)
    enrolment.refresh_from_db()
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert enrolment.prepayment_status == "paid" and enrolment.prepayment_reference == invoice.number
    assert not enrolments.prepayments_due().exists()


def test_an_unpaid_stay_is_reminded_and_the_child_keeps_the_place(office, stay, accepted, paris):
    _flat_tariff(stay, STAY_DAY)
    enrolment = accepted()
    invoice = Invoice.objects.get(enrolment=enrolment)
    counts = send_due_reminders(paris(2027, 7, 30))
    invoice.refresh_from_db()
    assert counts["first"] == 1 and invoice.first_reminder_at is not None
    enrolment.refresh_from_db()
    assert enrolment.status == "active" and enrolment.prepayment_status == "due"
    assert Booking.objects.filter(child=enrolment.child, activity=stay, status="booked").count() == 10
    # The job never issues a second invoice for it.
    assert stays.invoice_due_stays(paris(2027, 7, 30)) == 0
    assert Invoice.objects.filter(enrolment=enrolment).count() == 1


def test_a_stay_withdrawn_in_time_is_credited(office, stay, family, accepted, paris,
                                              django_capture_on_commit_callbacks):
    _flat_tariff(stay, STAY_DAY)
    enrolment = accepted()
    invoice = Invoice.objects.get(enrolment=enrolment)
    with django_capture_on_commit_callbacks(execute=True):
        enrolments.withdraw(family.users[0], enrolment, now=paris(2027, 4, 1))
    note = CreditNote.objects.get(invoice=invoice)
    invoice.refresh_from_db()
    assert note.amount == 10 * STAY_DAY and note.lines.count() == 10
    assert invoice.status == Invoice.Status.CANCELLED and invoice.balance == 0


def test_a_stay_without_a_tariff_is_invoiced_once_the_tariff_exists(office, stay, accepted, paris):
    enrolment = accepted()
    assert not Invoice.objects.filter(enrolment=enrolment).exists()
    # Meanwhile the monthly run does not charge its days either.
    run = invoicing.start_run(office, 2027, 7)
    assert run.lines_created == 0 and not InvoiceLine.objects.exists()
    _flat_tariff(stay, STAY_DAY)
    assert stays.invoice_due_stays(paris(2027, 3, 10)) == 1
    invoice = Invoice.objects.get(enrolment=enrolment)
    assert invoice.total == 10 * STAY_DAY
    assert stays.invoice_due_stays(paris(2027, 3, 11)) == 0


def test_the_periodic_job_is_registered():
    from billing.wagtail_hooks import billing_periodic_jobs

    names = {job["name"]: job for job in billing_periodic_jobs()}
    assert names["billing.stay_invoices"]["run"](None) == 0
