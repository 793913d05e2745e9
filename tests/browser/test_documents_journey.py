"""The documents journey in chromium, with axe-core checks on the parent's pages (issue 7):
the demo parent asks to enrol Léa in the sports school's multisports course, is told the
sports certificate is missing, follows the link to the upload screen (type and child
preselected), sends a photo of it and comes back to the enrolment screen; an agent
validates the certificate in the admin; the parent asks again and the request goes
through. The course asks for an agent's decision (``requires_validation``): the agent
accepts the request in "Suivi des services", and the parent sees the enrolment active."""

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest skips (or, with PORTAL_REQUIRE_BROWSER=1, fails) with the reason
    expect = None

from tests.fixtures_accounts import browser_login_staff
from tests.fixtures_documents import make_jpeg

PASSWORD = "demo-portail-2026"
SPORT = "Certificat médical de non contre-indication à la pratique sportive"
COURSE = "École municipale des sports – multisports"
SERVICE = "Ecoles municipales culturelles et de sport"


def log_in(page, email, next_url):
    page.goto(f"/fr/compte/connexion/?next={next_url}")
    page.get_by_label("Adresse e-mail", exact=True).fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter", exact=True).click()


def end_session(page):
    """Forget the agent's session before the parent comes back: leave the admin page once
    its requests are done (a late answer would set the session cookie again), then clear
    the cookies."""
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")
    page.context.clear_cookies()


def demo_objects():
    from accounts.models import Child
    from home.models import ServicePage
    from services.models import Activity

    lea = Child.objects.select_related("household").get(household__code="F-000101", first_name="Léa")
    course = Activity.objects.select_related("service").get(code="ecole-sports-multisports")
    service_page = ServicePage.objects.get(service=course.service)
    return lea, course, service_page


