"""The demo parent pays last month's invoice in the PayFiP simulator, in chromium.

The invoice is made by the real monthly run, from facts supplied in the test process
(the live server runs in the same process); after the merge with the services' bookings
the demo's own invoice can be used instead."""

import datetime
import re

import pytest
from django.utils import timezone

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest skips (or, with PORTAL_REQUIRE_BROWSER=1, fails) with the reason
    expect = None

PARENT_EMAIL = "marie.martin@example.org"
PARENT_PASSWORD = "demo-portail-2026"


@pytest.fixture
def last_month_invoice(live_demo, run_month):
    from accounts.models import Child, Household
    from billing.models import CollectionOffice, Invoice
    from services import billable
    from services.models import Activity

    household = Household.objects.get(code="F-000101")
    lea = Child.objects.get(household=household, first_name="Léa")
    canteen = Activity.objects.get(code="cantine-jules-ferry")
    office = CollectionOffice.objects.get(code="01")
    last = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    days = [last.replace(day=d) for d in range(1, last.day + 1) if last.replace(day=d).weekday() in (0, 1, 3, 4)][:6]
    facts = [billable.BillableFact(key=f"browser:{day}", household_id=household.pk, child_id=lea.pk,
                                   activity_id=canteen.pk, day=day, status=billable.BOOKED_PRESENT)
             for day in days]
    run = run_month(office, last.year, last.month, facts, finalise=True)
    return Invoice.objects.get(run=run, household=household)


@pytest.mark.browser
def test_parent_pays_last_months_invoice_in_the_simulator(page, last_month_invoice, axe_check):
    invoice = last_month_invoice
    page.goto("/fr/compte/connexion/?next=/fr/factures/")
    page.get_by_label("Adresse e-mail", exact=True).fill(PARENT_EMAIL)
    page.get_by_label("Mot de passe", exact=True).fill(PARENT_PASSWORD)
    page.get_by_role("button", name="Se connecter", exact=True).click()
    expect(page).to_have_url(re.compile(r"/fr/factures/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes factures")
    row = page.get_by_role("row").filter(has_text=invoice.number)
    expect(row).to_contain_text("à payer")
    axe_check(page)

    page.get_by_role("link", name=invoice.number, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Facture {invoice.number}")
    expect(page.get_by_role("main")).to_contain_text("Léa")
    axe_check(page)
    page.get_by_role("button", name=re.compile(r"^Payer .* en ligne \(PayFiP\)$")).click()

    # The simulator's payment page (PayFiP's hosted page in production).
    expect(page.get_by_role("heading", level=1)).to_have_text("Simulateur PayFiP")
    expect(page.get_by_role("main")).to_contain_text(invoice.refdet())
    axe_check(page)
    page.get_by_role("button", name="Payer par carte", exact=True).click()

    # Back on the portal: paid, and the payment in the history.
    expect(page).to_have_url(re.compile(rf"/fr/factures/{invoice.pk}/\?paiement="))
    expect(page.get_by_role("status")).to_contain_text("Paiement accepté")
    expect(page.locator(".invoice-summary")).to_contain_text("payée")
    expect(page.get_by_role("table", name="Paiements reçus pour cette facture")).to_contain_text(
        "carte bancaire en ligne (PayFiP)")
    axe_check(page)
    page.get_by_role("link", name="Toutes mes factures").click()
    page.get_by_role("link", name="Mes paiements").click()
    expect(page.get_by_role("table", name="Historique de vos paiements")).to_contain_text(invoice.number)
    axe_check(page)
