"""The regulation gate (Article III, issues 3 and 4) with a real new version, not a mock:
legal staff publish version 2 of the demo regulation; Marie MARTIN, who accepted
version 1, posts every gated action directly (the family file, payment, documents,
halls, services, the JSON API). Each is refused with the regulation's message and
nothing is written (the household's records, the services, billing, documents, halls
and the audit trail are compared row by row). Once she accepts, the same action goes
through (so the refusal was the gate's, not another rule's)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Child, Guardian, Household, User
from home.acceptance import accept_current, status
from tests.fixtures_api import bearer_client, new_token
from tests.fixtures_documents import make_pdf

pytestmark = pytest.mark.django_db

WATCHED = [
    "accounts.Household", "accounts.Guardian", "accounts.Child", "accounts.GuardianChildRight",
    "accounts.AuthorisedPerson", "accounts.Authorisation", "accounts.ChangeRequest", "accounts.AuditEvent",
    "services.Enrolment", "services.Booking", "services.BookingChange", "services.AbsenceJustification",
    "services.PlaceCounter", "billing.Invoice", "billing.Payment", "billing.PayfipTransaction",
    "billing.PayfipExchange", "documents.SupportingDocument", "documents.DocumentFile", "halls.HallRequest",
    "halls.HallOccupancy",
]


def snapshot():
    from django.apps import apps

    return {label: sorted(map(repr, apps.get_model(label).objects.values_list())) for label in WATCHED}


class Gate:
    """Runs each action, records what went wrong instead of stopping at the first one."""

    def __init__(self):
        self.failures = []

    def refused(self, label, action, check):
        before = snapshot()
        try:
            outcome = action()
            problem = check(outcome)
        except Exception as error:  # a refusal raised by a domain function
            problem = None if "règlement" in str(getattr(error, "message", error)) else f"raised {error!r}"
        after = snapshot()
        changed = [name for name in WATCHED if before[name] != after[name]]
        if problem:
            self.failures.append(f"{label}: {problem}")
        if changed:
            self.failures.append(f"{label}: wrote {changed}")

    def assert_all(self):
        assert not self.failures, "\n".join(self.failures)


def web_refusal(response):
    body = response.content.decode()
    if response.status_code not in (200, 400, 403):
        return f"status {response.status_code}"
    if "règlement" not in body:
        return "no message about the regulation"
    return None


def api_refusal(response):
    """A single operation answers 403 with the code; a batch (pattern, changes) answers
    200 with every day refused with that code."""
    data = response.json()
    if response.status_code == 403 and data.get("code") == "regulation_not_accepted":
        return None
    if response.status_code == 200 and data.get("outcomes") and data.get("refused") == len(data["outcomes"]) \
            and {o["code"] for o in data["outcomes"]} == {"regulation_not_accepted"}:
        return None
    return f"{response.status_code} {response.content[:200]!r}"


def domain_refusal(outcome):
    codes = {o.code for o in getattr(outcome, "outcomes", [])}
    return None if codes == {"regulation_not_accepted"} else f"outcomes {codes or outcome!r}"


@pytest.fixture
def world(demo, new_regulation_version):
    from billing.models import CollectionOffice, Invoice
    from halls.models import HallRequest
    from services.models import Activity, Booking, Enrolment

    marie = User.objects.get(email="marie.martin@example.org")
    martin = Household.objects.get(code="F-000101")
    lea = Child.objects.get(first_name="Léa", household=martin)
    person = lea.authorised_persons.create(first_name="Paul", last_name="Voisin", relationship="voisin",
                                           phone="06 00 00 00 02")
    canteen = Activity.objects.get(code="cantine-jules-ferry")
    enrolment = Enrolment.objects.filter(child=lea, activity=canteen).first()
    today = timezone.localdate()
    day = today + dt.timedelta(days=21)
    while day.weekday() != 0:  # a Monday three weeks ahead
        day += dt.timedelta(days=1)
    booking = Booking.objects.create(household=martin, child=lea, activity=canteen, day=day + dt.timedelta(days=1),
                                     status="booked", booked_at=timezone.now(), booked_by=marie,
                                     changed_at=timezone.now())
    office, _ = CollectionOffice.objects.get_or_create(code="98", defaults={"name": "Régie du test"})
    invoice = Invoice.objects.create(
        office=office, household=martin, payer=Guardian.objects.get(household=martin, user=marie),
        payer_name="Marie Martin", year=2026, month=10, number="F98-26-10-0000001", sequence_number=1,
        status=Invoice.Status.ISSUED, total=Decimal("12.40"), due_date=today + dt.timedelta(days=20))
    hall_request = HallRequest.objects.filter(requester=marie, status__in=HallRequest.HOLDING_STATUSES).first()
    assert enrolment is not None and hall_request is not None  # the demo's canteen enrolment and hall request
    new_regulation_version()
    assert status(marie)[0].number == 2 and not status(marie)[1]  # Marie accepted version 1 only
    return {"marie": marie, "martin": martin, "lea": lea, "person": person, "canteen": canteen,
            "enrolment": enrolment, "day": day, "booking": booking, "invoice": invoice,
            "hall_request": hall_request}


def test_the_family_file_screens(client, world):
    marie, martin, lea, person = world["marie"], world["martin"], world["lea"], world["person"]
    own = Guardian.objects.get(household=martin, user=marie)
    client.force_login(marie)
    gate = Gate()
    posts = [
        ("coordonnées", reverse("accounts:household_edit", args=[martin.pk]), {"phone_home": "03 00 00 00 09"}),
        ("demande de modification", reverse("accounts:change_request", args=[martin.pk]), {"city": "Lille"}),
        ("responsable", reverse("accounts:guardian_edit", args=[own.pk]), {"phone_mobile": "07 00 00 00 09"}),
        ("enfant", reverse("accounts:child_edit", args=[lea.pk]), {"diet": "vegetarian", "allergies": "noix"}),
        ("autorisations", reverse("accounts:authorisations", args=[lea.pk]), {"photo": "yes", "transport": "no"}),
        ("personne autorisée (ajout)", reverse("accounts:authorised_person_add", args=[lea.pk]),
         {"first_name": "Jean", "last_name": "Dupont", "relationship": "oncle", "phone": "06 00 00 00 03"}),
        ("personne autorisée (modification)", reverse("accounts:authorised_person_edit", args=[person.pk]),
         {"first_name": "Paul", "last_name": "Voisin", "relationship": "ami", "phone": "06 00 00 00 04"}),
        ("personne autorisée (retrait)", reverse("accounts:authorised_person_delete", args=[person.pk]), {}),
    ]
    for label, url, data in posts:
        gate.refused(label, lambda url=url, data=data: client.post(url, data), web_refusal)
    gate.assert_all()
    accept_current(marie)
    response = client.post(reverse("accounts:authorised_person_delete", args=[person.pk]))
    assert response.status_code == 302 and not lea.authorised_persons.filter(pk=person.pk).exists()


def test_payment_documents_and_halls_screens(client, world):
    from halls.models import HallSlot
    from services.models import Hall

    marie, lea = world["marie"], world["lea"]
    client.force_login(marie)
    gate = Gate()
    gate.refused("paiement en ligne", lambda: client.post(reverse("billing:invoice_pay", args=[world["invoice"].pk])),
                 web_refusal)
    upload = {"type": "carnet-vaccinations", "child": str(lea.pk), "household": str(world["martin"].pk),
              "files": SimpleUploadedFile("scan.pdf", make_pdf(), content_type="application/pdf")}
    gate.refused("justificatif", lambda: client.post(reverse("documents:upload"), upload), web_refusal)
    index = client.get(reverse("halls:entry"))["Location"]
    slot = HallSlot.objects.filter(is_active=True, hall__is_active=True).first()
    hall = Hall.objects.get(pk=slot.hall_id)
    day = timezone.localdate() + dt.timedelta(days=45)
    while not slot.starts_on(day):
        day += dt.timedelta(days=1)
    data = {"date": day.isoformat(), "slot": str(slot.pk), "requester_kind": "person",
            "household": str(world["martin"].pk), "contact_name": "Marie Martin", "contact_phone": "06 00 00 00 01",
            "contact_email": "marie.martin@example.org", "event_description": "Anniversaire",
            "expected_guests": "20", "confirm": "1"}
    gate.refused("location de salle", lambda: client.post(f"{index}salles/{hall.pk}/demande/", data), web_refusal)
    url = f"{index}mes-demandes/{world['hall_request'].pk}/annuler/"
    gate.refused("annulation de location", lambda: client.post(url, {"confirm": "1"}), web_refusal)
    gate.assert_all()


def test_the_services_rules(world):
    from documents.models import SupportingDocument
    from services import absences, enrolments
    from services.bookings import BOOK, CANCEL, Change, apply_changes
    from services.models import Activity

    marie, lea, canteen, booking = world["marie"], world["lea"], world["canteen"], world["booking"]
    now = timezone.now()
    gate = Gate()
    gate.refused("réservation", lambda: apply_changes(marie, [Change(lea, canteen, world["day"], BOOK)], now=now),
                 domain_refusal)
    gate.refused("annulation", lambda: apply_changes(marie, [Change(lea, canteen, booking.day, CANCEL)], now=now),
                 domain_refusal)
    leisure = Activity.objects.filter(is_active=True).exclude(pk=canteen.pk).exclude(shape="hall_slot").first()
    gate.refused("demande d'inscription",
                 lambda: enrolments.request_enrolment(marie, lea, leisure, now=now), lambda outcome: "accepted")
    gate.refused("retrait d'inscription", lambda: enrolments.withdraw(marie, world["enrolment"], now=now),
                 lambda outcome: "accepted")
    document = SupportingDocument.objects.filter(child=lea).first()
    gate.refused("justificatif d'absence",
                 lambda: absences.declare(marie, lea, booking.day, booking.day, document, now=now),
                 lambda outcome: "accepted")
    gate.assert_all()
    accept_current(marie)
    result = apply_changes(marie, [Change(lea, canteen, booking.day, CANCEL)], now=now)
    assert {o.code for o in result.outcomes} != {"regulation_not_accepted"}


def test_the_json_api(world):
    marie, lea, canteen = world["marie"], world["lea"], world["canteen"]
    client = bearer_client(new_token(marie))
    day = world["day"].isoformat()
    booking = {"child_id": lea.pk, "activity_id": canteen.pk, "day": day}
    pattern = {"child_id": lea.pk, "activity_id": canteen.pk, "weekdays": [0, 1], "start": day,
               "end": (world["day"] + dt.timedelta(days=14)).isoformat()}
    changes = {"changes": [{**booking, "action": "book"}]}
    json_posts = [
        ("/api/v1/bookings", booking),
        (f"/api/v1/bookings/{world['booking'].pk}/cancel", {}),
        ("/api/v1/bookings/pattern", pattern),
        ("/api/v1/bookings/pattern/preview", pattern),
        ("/api/v1/bookings/changes", changes),
        ("/api/v1/bookings/changes/preview", changes),
        ("/api/v1/enrolments", {"child_id": lea.pk, "activity_id": canteen.pk}),
        (f"/api/v1/invoices/{world['invoice'].pk}/pay", {}),
        (f"/api/v1/enrolments/{world['enrolment'].pk}/withdraw", {}),
    ]
    gate = Gate()
    for url, body in json_posts:
        gate.refused(url, lambda url=url, body=body: client.post(url, body, content_type="application/json"),
                     api_refusal)
    gate.refused("/api/v1/documents", lambda: client.post("/api/v1/documents", {
        "type": "carnet-vaccinations", "child_id": str(lea.pk),
        "files": SimpleUploadedFile("scan.pdf", make_pdf(), content_type="application/pdf")}), api_refusal)
    gate.assert_all()
    assert client.get("/api/v1/children").status_code == 200  # reading goes on
    accept_current(marie)
    assert client.post("/api/v1/bookings", booking, content_type="application/json").json().get(
        "code") != "regulation_not_accepted"
