"""GDPR "download my data" (Article 5.3, issue 4): the JSON and the readable document
hold every kind of record the portal keeps on a household that has them, across the
apps (accounts, home, services, billing, documents, halls, API), and never a secret
(password hash, token or its hash, second-factor key, recovery code)."""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import family, gdpr
from accounts.models import AuditEvent, Child, Guardian, Household, User
from tests.fixtures_accounts import ensure_second_factor

pytestmark = pytest.mark.django_db

SECTIONS = {
    # section title: a value that must appear among its records
    "Mon compte": "marie.martin@example.org",
    "Foyer": "F-000101",
    "Responsables légaux": "Julien",
    "Enfants": "Léa",
    "Mes droits sur les enfants": "Léa",
    "Personnes autorisées": "Mamie-Export",
    "Autorisations": "Léa",
    "Demandes de modification": "Valenciennes",
    "Demandes RGPD": "Mon prénom est mal écrit",
    "Historique du foyer": "Personne autorisée",
    "Règlement et assistance": "Question pour l'export",
    "Inscriptions aux services": "Cantine",
    "Réservations": "Cantine",
    "Historique des réservations": "réservation",
    "Pointages": "présent",
    "Justificatifs d'absence": "Gastro-entérite pour l'export",
    "Agendas iCalendar": "Léa",
    "Factures et paiements": "F99-26-10-0000001",
    "Pièces justificatives": "Léa",
    "Locations de salle": "",
    "Jetons d'accès à l'API": "Téléphone de Marie",
}


@pytest.fixture
def full_household(demo):
    """The demo household MARTIN with at least one record of every kind."""
    from api.tokens import create_token
    from billing.invoicing import issue_credit_note
    from billing.models import CollectionOffice, Invoice, Payment
    from billing.payments import record_desk_payment
    from documents.models import SupportingDocument
    from home.models import AssistanceRequest
    from services.feeds import create_feed
    from services.models import AbsenceJustification, Attendance, Booking

    now = timezone.now()
    marie = User.objects.get(email="marie.martin@example.org")
    martin = Household.objects.get(code="F-000101")
    lea = Child.objects.get(first_name="Léa", household=martin)
    agent = User.objects.get(email="agent@example.org")
    family.add_authorised_person(marie, lea, {"first_name": "Mamie-Export", "last_name": "Martin",
                                              "relationship": "grand-mère", "phone": "06 00 00 00 09"})
    family.request_change(marie, martin, {"city": "Valenciennes"})
    gdpr.submit_request(marie, martin, "rectification", "Mon prénom est mal écrit")
    AssistanceRequest.objects.create(reference="AS-EXPORT-1", user=marie, name="Marie Martin",
                                     email=marie.email, topic="other", message="Question pour l'export")
    booking = Booking.objects.filter(household=martin, child=lea).order_by("day").first()
    document = SupportingDocument.objects.filter(household=martin).first()
    justification = AbsenceJustification.objects.create(
        household=martin, child=lea, first_day=booking.day, last_day=booking.day, document=document,
        comment="Gastro-entérite pour l'export", declared_at=now, declared_by=marie)
    justification.bookings.add(booking)
    feed, feed_token = create_feed(marie, lea, now=now)
    token, raw_token = create_token(marie, name="Téléphone de Marie", now=now)
    payer = Guardian.objects.get(household=martin, user=marie)
    office, _ = CollectionOffice.objects.get_or_create(code="99", defaults={"name": "Régie de l'export"})
    invoice = Invoice.objects.create(
        office=office, household=martin, payer=payer, payer_name="Marie Martin", year=2026, month=10,
        number="F99-26-10-0000001", sequence_number=1, status=Invoice.Status.ISSUED, total=Decimal("30.00"),
        due_date=datetime.date(2026, 11, 30))
    record_desk_payment(invoice, amount="10.00", method=Payment.Method.CASH, user=agent)
    credit = issue_credit_note(invoice, reason="Erreur de pointage (export)", amount="5.00", user=agent)
    factor = ensure_second_factor(marie)
    assert Attendance.objects.filter(household=martin, child=lea).exists()
    return {"marie": marie, "martin": martin, "raw_token": raw_token, "token": token, "feed": feed,
            "feed_token": feed_token, "factor": factor, "credit": credit, "invoice": invoice}


