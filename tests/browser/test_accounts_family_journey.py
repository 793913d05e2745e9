"""A new parent registers, verifies the e-mail (read from the test mail outbox), links the
account to the household the commune holds, changes a phone number, adds an authorised
person and finds both changes in the household's history; axe-core checks each screen.
Then an agent logs into the admin with the second factor (tests/fixtures_accounts.py)."""

import datetime
import re

import pytest
from django.core import mail

from tests.fixtures_accounts import browser_login_staff

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest skips (or, with PORTAL_REQUIRE_BROWSER=1, fails) with the reason
    expect = None

EMAIL = "claire.lambert@example.org"
PASSWORD = "une-longue-phrase-pour-claire"


def _commune_household():
    """The family file the commune already holds: a guardian record with Claire's address."""
    from accounts.models import Child, Guardian, GuardianChildRight, Household

    household = Household.objects.create(code="F-000900", name="LAMBERT", address_line1="8 rue des Écoles",
                                         postcode="59300", city="Aulnoy-lez-Valenciennes",
                                         phone_mobile="06 00 00 09 00", family_situation="single")
    guardian = Guardian.objects.create(household=household, first_name="Claire", last_name="Lambert",
                                       email=EMAIL, relationship="mère", is_payer=True)
    child = Child.objects.create(household=household, first_name="Jules", last_name="Lambert",
                                 birth_date=datetime.date(2018, 4, 9), class_level="CE2", school="École Jules Ferry")
    GuardianChildRight.objects.create(guardian=guardian, child=child, can_view=True, can_book=True, can_pay=True)
    return household


@pytest.mark.browser
def test_register_verify_link_change_phone_add_person_see_history(page, live_demo, axe_check):
    _commune_household()

    page.goto("/fr/compte/connexion/")
    page.get_by_role("link", name="Créer un compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer mon compte")
    axe_check(page)
    page.get_by_label("Prénom").fill("Claire")
    page.get_by_label("Nom", exact=True).fill("Lambert")
    page.get_by_label("Adresse e-mail").fill(EMAIL)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre messagerie")
    axe_check(page)

    # The verification e-mail, from the test outbox.
    [message] = [m for m in mail.outbox if m.to == [EMAIL]]
    link = re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Adresse vérifiée")
    page.get_by_role("main").get_by_role("link", name="Se connecter").click()
    page.get_by_label("Adresse e-mail", exact=True).fill(EMAIL)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace famille")

    # Put the new parent past the regulation gate (the home area's contract for tests).
    from accounts.models import User
    from home.acceptance import accept_current

    accept_current(User.objects.get(email=EMAIL))

    # Link the account with the household code and a child's birth date.
    page.get_by_role("link", name="Rattacher mon compte avec mon code famille").click()
    axe_check(page)
    page.get_by_label("Code famille").fill("F-000900")
    page.get_by_label("Date de naissance d'un de vos enfants").fill("2018-04-09")
    page.get_by_role("button", name="Rattacher").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fiche famille LAMBERT")
    expect(page.get_by_role("status")).to_contain_text("rattaché au foyer LAMBERT")
    axe_check(page)

    # Change the household's mobile phone.
    page.get_by_role("link", name="Modifier les coordonnées").click()
    axe_check(page)
    page.get_by_label("Téléphone portable").fill("07 12 34 56 78")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("Coordonnées enregistrées.")
    expect(page.get_by_role("main")).to_contain_text("07 12 34 56 78")

    # Add a person allowed to pick Jules up.
    page.get_by_role("link", name="Ajouter une personne autorisée pour Jules").click()
    axe_check(page)
    page.get_by_label("Prénom").fill("Bernard")
    page.get_by_label("Nom", exact=True).fill("Lambert")
    page.get_by_label("Lien avec l'enfant").fill("grand-père")
    page.get_by_label("Téléphone", exact=True).fill("06 98 76 54 32")
    page.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_role("table", name="Personnes autorisées pour Jules")).to_contain_text("Bernard Lambert")

    # Both changes are in the household's history.
    page.get_by_role("link", name="Historique du foyer").first.click()
    history = page.get_by_role("table")
    expect(history).to_contain_text("Téléphone portable : 06 00 00 09 00 → 07 12 34 56 78")
    expect(history).to_contain_text("Personne autorisée ajoutée pour Jules : Bernard Lambert")
    expect(history).to_contain_text("Rattachement au foyer")
    axe_check(page)


@pytest.mark.browser
def test_an_agent_enters_the_admin_with_the_second_factor(page, live_demo, axe_check):
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/fr/compte/connexion/\?next="))
    browser_login_staff(page, "agent@example.org", "demo-portail-2026")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    page.goto("/fr/compte/second-facteur/?next=/fr/compte/")
    expect(page).to_have_url(re.compile(r"/fr/compte/$"))  # already verified in this session
