"""The documents journey in chromium, with axe-core checks: the demo parent sends Léa's
sports certificate from the upload screen (a photo, as from a phone), an agent validates
it in the admin, and the multisports course no longer misses it.

(The enrolment screen belongs to the services area; once merged, this journey starts from
it: its link to ``documents:upload`` carries ``type``, ``child`` and ``next``.)"""

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest skips (or, with PORTAL_REQUIRE_BROWSER=1, fails) with the reason
    expect = None

from tests.fixtures_documents import make_jpeg
from tests.fixtures_accounts import browser_login_staff

PASSWORD = "demo-portail-2026"
SPORT = "Certificat médical de non contre-indication à la pratique sportive"


def log_in(page, email, next_url):
    page.goto(f"/fr/compte/connexion/?next={next_url}")
    page.get_by_label("Adresse e-mail", exact=True).fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter", exact=True).click()


def missing_for_lea():
    from django.utils import timezone

    from accounts.models import Child
    from documents.rules import missing_documents
    from services.models import Activity

    lea = Child.objects.select_related("household").get(household__code="F-000101", first_name="Léa")
    course = Activity.objects.get(code="ecole-sports-multisports")
    return lea, missing_documents(lea.household, lea, course, timezone.localdate())


@pytest.mark.browser
def test_a_parent_sends_a_certificate_and_an_agent_validates_it(page, live_demo, axe_check):
    lea, missing = missing_for_lea()
    assert missing == [SPORT]

    # The parent, sent to the upload screen for Léa's certificate (as the enrolment screen does).
    upload = f"/fr/justificatifs/deposer/?type=certificat-sport&child={lea.pk}&next=/fr/justificatifs/"
    log_in(page, "marie.martin@example.org", "/fr/justificatifs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes justificatifs")
    page.goto(upload)
    expect(page.get_by_role("heading", level=1)).to_have_text("Envoyer un justificatif")
    expect(page.get_by_text(f"Pièce demandée : {SPORT}.")).to_be_visible()
    expect(page.get_by_label("Type de pièce")).to_have_value("certificat-sport")
    expect(page.get_by_label("Pièce concernant")).to_have_value(str(lea.pk))
    files = page.get_by_label("Fichiers")
    expect(files).to_have_attribute("accept", "image/jpeg,image/png,application/pdf")
    expect(files).to_have_attribute("multiple", "")
    axe_check(page)

    # Sent without a file: the error is announced, tied to the field, and nothing is stored.
    page.get_by_role("button", name="Envoyer le document").click()
    expect(page.get_by_role("alert")).to_contain_text("Ajoutez au moins un fichier")
    expect(page.get_by_label("Fichiers")).to_have_attribute("aria-invalid", "true")
    axe_check(page)

    page.get_by_label("Fichiers").set_input_files(files=[{
        "name": "certificat-lea.jpg", "mimeType": "image/jpeg", "buffer": make_jpeg(size=(600, 800)),
    }])
    # A second page taken with the phone's camera (its own input, same field).
    camera = page.get_by_label("Ou prenez une page en photo avec votre téléphone")
    expect(camera).to_have_attribute("capture", "environment")
    camera.set_input_files(files=[{"name": "page-2.jpg", "mimeType": "image/jpeg", "buffer": make_jpeg()}])
    page.get_by_role("button", name="Envoyer le document").click()
    expect(page).to_have_url(re.compile(r"/fr/justificatifs/$"))
    expect(page.get_by_role("status")).to_contain_text("un agent de la commune va le vérifier")
    sent = page.get_by_role("table", name="Justificatifs envoyés pour le foyer MARTIN")
    row = sent.get_by_role("row").filter(has_text=SPORT)
    expect(row).to_contain_text("En attente de validation")
    expect(row.get_by_role("link", name="certificat-lea.jpg")).to_be_visible()
    expect(row.get_by_role("link", name="page-2.jpg")).to_be_visible()
    axe_check(page)
    assert missing_for_lea()[1] == [f"{SPORT} (en attente de validation)"]
    page.get_by_role("button", name="Se déconnecter").click()

    # The agent: the queue, the photo shown through the checked view, validation.
    browser_login_staff(page, "agent@example.org", PASSWORD, "/admin/justificatifs/")
    expect(page).to_have_url(re.compile(r"/admin/justificatifs/$"))
    queue_row = page.get_by_role("row").filter(has_text="Léa Martin")
    queue_row.get_by_role("link", name=SPORT).click()
    preview = page.get_by_role("img", name="Page 1 : certificat-lea.jpg")
    expect(preview).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth === 600", arg=preview.element_handle())
    expect(page.get_by_label("Valable jusqu'au")).not_to_have_value("")
    axe_check(page)
    page.get_by_role("button", name="Valider", exact=True).click()
    expect(page.get_by_text("Pièce validée : la famille est prévenue par e-mail.")).to_be_visible()

    lea, missing = missing_for_lea()
    assert missing == []
    document = lea.documents.get(document_type__code="certificat-sport")
    assert document.status == "accepted" and document.valid_until is not None
    assert list(document.files.order_by("position").values_list("original_name", flat=True)) == [
        "certificat-lea.jpg", "page-2.jpg"]
