"""Each endpoint of the family API, on the demo rules, at fixed moments (Thursday
5 November 2026, 10:00 in Paris unless said otherwise). Writes go through the domain
functions (services, billing, documents): their rows, history and audit events are those
of the site's screens."""

import datetime as dt

import pytest

from accounts.models import AuditEvent, Guardian
from billing.models import Payment, PayfipTransaction
from documents.models import SupportingDocument
from services.models import Booking, BookingChange
from tests.fixtures_api import make_api_invoice
from tests.fixtures_documents import make_jpeg, make_pdf, upload_file

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture(autouse=True)
def thursday(api_clock, paris):
    api_clock.set(paris(2026, 11, 5, 10, 0))
    return api_clock


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def book(family, day="2026-11-16", **extra):
    return post(family.client, "/api/v1/bookings",
                {"child_id": family.child.pk, "activity_id": family.canteen.pk, "day": day, **extra})


# --- The family ----------------------------------------------------------------------------------


def test_me_tells_the_households_and_the_regulation(api_family):
    body = api_family.client.get("/api/v1/me").json()
    assert body["user"]["email"] == api_family.parent.email and body["via"] == "token"
    assert [h["name"] for h in body["households"]] == ["DUPONT"]
    assert body["households"][0]["paper_only"] is False
    assert body["regulation"] == {"accepted": True, "version": None}


def test_children_are_those_the_caller_holds_rights_on(make_family, catalogue, token_for, api_client):
    household = make_family("BERNARD", children=(("Chloé", D(2017, 6, 21), "CM2"), ("Nathan", D(2021, 11, 5), "PS")),
                            guardians=[("sophie.api@example.org", "all"),
                                       ("thomas.api@example.org", {"Chloé": {"can_view": True, "can_book": False,
                                                                             "can_pay": False}})])
    sophie, thomas = household.users
    chloe, nathan = household.kids
    body = api_client(token_for(thomas)).get("/api/v1/children").json()
    assert [c["first_name"] for c in body["items"]] == ["Chloé"]
    assert body["items"][0]["rights"] == {"view": True, "book": False, "pay": False}
    assert api_client(token_for(thomas)).get(f"/api/v1/children/{nathan.pk}").status_code == 404
    body = api_client(token_for(sophie)).get("/api/v1/children").json()
    assert body["count"] == 2


# --- Activities and occurrences ------------------------------------------------------------------


def test_occurrences_give_days_deadlines_places_and_the_childs_booking(api_family):
    family = api_family
    book(family, "2026-11-16")
    url = (f"/api/v1/activities/{family.canteen.pk}/occurrences?start=2026-11-09&end=2026-11-17"
           f"&child_id={family.child.pk}")
    body = family.client.get(url).json()
    days = {o["day"]: o for o in body["occurrences"]}
    # Canteen days only (Monday, Tuesday, Thursday, Friday); Wednesday 11 November is off.
    assert list(days) == ["2026-11-09", "2026-11-10", "2026-11-12", "2026-11-13", "2026-11-16", "2026-11-17"]
    assert days["2026-11-09"]["state"] == "deadline_passed" and days["2026-11-09"]["bookable"] is False
    monday = days["2026-11-16"]
    assert monday["state"] == "open" and monday["bookable"] is True
    assert monday["booking_deadline"] == "2026-11-09T23:59:00+01:00"
    assert monday["cancellation_deadline"] == "2026-11-09T23:59:00+01:00"
    assert monday["sick_cancellation_deadline"] == "2026-11-16T09:00:00+01:00"
    assert monday["booking_status"] == "booked" and monday["booking_id"]
    assert days["2026-11-17"]["booking_status"] is None


def test_occurrences_show_places_left_and_full_days(api_family):
    family = api_family
    leisure = family.catalogue["centre-mercredi-matin"]
    body = family.client.get(f"/api/v1/activities/{leisure.pk}/occurrences?start=2026-11-18&end=2026-11-18").json()
    assert body["occurrences"][0]["places_left"] == 20
    from services.models import PlaceCounter

    PlaceCounter.objects.create(activity=leisure, day=D(2026, 11, 18), capacity=20, taken=20)
    body = family.client.get(f"/api/v1/activities/{leisure.pk}/occurrences?start=2026-11-18&end=2026-11-18").json()
    assert (body["occurrences"][0]["state"], body["occurrences"][0]["places_left"]) == ("full", 0)


