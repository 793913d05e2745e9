"""The statistics in chromium: a cashier goes from the admin home's panel to the billing
statistics, changes the period, downloads a figure; an agent reaches the services
statistics; axe-core checks each statistics page (charts, tables, the period form)."""

import re

import pytest

from tests.fixtures_accounts import browser_login_staff

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest skips (or, with PORTAL_REQUIRE_BROWSER=1, fails) with the reason
    expect = None

PASSWORD = "demo-portail-2026"


@pytest.mark.browser
def test_staff_read_their_statistics(page, live_demo, axe_check):
    from accounts.models import AuditEvent

    browser_login_staff(page, "regisseur@example.org", PASSWORD)
    page.get_by_role("link", name=re.compile("^Toutes les statistiques : Facturation")).click()
    expect(page).to_have_url(re.compile(r"/admin/statistiques/facturation/$"))
    expect(page.get_by_role("heading", name="Paiements en ligne et au guichet")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("^Paiements en ligne et au guichet"))).to_be_visible()
    axe_check(page)

    page.get_by_label("Période").select_option("2026-2027")
    page.get_by_role("button", name="Afficher", exact=True).click()
    expect(page).to_have_url(re.compile(r"periode=2026-2027"))
    expect(page.get_by_text("Période affichée : année scolaire 2026-2027.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^CSV — Paiements en ligne et au guichet")).click()
    assert download.value.suggested_filename == "statistiques-paiements-en-ligne-et-guichet-2026-2027.csv"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.STAFF_EXPORT,
                                     actor__email="regisseur@example.org").count() == 1
    # The cashier has no services statistics.
    page.goto("/admin/statistiques/services/")
    expect(page).to_have_url(re.compile(r"/admin/$"))


@pytest.mark.browser
def test_an_agent_reads_the_services_statistics(page, live_demo, axe_check):
    browser_login_staff(page, "agent@example.org", PASSWORD)
    expect(page.get_by_role("heading", name=re.compile("^Statistiques — Services"))).to_be_visible()
    page.get_by_role("link", name=re.compile("^Toutes les statistiques : Services")).click()
    expect(page.get_by_role("heading", name="Demandes en attente")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("^Occupation par semaine"))).to_be_visible()
    axe_check(page)