def ask_for_enrolment(page, lea, course):
    """Step 1 of the enrolment screen, Léa and the course chosen, sent for checking."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Demander une inscription")
    page.get_by_role("combobox", name=re.compile("^Enfant")).select_option(str(lea.pk))
    page.get_by_role("combobox", name=re.compile("^Activité")).select_option(str(course.pk))
    page.get_by_role("button", name="Vérifier la demande").click()


@pytest.mark.browser
def test_a_parent_uploads_a_certificate_from_the_enrolment_screen_and_the_enrolment_goes_through(
        page, live_demo, axe_check):
    from services.models import Enrolment

    lea, course, service_page = demo_objects()
    assert course.requires_validation  # the demo course: the request waits for an agent
    page_url = service_page.url  # "/fr/ecoles-municipales/"

    # The parent opens the sports school's page, logged in.
    log_in(page, "marie.martin@example.org", page_url)
    expect(page).to_have_url(re.compile(re.escape(page_url) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(SERVICE)
    axe_check(page)
    page.get_by_role("link", name=f"Inscrire ou réserver : {SERVICE}").click()
    expect(page).to_have_url(re.compile(re.escape(f"{page_url}espace/") + "$"))

    # The enrolment screen, from the service's landing screen; the request is refused for
    # the missing certificate, with a link to send it.
    page.get_by_role("link", name="Demander une inscription").click()
    expect(page).to_have_url(re.compile(re.escape(f"{page_url}espace/inscription/") + "$"))
    ask_for_enrolment(page, lea, course)
    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text("La demande ne peut pas être faite")
    expect(refusal).to_contain_text(f"Il manque une pièce justificative en règle : {SPORT}.")
    axe_check(page)
    refusal.get_by_role("link", name=f"Déposer : {SPORT}").click()

    # The upload screen, the type and the child preselected; a photo, as from a phone.
    expect(page.get_by_role("heading", level=1)).to_have_text("Envoyer un justificatif")
    expect(page.get_by_text(f"Pièce demandée : {SPORT}.")).to_be_visible()
    expect(page.get_by_label("Type de pièce")).to_have_value("certificat-sport")
    expect(page.get_by_label("Pièce concernant")).to_have_value(str(lea.pk))
    files = page.get_by_label("Fichiers")
    expect(files).to_have_attribute("accept", "image/jpeg,image/png,application/pdf")
    axe_check(page)
    files.set_input_files(files=[{
        "name": "certificat-lea.jpg", "mimeType": "image/jpeg", "buffer": make_jpeg(size=(600, 800)),
    }])
    page.get_by_role("button", name="Envoyer le document").click()

    # Back on the enrolment screen (the ``next`` link), Léa and the course still chosen.
    expect(page).to_have_url(re.compile(re.escape(f"{page_url}espace/inscription/") + r"\?"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Demander une inscription")
    expect(page.get_by_role("status")).to_contain_text(f"Document « {SPORT} » envoyé")
    expect(page.get_by_role("combobox", name=re.compile("^Enfant"))).to_have_value(str(lea.pk))
    expect(page.get_by_role("combobox", name=re.compile("^Activité"))).to_have_value(str(course.pk))
    axe_check(page)
    # Asked at once: the certificate awaits an agent, and nothing invites to send it again.
    page.get_by_role("button", name="Vérifier la demande").click()
    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text(f"{SPORT} (en attente de validation)")
    expect(refusal).to_contain_text(f"Envoyée, en attente de validation par la commune : {SPORT}")
    expect(refusal).not_to_contain_text("déposer", ignore_case=True)
    expect(refusal.get_by_role("link")).to_have_count(0)
    axe_check(page)
    page.get_by_role("button", name="Se déconnecter").click()

    # The agent validates the certificate (documents queue, admin).
    browser_login_staff(page, "agent@example.org", PASSWORD, "/admin/justificatifs/")
    page.get_by_role("row").filter(has_text="Léa Martin").get_by_role("link", name=SPORT).click()
    expect(page.get_by_role("img", name="Page 1 : certificat-lea.jpg")).to_be_visible()
    page.get_by_role("button", name="Valider", exact=True).click()
    expect(page.get_by_text("Pièce validée : la famille est prévenue par e-mail.")).to_be_visible()
    end_session(page)

    # The parent asks again: the request goes through, to the service's decision.
    log_in(page, "marie.martin@example.org", f"{page_url}espace/inscription/")
    ask_for_enrolment(page, lea, course)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer la demande d'inscription")
    expect(page.get_by_role("status")).to_contain_text("la demande sera examinée par le service")
    axe_check(page)
    page.get_by_role("button", name="Confirmer la demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscriptions")
    expect(page.get_by_role("status")).to_contain_text(
        f"La demande pour Léa à « {COURSE} » est enregistrée : le service la validera")
    rows = page.get_by_role("table", name=re.compile("Les demandes et inscriptions de vos enfants"))
    expect(rows.get_by_role("row").filter(has_text=COURSE)).to_contain_text("demande en attente de validation")
    axe_check(page)
    enrolment = Enrolment.objects.get(child=lea, activity=course)
    assert enrolment.status == Enrolment.Status.PENDING
    page.get_by_role("button", name="Se déconnecter").click()

    # The agent accepts it in "Suivi des services" → "Demandes d'inscription".
    browser_login_staff(page, "agent@example.org", PASSWORD, "/admin/inscriptions/")
    queue = page.get_by_role("table", name="Demandes d'inscription")
    queue.get_by_role("row").filter(has_text=COURSE).get_by_role("link", name="Léa Martin").click()
    expect(page.get_by_text("Pièces justificatives au")).to_contain_text("complètes")
    page.get_by_role("button", name="Accepter l'inscription").click()
    expect(page.get_by_text("Inscription acceptée ; la famille est prévenue par e-mail.")).to_be_visible()
    end_session(page)

    # The parent sees the enrolment active.
    log_in(page, "marie.martin@example.org", f"{page_url}espace/inscriptions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscriptions")
    rows = page.get_by_role("table", name=re.compile("Les demandes et inscriptions de vos enfants"))
    row = rows.get_by_role("row").filter(has_text=COURSE)
    expect(row).to_contain_text("Léa")
    expect(row.get_by_role("cell").nth(2)).to_have_text("inscrit")
    axe_check(page)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    document = lea.documents.get(document_type__code="certificat-sport")
    assert document.status == "accepted" and document.valid_until is not None
