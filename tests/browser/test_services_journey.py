"""Booking in chromium: the demo parent books three canteen days and a Wednesday at the
leisure centre, is refused a day whose deadline passed while the page was open (the
reason shown), cancels one day, and reads the history of the changes. axe-core checks each
parent screen. The screens' clock (``services.clock.now``) is fixed: the live server
runs in this process."""

import datetime as dt
import re

import pytest

from services import clock as services_clock
from services.calendars import PARIS

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest skips (or, with PORTAL_REQUIRE_BROWSER=1, fails) with the reason
    expect = None

PASSWORD = "demo-portail-2026"
D = dt.date


def log_in(page, email):
    page.goto("/fr/compte/connexion/")
    page.get_by_label("Adresse e-mail", exact=True).fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter", exact=True).click()
    expect(page).to_have_url(re.compile(r"/fr/compte/$"))


@pytest.mark.browser
def test_a_parent_books_is_refused_past_the_deadline_and_cancels(page, live_server, live_demo, axe_check,
                                                                 monkeypatch):
    from accounts.models import Child
    from services.models import Booking, BookingChange

    moment = {"now": dt.datetime(2026, 11, 5, 23, 50, tzinfo=PARIS)}  # Thursday, ten minutes before a deadline
    monkeypatch.setattr(services_clock, "now", lambda: moment["now"])
    lea = Child.objects.get(household__code="F-000101", first_name="Léa")
    changes_before = BookingChange.objects.filter(child=lea).count()

    log_in(page, "marie.martin@example.org")
    page.goto("/fr/restauration-scolaire/")
    page.get_by_role("link", name="Inscrire ou réserver : Restauration scolaire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscrire et réserver : Restauration scolaire")
    axe_check(page)
    page.get_by_role("link", name="Calendrier de Léa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendrier de novembre 2026 — Léa")
    main = page.get_by_role("main")
    expect(main).to_contain_text("modifiable jusqu'au jeudi 5 novembre 2026 à 23:59")
    axe_check(page)

    # Three canteen days, and Thursday 12, whose deadline passes before the form is sent.
    for day in ("jeudi 12 novembre 2026", "lundi 16 novembre 2026", "mardi 17 novembre 2026",
                "jeudi 19 novembre 2026"):
        page.get_by_label(f"Réserver le {day} — Cantine école Jules Ferry, Léa").check()
    moment["now"] = dt.datetime(2026, 11, 6, 0, 1, tzinfo=PARIS)
    page.get_by_role("button", name="Voir le récapitulatif et le prix").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez vos changements")
    expect(main).to_contain_text("Jours à réserver : 3")
    expect(main).to_contain_text("Le délai de réservation est dépassé : la réservation était possible jusqu'au "
                                 "jeudi 5 novembre 2026 à 23:59.")
    expect(main).to_contain_text("Rien n'est encore enregistré")
    assert not Booking.objects.filter(child=lea, day__gte=D(2026, 11, 12), day__lte=D(2026, 11, 19)).exists()
    axe_check(page)
    page.get_by_role("button", name="Confirmer les changements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos changements")
    expect(main).to_contain_text("Vos changements sont enregistrés.")
    expect(main).to_contain_text("Jours réservés : 3")
    expect(main).to_contain_text("Montant ajouté à votre prochaine facture")
    axe_check(page)
    assert sorted(Booking.objects.filter(child=lea, status="booked", activity__code="cantine-jules-ferry",
                                         day__gte=D(2026, 11, 12), day__lte=D(2026, 11, 30))
                  .values_list("day", flat=True)) == [D(2026, 11, 16), D(2026, 11, 17), D(2026, 11, 19)]

    # A Wednesday at the leisure centre.
    page.goto("/fr/centre-de-loisirs/espace/")
    page.get_by_role("link", name="Calendrier de Léa").click()
    page.get_by_label("Réserver le mercredi 18 novembre 2026 — Centre de loisirs du mercredi – matin, Léa").check()
    page.get_by_role("button", name="Voir le récapitulatif et le prix").click()
    expect(main).to_contain_text("Jours à réserver : 1")
    page.get_by_role("button", name="Confirmer les changements").click()
    expect(main).to_contain_text("Jours réservés : 1")
    assert Booking.objects.get(child=lea, activity__code="centre-mercredi-matin", day=D(2026, 11, 18)).status \
        == "booked"

    # Unticking a booked day cancels it.
    page.goto("/fr/restauration-scolaire/espace/")
    page.get_by_role("link", name="Calendrier de Léa").click()
    checkbox = page.get_by_label("Garder le jeudi 19 novembre 2026 — Cantine école Jules Ferry, Léa")
    expect(checkbox).to_be_checked()
    checkbox.uncheck()
    page.get_by_role("button", name="Voir le récapitulatif et le prix").click()
    expect(main).to_contain_text("Jours à annuler : 1")
    axe_check(page)
    page.get_by_role("button", name="Confirmer les changements").click()
    expect(main).to_contain_text("Jours annulés : 1")
    assert Booking.objects.get(child=lea, activity__code="cantine-jules-ferry", day=D(2026, 11, 19)).status \
        == "cancelled"

    # The history of the changes, from the confirmation.
    page.get_by_role("link", name="Historique des réservations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Historique des réservations")
    page.get_by_role("link", name="Léa", exact=True).click()
    thursday = page.get_by_role("row").filter(has_text="Cantine école Jules Ferry, jeudi 19 novembre 2026")
    expect(thursday).to_have_count(2)  # booked, then cancelled: both by the parent
    expect(thursday.filter(has_text="annulé")).to_contain_text("vous")
    expect(page.get_by_role("table")).to_contain_text("Centre de loisirs du mercredi – matin, mercredi 18 novembre 2026")
    expect(page.get_by_role("table")).to_contain_text("Cantine école Jules Ferry, lundi 16 novembre 2026")
    axe_check(page)
    changes = list(BookingChange.objects.filter(child=lea).order_by("pk")
                   .values_list("action", "day", "actor__email"))[changes_before:]
    assert changes == [
        ("booked", D(2026, 11, 16), "marie.martin@example.org"),
        ("booked", D(2026, 11, 17), "marie.martin@example.org"),
        ("booked", D(2026, 11, 19), "marie.martin@example.org"),
        ("booked", D(2026, 11, 18), "marie.martin@example.org"),
        ("cancelled", D(2026, 11, 19), "marie.martin@example.org"),
    ]