def test_occurrence_ranges_are_bounded(api_family):
    url = f"/api/v1/activities/{api_family.canteen.pk}/occurrences"
    response = api_family.client.get(url + "?start=2026-11-10&end=2026-11-01")
    assert response.status_code == 422 and response.json()["code"] == "invalid_range"
    response = api_family.client.get(url + "?start=2026-01-01&end=2026-12-31")
    assert response.status_code == 422 and response.json()["code"] == "range_too_long"


# --- Enrolments ----------------------------------------------------------------------------------


def test_request_and_withdraw_an_enrolment(api_family):
    family = api_family
    evening = family.catalogue["accueil-du-soir"]
    response = post(family.client, "/api/v1/enrolments", {"child_id": family.child.pk, "activity_id": evening.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "active" and body["activity_name"] == "Accueil du soir"
    assert AuditEvent.objects.filter(action="enrolment", actor=family.parent).exists()
    again = post(family.client, "/api/v1/enrolments", {"child_id": family.child.pk, "activity_id": evening.pk})
    assert again.status_code == 409 and again.json()["code"] == "already_enrolled"
    listed = family.client.get(f"/api/v1/enrolments?child_id={family.child.pk}").json()
    assert listed["count"] == 2
    response = post(family.client, f"/api/v1/enrolments/{body['id']}/withdraw")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert family.client.get(f"/api/v1/enrolments/{body['id']}").json()["status"] == "withdrawn"


# --- Bookings ------------------------------------------------------------------------------------


def test_book_one_day_then_cancel_it(api_family):
    family = api_family
    response = book(family)
    assert response.status_code == 201
    body = response.json()
    assert body["outcome"]["code"] == "booked" and body["booking"]["status"] == "booked"
    booking = Booking.objects.get(pk=body["booking"]["id"])
    assert booking.booked_by == family.parent and not booking.changed_by_agent
    event = AuditEvent.objects.get(action="booking")
    assert event.actor == family.parent and event.household_id == family.household.pk
    assert event.request_id  # the API request's id, as in the logs
    assert event.channel == AuditEvent.Channel.API
    # The same day again: nothing changes.
    again = book(family)
    assert again.status_code == 200 and again.json()["outcome"]["code"] == "already_booked"
    response = post(family.client, f"/api/v1/bookings/{booking.pk}/cancel", {"sick": False})
    assert response.status_code == 200, response.content
    assert response.json()["outcome"]["code"] == "cancelled" and response.json()["booking"]["status"] == "cancelled"
    assert AuditEvent.objects.filter(action="cancellation", actor=family.parent).count() == 1
    assert list(BookingChange.objects.order_by("at", "id").values_list("action", flat=True)) == ["booked",
                                                                                                 "cancelled"]
    listed = family.client.get("/api/v1/bookings?status=cancelled").json()
    assert [b["id"] for b in listed["items"]] == [booking.pk]
    assert family.client.get(f"/api/v1/bookings/{booking.pk}").json()["day"] == "2026-11-16"


def test_the_sick_childs_same_day_cancellation(api_family, thursday, paris):
    family = api_family
    booking_id = book(family).json()["booking"]["id"]
    thursday.set(paris(2026, 11, 16, 8, 30))
    response = post(family.client, f"/api/v1/bookings/{booking_id}/cancel", {"sick": False})
    assert response.status_code == 409 and response.json()["code"] == "deadline_passed"
    assert "enfant malade" in response.json()["message"]
    response = post(family.client, f"/api/v1/bookings/{booking_id}/cancel", {"sick": True})
    assert response.status_code == 200 and response.json()["booking"]["cancelled_sick"] is True


def test_weekly_pattern_preview_writes_nothing_then_apply(api_family):
    family = api_family
    data = {"child_id": family.child.pk, "activity_id": family.canteen.pk, "weekdays": [0, 1],
            "start": "2026-11-09", "end": "2026-11-24"}
    preview = post(family.client, "/api/v1/bookings/pattern/preview", data)
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert body["dry_run"] is True and body["booked"] == 4 and body["refused"] == 2
    refused = {o["day"]: o["code"] for o in body["outcomes"] if not o["ok"]}
    assert refused == {"2026-11-09": "deadline_passed", "2026-11-10": "deadline_passed"}
    assert not Booking.objects.exists() and not AuditEvent.objects.filter(action="booking").exists()
    applied = post(family.client, "/api/v1/bookings/pattern", data).json()
    assert applied["dry_run"] is False and applied["booked"] == 4
    assert Booking.objects.filter(status="booked").count() == 4
    assert AuditEvent.objects.filter(action="booking").count() == 1  # one event for the operation
    bad = post(family.client, "/api/v1/bookings/pattern", {**data, "end": "2026-11-01"})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_range"
    bad = post(family.client, "/api/v1/bookings/pattern", {**data, "weekdays": [9]})
    assert bad.status_code == 422 and bad.json()["code"] == "validation_error"


def test_several_days_booked_and_cancelled_in_one_call(api_family):
    family = api_family
    book(family, "2026-11-16")
    changes = [{"child_id": family.child.pk, "activity_id": family.canteen.pk, "day": "2026-11-16",
                "action": "cancel"},
               {"child_id": family.child.pk, "activity_id": family.canteen.pk, "day": "2026-11-17",
                "action": "book"}]
    preview = post(family.client, "/api/v1/bookings/changes/preview", {"changes": changes}).json()
    assert (preview["dry_run"], preview["booked"], preview["cancelled"]) == (True, 1, 1)
    result = post(family.client, "/api/v1/bookings/changes", {"changes": changes}).json()
    assert (result["booked"], result["cancelled"]) == (1, 1)
    assert dict(Booking.objects.values_list("day", "status")) == {D(2026, 11, 16): "cancelled",
                                                                  D(2026, 11, 17): "booked"}


def test_a_paper_only_household_reads_but_cannot_book(make_family, catalogue, enrol, token_for, api_client):
    household = make_family("DURAND", paper_only=True)
    enrol(household.kids[0], catalogue["cantine-jules-ferry"])
    client = api_client(token_for(household.users[0]))
    assert client.get("/api/v1/children").json()["count"] == 1
    response = post(client, "/api/v1/bookings", {"child_id": household.kids[0].pk,
                                                 "activity_id": catalogue["cantine-jules-ferry"].pk,
                                                 "day": "2026-11-16"})
    assert response.status_code == 403 and response.json()["code"] == "paper_only"
    assert not Booking.objects.exists()


def test_a_view_only_guardian_cannot_book(make_family, catalogue, enrol, token_for, api_client):
    household = make_family("MOREAU", guardians=[("moreau.vue@example.org", "view")])
    enrol(household.kids[0], catalogue["cantine-jules-ferry"])
    client = api_client(token_for(household.users[0]))
    response = post(client, "/api/v1/bookings", {"child_id": household.kids[0].pk,
                                                 "activity_id": catalogue["cantine-jules-ferry"].pk,
                                                 "day": "2026-11-16"})
    assert response.status_code == 403 and response.json()["code"] == "not_allowed"


# --- History -------------------------------------------------------------------------------------


def test_booking_history_and_household_history(api_family):
    family = api_family
    booking_id = book(family).json()["booking"]["id"]
    post(family.client, f"/api/v1/bookings/{booking_id}/cancel", {"sick": False})
    history = family.client.get(f"/api/v1/history?child_id={family.child.pk}").json()
    assert [h["action"] for h in history["items"]] == ["cancelled", "booked"]
    assert {h["by"] for h in history["items"]} == {"vous"}
    events = family.client.get(f"/api/v1/households/{family.household.pk}/history").json()
    actions = [e["action"] for e in events["items"]]
    assert "booking" in actions and "cancellation" in actions
    assert all(e["by"] == "vous" for e in events["items"] if e["action"] in ("booking", "cancellation"))
    assert {e["channel"] for e in events["items"] if e["action"] in ("booking", "cancellation")} == {"api"}


# --- Invoices and payments -----------------------------------------------------------------------


@pytest.fixture
def invoice(api_family):
    guardian = Guardian.objects.get(user=api_family.parent)
    guardian.is_payer = True
    guardian.save()
    return make_api_invoice(api_family.household, guardian, api_family.child, api_family.canteen)


def test_invoices_detail_and_pdf(api_family, invoice):
    client = api_family.client
    listed = client.get("/api/v1/invoices").json()
    assert [i["number"] for i in listed["items"]] == [invoice.number]
    detail = client.get(f"/api/v1/invoices/{invoice.pk}").json()
    assert detail["balance"] == "12.40" and detail["can_pay"] is True and len(detail["lines"]) == 1
    response = client.get(f"/api/v1/invoices/{invoice.pk}/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "no-store" in response["Cache-Control"]


def test_start_a_payfip_payment_returns_the_redirect_url(api_family, invoice, monkeypatch):
    monkeypatch.setattr("billing.payfip.PayfipClient.create_payment", lambda self, **fields: "IDOP-API-1")
    response = post(api_family.client, f"/api/v1/invoices/{invoice.pk}/pay")
    assert response.status_code == 201, response.content
    body = response.json()
    assert "IDOP-API-1" in body["redirect_url"]
    tx = PayfipTransaction.objects.get(pk=body["transaction_id"])
    assert (tx.invoice, tx.user, tx.amount_cents, tx.status) == (invoice, api_family.parent, 1240, "pending")
    invoice.refresh_from_db()
    assert invoice.status == "issued" and not Payment.objects.exists()  # paid only on PayFiP's own answer


def test_payfip_down_gives_503_and_the_invoice_stays_payable(api_family, invoice, settings):
    settings.PAYFIP = {**settings.PAYFIP, "URL": "http://127.0.0.1:9/payfip", "TIMEOUT": 2.0}
    response = post(api_family.client, f"/api/v1/invoices/{invoice.pk}/pay")
    assert response.status_code == 503 and response.json()["code"] == "payment_unavailable"
    assert "reste payable" in response.json()["message"]


def test_a_paid_or_paper_invoice_is_refused_with_its_code(api_family, invoice):
    invoice.household.paper_only = True
    invoice.household.save()
    response = post(api_family.client, f"/api/v1/invoices/{invoice.pk}/pay")
    assert response.status_code == 403 and response.json()["code"] == "paper_only"
    assert api_family.client.get(f"/api/v1/invoices/{invoice.pk}").json()["can_pay"] is False


def test_payments_list(api_family, invoice):
    from billing.payments import record_desk_payment

    record_desk_payment(invoice, amount="2.40", method="cash", user=None)
    body = api_family.client.get("/api/v1/payments").json()
    assert body["count"] == 1 and body["items"][0]["amount"] == "2.40"
    assert body["items"][0]["invoice_number"] == invoice.number


# --- Documents -----------------------------------------------------------------------------------


def test_upload_list_download_and_delete_a_document(api_family, api_document_type):
    family = api_family
    types = family.client.get("/api/v1/document-types").json()["items"]
    assert {"code": "attestation-api", "name": "Attestation d'assurance", "scope": "child"} in types
    response = family.client.post("/api/v1/documents", {
        "type": "attestation-api", "child_id": family.child.pk, "issued_on": "2026-10-01",
        "files": [upload_file("page1.jpg", make_jpeg(), "image/jpeg"), upload_file("page2.pdf", make_pdf())],
    })
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and [f["content_type"] for f in body["files"]] == ["image/jpeg",
                                                                                         "application/pdf"]
    document = SupportingDocument.objects.get()
    assert document.uploaded_by == family.parent and document.child == family.child
    assert AuditEvent.objects.filter(action="document", actor=family.parent).count() == 1
    assert family.client.get("/api/v1/documents").json()["count"] == 1
    download = family.client.get(f"/api/v1/documents/files/{body['files'][1]['id']}")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment") and "no-store" in download["Cache-Control"]
    assert AuditEvent.objects.filter(action="document_download").count() == 1
    response = family.client.delete(f"/api/v1/documents/{document.pk}")
    assert response.status_code == 204 and not SupportingDocument.objects.exists()


def test_uploads_get_the_sites_content_checks(api_family, api_document_type):
    family = api_family
    response = family.client.post("/api/v1/documents", {
        "type": "attestation-api", "child_id": family.child.pk,
        "files": [upload_file("page.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")],
    })
    assert response.status_code == 422 and response.json()["code"] == "file_refused"
    assert "page.pdf" in response.json()["message"]
    assert not SupportingDocument.objects.exists()
    response = family.client.post("/api/v1/documents", {"type": "inconnu", "child_id": family.child.pk,
                                                        "files": [upload_file("a.jpg", make_jpeg(), "image/jpeg")]})
    assert response.status_code == 422 and response.json()["code"] == "invalid_document_type"


def test_too_large_files_are_stopped_while_received(api_family, api_document_type, settings):
    settings.PORTAL_DOCUMENTS_MAX_FILE_SIZE = 1000
    response = api_family.client.post("/api/v1/documents", {
        "type": "attestation-api", "child_id": api_family.child.pk,
        "files": [upload_file("grosse.jpg", make_jpeg(size=(800, 800)), "image/jpeg")]})
    assert response.status_code == 422 and response.json()["code"] == "file_refused"
    assert "trop lourd" in response.json()["message"]


def test_a_validated_document_cannot_be_deleted(api_family, api_document_type):
    from documents.uploads import IncomingFile, upload_document

    document = upload_document(api_family.parent, household=api_family.household, document_type=api_document_type,
                               child=api_family.child, files=[IncomingFile("a.pdf", make_pdf())])
    SupportingDocument.objects.filter(pk=document.pk).update(status="accepted", reviewed_at=document.uploaded_at)
    response = api_family.client.delete(f"/api/v1/documents/{document.pk}")
    assert response.status_code == 409 and response.json()["code"] == "not_deletable"
    assert SupportingDocument.objects.filter(pk=document.pk).exists()
