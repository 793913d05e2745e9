"""The parent's journey through the demo commune, in chromium, with axe-core checks.

Needs the demo commune (manage.py load_demo) in the live server's database: the
`live_demo` fixture loads it for each test (about 2 s), so the tests here stay few.
"""

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest skips (or, with PORTAL_REQUIRE_BROWSER=1, fails) with the reason
    expect = None

COMMUNE = "Aulnoy-lez-Valenciennes"
SERVICES = [
    "Restauration scolaire",
    "Accueil périscolaire",
    "Etablissements scolaires du premier degré",
    "Centre de loisirs",
    "Quartier Libre",
    "Ecoles municipales culturelles et de sport",
    "Location de salle",
]
PARENT_EMAIL = "marie.martin@example.org"
PARENT_PASSWORD = "demo-portail-2026"


def log_in(page, email, password):
    page.get_by_label("Adresse e-mail", exact=True).fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter", exact=True).click()


@pytest.mark.browser
def test_parent_journey_home_login_space_regulation(page, live_demo, axe_check):
    # Home page: French, the commune, the seven municipal services.
    page.goto("/fr/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_title(re.compile(re.escape(COMMUNE)))
    expect(page.get_by_role("heading", level=1)).to_contain_text(COMMUNE)
    services = page.get_by_role("region", name="Les services municipaux")
    expect(services.get_by_role("heading", level=2)).to_have_text("Les services municipaux")
    expect(services.get_by_role("listitem")).to_have_count(len(SERVICES))
    for name in SERVICES:
        expect(services.get_by_role("link", name=name, exact=True)).to_be_visible()
    axe_check(page)

    # The login page, reached through the header link.
    page.get_by_role("link", name="Se connecter", exact=True).click()
    expect(page).to_have_url(re.compile(r"/fr/compte/connexion/"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe_check(page)

    # Log in with the demo parent: the parent's space.
    log_in(page, PARENT_EMAIL, PARENT_PASSWORD)
    expect(page).to_have_url(re.compile(r"/fr/compte/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace famille")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("MARTIN")
    expect(page.get_by_role("main")).to_contain_text("Léa")
    axe_check(page)

    # The footer: the regulation and the privacy notice.
    legal = page.get_by_role("navigation", name="Informations légales")
    expect(legal.get_by_role("link", name="Données personnelles", exact=True)).to_be_visible()
    legal.get_by_role("link", name="Règlement d'utilisation", exact=True).click()
    expect(page).to_have_url(re.compile(r"/fr/reglement/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Règlement d'utilisation")
    expect(page.get_by_text(re.compile(r"Version en vigueur, publiée le"))).to_be_visible()
    expect(page.locator(".regulation")).not_to_be_empty()


@pytest.mark.browser
def test_wrong_password_shows_french_error(page, live_demo):
    page.goto("/fr/compte/connexion/")
    log_in(page, PARENT_EMAIL, "pas-le-bon-mot-de-passe")
    expect(page.get_by_role("alert")).to_have_text("Adresse e-mail ou mot de passe incorrect.")
    expect(page).to_have_url(re.compile(r"/fr/compte/connexion/"))
    # Still anonymous: the header offers to log in, the space sends back to the login page.
    expect(page.get_by_role("link", name="Se connecter", exact=True)).to_be_visible()
    page.goto("/fr/compte/")
    expect(page).to_have_url(re.compile(r"/fr/compte/connexion/\?next="))