def test_the_export_holds_every_kind_of_record(client, full_household):
    marie, martin = full_household["marie"], full_household["martin"]
    client.force_login(marie)
    response = client.get(reverse("accounts:household_export", args=[martin.pk, "json"]))
    assert response.status_code == 200
    sections = {s["title"]: s["records"] for s in json.loads(response.content)["sections"]}
    for title, needle in SECTIONS.items():
        assert sections.get(title), f"section « {title} » missing or empty"
        assert needle in json.dumps(sections[title], ensure_ascii=False), (title, needle)
    [invoice] = [row for row in sections["Factures et paiements"] if row["facture"] == "F99-26-10-0000001"]
    assert [p["montant"] for p in invoice["paiements"]] == ["10.00"]
    assert [n["numéro"] for n in invoice["avoirs_détail"]] == [full_household["credit"].number]
    [document] = sections["Pièces justificatives"][:1]
    assert document["fichiers"] and "sha256" in document["fichiers"][0]  # metadata, never the content
    html = client.get(reverse("accounts:household_export", args=[martin.pk, "html"])).content.decode()
    for title, needle in SECTIONS.items():
        assert title.replace("'", "&#x27;") in html, title
    assert "Gastro-entérite pour l&#x27;export" in html and "Téléphone de Marie" in html


def test_no_secret_in_the_export(client, full_household):
    from accounts.models import RecoveryCode
    from accounts.second_factor import new_recovery_codes

    marie = full_household["marie"]
    codes = new_recovery_codes(marie)
    client.force_login(marie)
    exported = ""
    for fmt in ("json", "html"):
        exported += client.get(reverse("accounts:household_export", args=[full_household["martin"].pk, fmt])
                               ).content.decode()
    marie.refresh_from_db()
    secrets = [marie.password, marie.password.split("$")[-1], full_household["raw_token"],
               full_household["token"].token_hash, full_household["feed_token"], full_household["feed"].token_hash,
               full_household["factor"].secret, client.session.session_key,
               *codes, *RecoveryCode.objects.filter(user=marie).values_list("code_hash", flat=True)]
    for secret in secrets:
        assert secret and secret not in exported
    assert "argon2" not in exported and "token_hash" not in exported and '"password"' not in exported


def test_the_other_apps_sections_follow_the_separated_parents_rule(client, demo):
    """Thomas (BERNARD-PETIT) holds rights on Chloé only: none of Nathan's enrolments,
    bookings or booking changes, nor Sophie's acceptances, reach his export."""
    from services.models import Booking

    thomas = User.objects.get(email="thomas.petit@example.org")
    nathan = Child.objects.get(first_name="Nathan")
    client.force_login(thomas)
    data = json.loads(client.get(reverse("accounts:household_export", args=[nathan.household_id, "json"])).content)
    sections = {s["title"]: s["records"] for s in data["sections"]}
    assert "Nathan" not in json.dumps(data, ensure_ascii=False)
    assert "sophie.bernard@example.org" not in json.dumps(sections["Règlement et assistance"])
    if Booking.objects.filter(child=nathan).exists():
        assert not any(row["enfant"].startswith("Nathan") for row in sections["Réservations"])
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DATA_EXPORT, actor=thomas).count() == 1


def test_closing_the_account_keeps_only_what_must_be_kept(client, full_household):
    """Kept: the invoices, credit notes and payments (public accounting), with their payer;
    the household file and the audit trail. Gone: the login and everything that opens the
    account without it (sessions, API tokens, iCalendar addresses, second factor)."""
    from django.test import Client

    from accounts.demo import DEMO_PASSWORD
    from accounts.models import EmailPreference, RecoveryCode, SecondFactor
    from api.models import AccessToken
    from billing.models import CreditNote, Invoice, Payment
    from services.feeds import feed_for_token
    from services.models import CalendarFeed

    marie, invoice = full_household["marie"], full_household["invoice"]
    other_browser = Client()
    other_browser.force_login(marie)
    assert other_browser.get(reverse("accounts:space")).status_code == 200
    events = set(AuditEvent.objects.values_list("pk", flat=True))
    client.force_login(marie)
    response = client.post(reverse("auth:close_account"), {"current_password": DEMO_PASSWORD, "confirm": "on"})
    assert response.status_code == 200 and "Compte fermé" in response.content.decode()

    invoice = Invoice.objects.get(pk=invoice.pk)
    assert invoice.payer.first_name == "Marie" and invoice.payer_name == "Marie Martin"
    assert [p.amount for p in Payment.objects.filter(invoice=invoice)] == [Decimal("10.00")]
    assert CreditNote.objects.filter(invoice=invoice).count() == 1
    assert Household.objects.filter(pk=full_household["martin"].pk).exists()
    assert events <= set(AuditEvent.objects.values_list("pk", flat=True))  # nothing erased
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ACCOUNT_CLOSED, actor_id=marie.pk).count() == 1

    marie.refresh_from_db()
    assert not marie.is_active and not marie.has_usable_password() and "martin" not in marie.email
    for model in (AccessToken, CalendarFeed, SecondFactor, RecoveryCode, EmailPreference):
        assert not model.objects.filter(user_id=marie.pk).exists(), model.__name__
    assert not Guardian.objects.filter(user_id=marie.pk).exists()
    assert feed_for_token(full_household["feed_token"]) is None
    api = Client(headers={"Authorization": f"Bearer {full_household['raw_token']}"})
    assert api.get("/api/v1/me").status_code == 401
    assert other_browser.get(reverse("accounts:space")).status_code == 302  # the other session is dead
