"""Attendance on a phone: the demo agent takes the attendance of today's canteen (Jules
Ferry) on a 375 px wide screen — present, absent with a reason, a mark undone, a child
present without booking — then prints the list and reads the meal counts for the
kitchen. axe-core checks the screens."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.fixtures_accounts import browser_login_staff

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest skips (or, with PORTAL_REQUIRE_BROWSER=1, fails) with the reason
    expect = None

PASSWORD = "demo-portail-2026"
PHONE = {"width": 375, "height": 740}


def no_horizontal_scroll(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
def test_an_agent_takes_the_canteen_attendance_on_a_phone(page, live_demo, axe_check):
    from accounts.models import Child
    from services.demo_staff import attendance_day
    from services.models import Activity

    canteen = Activity.objects.get(code="cantine-jules-ferry")
    today = timezone.localdate()
    day = attendance_day(canteen, today)  # today, unless the canteen does not run today
    assert day is not None
    ids = {c.first_name: c.pk for c in Child.objects.filter(first_name__in=["Léa", "Chloé", "Inès", "Hugo"])}

    page.set_viewport_size(PHONE)
    browser_login_staff(page, "agent@example.org", PASSWORD, next_path="/admin/pointage/")
    if day == today:
        page.get_by_role("link", name="Pointer : Cantine école Jules Ferry").click()
    else:
        page.goto(reverse("services_attendance:list", args=[canteen.pk, day.isoformat()]))

    # The day's list, made for the phone: one row per child, big buttons, no sidebar.
    expect(page.get_by_role("heading", level=1)).to_have_text("Cantine école Jules Ferry")
    expect(page.locator(".att-summary")).to_contain_text("3 attendus")
    expect(page.locator("#wagtail-sidebar")).to_have_count(0)
    assert no_horizontal_scroll(page)
    lea = page.locator(f"#enfant-{ids['Léa']}")
    expect(lea).to_contain_text("PAI")
    expect(lea).to_contain_text("Allergies : Arachide")
    lea.get_by_text("Personnes autorisées à venir chercher l'enfant : 1").click()
    expect(lea).to_contain_text("Monique Martin (grand-mère)")
    present = page.get_by_role("button", name="Présent : Léa Martin")
    box = present.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300  # a thumb-sized target, full width
    axe_check(page)

    present.click()
    expect(page.get_by_role("status")).to_contain_text("Léa : présent.")
    expect(page.locator(f"#enfant-{ids['Léa']} .att-state")).to_have_text("✓ Présent")

    page.get_by_label("Motif d'absence : Chloé").select_option(label="maladie")
    page.get_by_role("button", name="Absent : Chloé Petit").click()
    expect(page.get_by_role("status")).to_contain_text("Chloé : absent (maladie).")

    page.get_by_role("button", name="Présent : Inès Durand").click()
    expect(page.get_by_role("status")).to_contain_text("Inès : présent.")
    page.get_by_role("button", name="Effacer le pointage : Inès Durand").click()
    expect(page.get_by_role("status")).to_contain_text("Pointage effacé : Inès.")
    expect(page.locator(f"#enfant-{ids['Inès']} .att-state")).to_have_text("À pointer")
    page.get_by_role("button", name="Présent : Inès Durand").click()
    expect(page.get_by_role("status")).to_contain_text("Inès : présent.")

    # Hugo eats at Jules Ferry today without a booking.
    page.get_by_label("Prénom ou nom de l'enfant").fill("Hugo")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("button", name="Présent sans réservation : Hugo Martin").click()
    expect(page.locator(f"#enfant-{ids['Hugo']} .att-state")).to_have_text("✓ Présent sans réservation")
    expect(page.locator(".att-summary")).to_have_text(
        "3 attendus — 2 présents, 1 absents, 1 sans réservation, 0 à pointer")
    assert no_horizontal_scroll(page)
    axe_check(page)

    # Printed, the list keeps the children and drops the buttons.
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Présent : Léa Martin")).to_be_hidden()
    expect(page.get_by_role("heading", name=re.compile("^Léa Martin"))).to_be_visible()
    page.emulate_media(media="screen")
    page.get_by_role("link", name="Liste imprimable").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Liste de pointage : Cantine école Jules Ferry")
    row = page.get_by_role("row", name=re.compile("^Martin Léa"))
    expect(row).to_contain_text("PAI")
    expect(row).to_contain_text("✓")
    expect(page.get_by_role("row", name=re.compile("^Martin Hugo"))).to_contain_text("sans réservation")
    axe_check(page)

    # The kitchen's figures.
    page.get_by_role("link", name="Retour au pointage").click()
    page.get_by_role("link", name="Effectifs des repas").click()
    table = page.get_by_role("table", name=re.compile("^Repas du"))
    jules_ferry = table.get_by_role("row", name=re.compile("^Restaurant scolaire Jules Ferry"))
    expect(jules_ferry.get_by_role("cell").first).to_have_text("3")  # booked
    expect(jules_ferry.get_by_role("cell").last).to_have_text("3")  # present: Léa, Inès and Hugo
    page.get_by_role("link", name="Voir la semaine").click()
    expect(page.get_by_role("table", name=re.compile("^Repas réservés, semaine du"))).to_be_visible()
    axe_check(page)
