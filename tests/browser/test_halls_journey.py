"""Hall hire in chromium: the demo parent requests a hall from its calendar, sees the price
and the deposit before confirming; an agent approves it in the admin; the parent sees the
approval. axe-core checks each parent screen."""

import datetime as dt
import re

import pytest
from django.utils import dateformat, timezone, translation

from halls.models import HallClosure
from tests.fixtures_accounts import browser_login_staff

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest skips (or, with PORTAL_REQUIRE_BROWSER=1, fails) with the reason
    expect = None

PASSWORD = "demo-portail-2026"


def log_in(page, email):
    page.goto("/fr/compte/connexion/")
    page.get_by_label("Adresse e-mail", exact=True).fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter", exact=True).click()
    expect(page).to_have_url(re.compile(r"/fr/compte/$"))


def french(day, pattern):
    with translation.override("fr"):
        return dateformat.format(day, pattern)


@pytest.mark.browser
def test_a_parent_requests_a_hall_and_an_agent_approves_it(page, browser, live_server, live_demo, axe_check):
    today = timezone.localdate()
    day = today + dt.timedelta(days=45)
    day += dt.timedelta(days=(6 - day.weekday()) % 7)  # a Sunday: the demo holds Saturdays only
    while HallClosure.objects.filter(start_date__lte=day, end_date__gte=day).exists():
        day += dt.timedelta(days=7)

    # The parent's space leads to hall hire.
    log_in(page, "marie.martin@example.org")
    page.get_by_role("link", name="Louer une salle municipale").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Louer une salle municipale")
    expect(page.get_by_role("main")).to_contain_text("300,00 €")
    axe_check(page)

    # The calendar of the Nymphéas, on the month of the chosen day.
    page.get_by_role("link", name="Disponibilités : Nymphéas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Disponibilités : Nymphéas")
    while french(day, "F Y") not in page.locator("caption").inner_text():
        page.get_by_role("link", name=re.compile("^Mois suivant")).click()
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader", name=re.compile("^Journée"))).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=f"Libre — demander le créneau Journée du {french(day, 'l j F Y')}").click()

    # The form, prefilled from the calendar and the account.
    expect(page.get_by_role("heading", level=1)).to_have_text("Demande de location : Nymphéas")
    expect(page.get_by_label("Date", exact=True)).to_have_value(day.isoformat())
    expect(page.get_by_label("Journée", exact=False)).to_be_checked()
    axe_check(page)
    page.get_by_label("Nature de l'événement").fill("Communion de Léa")
    page.get_by_role("button", name="Voir le tarif et confirmer").click()
    # A mistake is reported at the top and at its field.
    expect(page.get_by_role("alert")).to_contain_text("Nombre de personnes attendues")
    axe_check(page)
    page.get_by_label("Nombre de personnes attendues").fill("70")
    page.get_by_role("button", name="Voir le tarif et confirmer").click()

    # The price, the deposit and the fees before confirming.
    main = page.get_by_role("main")
    expect(main).to_contain_text("Vérifiez votre demande : rien n'est encore enregistré.")
    expect(main).to_contain_text("550,00 €")
    expect(page.get_by_role("table", name="Frais d'annulation selon la date d'annulation")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Confirmer la demande (300,00 €)").click()

    # The request, pending, with its slot held.
    expect(page.get_by_role("status")).to_contain_text("est enregistrée : le créneau vous est réservé")
    expect(main).to_contain_text("État : en attente de décision")
    reference = re.search(r"SAL-\d{4}-\d{5}", page.get_by_role("heading", level=1).inner_text()).group(0)
    detail_url = page.url
    axe_check(page)

    # The agent approves it in the admin (a context of its own: the Wagtail admin's user
    # avatar asks gravatar.com, which the site's CSP blocks; that is not hall hire's page).
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris")
    try:
        admin = context.new_page()
        browser_login_staff(admin, "agent@example.org", PASSWORD)
        admin.goto("/admin/salles/demandes/?status=pending")
        admin.get_by_role("link", name=reference).click()
        expect(admin.get_by_role("main")).to_contain_text("Foyer MARTIN")
        admin.get_by_role("button", name="Accepter la demande").click()
        expect(admin.get_by_text("Demande acceptée ; le demandeur est prévenu par e-mail.")).to_be_visible()
    finally:
        context.close()

    # The parent sees the approval.
    page.goto(detail_url)
    expect(page.get_by_role("main")).to_contain_text("État : acceptée")
    expect(page.get_by_role("link", name="Annuler cette demande")).to_be_visible()
    axe_check(page)
