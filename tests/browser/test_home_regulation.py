"""Legal staff publish version 2 of the regulation; the demo parent logs in, is asked to
accept it, sees what changed, accepts, and goes on. axe-core on every page visited."""

import re

import pytest
from tests.fixtures_accounts import browser_login_staff

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest skips (or, with PORTAL_REQUIRE_BROWSER=1, fails) with the reason
    expect = None

PASSWORD = "demo-portail-2026"
NEW_ARTICLE = "Article 9 : les réservations faites en ligne sont confirmées par e-mail."


def log_in(page, email, next_url):
    page.goto(f"/fr/compte/connexion/?next={next_url}")
    page.get_by_label("Adresse e-mail", exact=True).fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter", exact=True).click()


@pytest.mark.browser
def test_legal_staff_publish_version_2_and_the_parent_accepts_it(page, live_demo, axe_check, settings):
    from home.models import LegalTextVersion, RegulationPage

    # The editor's "who else is editing" pings would race the publication for the
    # in-memory SQLite database of the live server (table locks): not needed here.
    settings.WAGTAIL_EDITING_SESSION_PING_INTERVAL = 3_600_000

    regulation = RegulationPage.objects.get(locale__language_code="fr")

    # Legal staff edit the articles in the Wagtail editor and publish.
    browser_login_staff(page, "juridique@example.org", PASSWORD, f"/admin/pages/{regulation.pk}/edit/")
    expect(page).to_have_url(re.compile(rf"/admin/pages/{regulation.pk}/edit/"))
    body = page.locator("#panel-child-contenu-body-section [contenteditable=true]")
    body.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type(NEW_ARTICLE)
    expect(page.locator("#id_body")).to_have_value(re.compile(re.escape(NEW_ARTICLE)))
    page.locator("#id_change_summary").fill("Confirmation des réservations par e-mail.")
    page.get_by_role("button", name="Plus d'actions").click()
    page.get_by_role("button", name="Publier", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("publiée")
    version = LegalTextVersion.objects.filter(page_id=regulation.pk).order_by("-number").first()
    assert version.number == 2, version.content
    assert NEW_ARTICLE in version.content["body"], version.content

    # Legal staff log out; the demo parent logs in: the notice at login.
    page.goto("/fr/")
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter", exact=True)).to_be_visible()
    parent = page
    log_in(parent, "marie.martin@example.org", "/fr/compte/")
    expect(parent).to_have_url(re.compile(r"/fr/compte/$"))
    expect(parent.get_by_role("status")).to_contain_text("Le règlement d'utilisation a changé (version 2")
    notice = parent.get_by_role("region", name="Nouveau règlement d'utilisation : version 2")
    expect(notice).to_be_visible()
    axe_check(parent)

    # The acceptance screen: what changed, then the text, then the form.
    notice.get_by_role("link", name="Lire et accepter le règlement").click()
    expect(parent).to_have_url(re.compile(r"/fr/portail/reglement/accepter/\?next="))
    changes = parent.get_by_role("region", name=re.compile("Ce qui a changé depuis la version 1"))
    expect(changes.locator(".diff-added ins")).to_contain_text(NEW_ARTICLE)
    expect(changes).to_contain_text("Passage ajouté")
    expect(changes).to_contain_text("Confirmation des réservations par e-mail.")
    axe_check(parent)
    parent.get_by_role("button", name="J'accepte le règlement").click()
    # Not ticked: the error is announced, tied to the box, nothing recorded.
    expect(parent.get_by_role("alert")).to_contain_text("Cochez la case pour accepter le règlement.")
    axe_check(parent)
    parent.get_by_label(re.compile(r"J'ai lu le règlement d'utilisation \(version 2\)")).check()
    parent.get_by_role("button", name="J'accepte le règlement").click()

    # Back in the space, accepted: no notice any more, the parent goes on.
    expect(parent).to_have_url(re.compile(r"/fr/compte/$"))
    expect(parent.get_by_role("status")).to_contain_text("vous avez accepté le règlement d'utilisation (version 2)")
    expect(parent.get_by_role("region", name=re.compile("Nouveau règlement"))).to_have_count(0)
    axe_check(parent)
    from accounts.models import User
    from home.acceptance import acceptance_refusal

    assert acceptance_refusal(User.objects.get(email="marie.martin@example.org")) is None

    # The public diff view and the versions list.
    parent.goto("/fr/reglement/versions/")
    axe_check(parent)
    parent.get_by_role("link", name="Changements de la version 1 à la version 2").click()
    expect(parent.get_by_role("heading", level=1)).to_have_text("Ce qui a changé entre les versions 1 et 2")
    axe_check(parent)


@pytest.mark.browser
def test_home_assistance_and_search_pages_are_accessible(page, live_demo, axe_check):
    page.goto("/fr/")
    axe_check(page)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Assistance").click()
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_role("alert")).to_contain_text("Indiquez votre nom.")
    axe_check(page)
    page.get_by_label(re.compile("Vos nom et prénom")).fill("Marie Martin")
    page.get_by_label(re.compile("Votre adresse e-mail")).fill("marie.martin@example.org")
    page.get_by_label(re.compile("Sujet")).select_option("invoice")
    page.get_by_label(re.compile("Votre message")).fill("Une question sur ma facture.")
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"Votre demande porte le numéro AS-\d{4}-\d{6}"))
    axe_check(page)
    page.get_by_role("search").first.get_by_role("searchbox").fill("cantine")
    page.get_by_role("search").first.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("Résultats pour « cantine »"))).to_be_visible()
    axe_check(page)
    page.goto("/fr/actualites/")
    axe_check(page)
