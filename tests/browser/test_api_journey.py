"""The family API in chromium: the demo parent creates an access token in her family
space (shown once), an app reads her children with it, the browsable docs run within the
site's Content-Security-Policy (the page fixture fails on any CSP violation or JavaScript
error), and the revoked token stops working. axe-core checks the token page."""

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest skips (or, with PORTAL_REQUIRE_BROWSER=1, fails) with the reason
    expect = None

PASSWORD = "demo-portail-2026"


@pytest.mark.browser
def test_a_parent_creates_uses_and_revokes_an_api_token(page, live_demo, axe_check):
    page.goto("/fr/compte/connexion/?next=/fr/compte/")
    page.get_by_label("Adresse e-mail", exact=True).fill("marie.martin@example.org")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter", exact=True).click()
    page.get_by_role("link", name="Accès à l'API").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès à l'API")
    axe_check(page)

    page.get_by_label("Nom du jeton").fill("Téléphone de Marie")
    page.get_by_label("Validité").select_option(label="90 jours")
    page.get_by_role("button", name="Créer le jeton").click()
    expect(page.get_by_role("heading", name=re.compile("Jeton « Téléphone de Marie » créé"))).to_be_visible()
    token = page.get_by_label("Votre jeton d'accès").input_value()
    assert token.startswith("pf_")
    axe_check(page)

    # An app (no cookie: a request context of its own) reads the children with the token.
    app = page.context.browser.new_context(base_url=page.url.split("/fr/")[0])
    answer = app.request.get("/api/v1/children", headers={"Authorization": f"Bearer {token}"})
    assert answer.status == 200 and answer.json()["count"] >= 1
    assert answer.json()["items"][0]["rights"]["view"] is True

    # The docs: Swagger UI from the site's static files, no CSP violation.
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("API des familles")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()

    # Revoked: the token no longer opens the API.
    page.goto("/fr/acces-api/")
    page.get_by_role("button", name="Révoquer le jeton « Téléphone de Marie »").click()
    expect(page.get_by_text("Le jeton « Téléphone de Marie » est révoqué")).to_be_visible()
    answer = app.request.get("/api/v1/children", headers={"Authorization": f"Bearer {token}"})
    assert answer.status == 401 and answer.json()["code"] == "token_revoked"
    app.close()
