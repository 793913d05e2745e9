"""Staff screens of hall hire in the Wagtail admin: requests to decide with filters,
decisions, deposits, exports CSV/XLSX, the halls' calendar, permissions per role."""

import csv
import datetime as dt
import io
import json

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEvent
from halls import hire
from halls.models import HallRequest, HallSlot
from tests.fixtures_halls import NOW, make_slots
from tests.fixtures_accounts import login_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def requests_world(hall, other_hall, slots, resident, non_resident, person_details, association_details, event_day):
    union_slots = make_slots(other_hall)
    pending = hire.create_request(resident, hall, slots["day"], event_day, person_details(resident), now=NOW)
    association = hire.create_request(non_resident, other_hall, union_slots["evening"], event_day,
                                      association_details(), now=NOW)
    approved = hire.create_request(non_resident, hall, slots["evening"], event_day, person_details(non_resident),
                                   now=NOW)
    return {"pending": pending, "association": association, "approved": approved}


@pytest.fixture
def agent_client(client, agent):
    login_staff(client, agent)
    return client


def process_url(hall_request):
    return reverse("halls_hallrequest:inspect", args=[hall_request.pk])


def test_the_requests_listing_filters_by_hall_and_status(agent_client, requests_world, hall, agent):
    hire.approve(requests_world["approved"], agent, now=NOW)
    url = reverse("halls_hallrequest:index")
    body = agent_client.get(url).content.decode()
    for hall_request in requests_world.values():
        assert hall_request.reference in body
    body = agent_client.get(url, {"hall": hall.pk, "status": "pending"}).content.decode()
    assert requests_world["pending"].reference in body
    assert requests_world["approved"].reference not in body and requests_world["association"].reference not in body
    body = agent_client.get(url, {"q": "Amis du Quartier"}).content.decode()
    assert requests_world["association"].reference in body and requests_world["pending"].reference not in body
    # No add, edit or delete: requests change only through decisions.
    assert process_url(requests_world["association"]) in body
    content = agent_client.get(url).content.decode()
    assert "/admin/salles/demandes/new/" not in content and "/edit/" not in content


def test_the_listing_query_count_does_not_grow_with_requests(agent_client, requests_world, hall, slots, resident,
                                                             person_details, event_day,
                                                             django_assert_max_num_queries):
    url = reverse("halls_hallrequest:index")
    agent_client.get(url)
    with django_assert_max_num_queries(60) as few:
        agent_client.get(url)
    for weeks in range(1, 4):
        hire.create_request(resident, hall, slots["day"], event_day + dt.timedelta(weeks=weeks),
                            person_details(resident), now=NOW)
    with django_assert_max_num_queries(len(few.captured_queries)):
        agent_client.get(url)


def test_an_agent_approves_from_the_request_screen(agent_client, requests_world, django_capture_on_commit_callbacks):
    pending = requests_world["pending"]
    body = agent_client.get(process_url(pending)).content.decode()
    assert pending.reference in body and "Accepter la demande" in body and "300,00 €" in body
    assert "no-store" in agent_client.get(process_url(pending))["Cache-Control"]
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(process_url(pending), {"action": "approve", "approve-note": "Bonne fête !"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "approved" and pending.decision_reason == "Bonne fête !"
    assert len(mail.outbox) == 1 and "Bonne fête !" in mail.outbox[0].body
    body = agent_client.get(process_url(pending)).content.decode()
    assert "Location" in body and "acceptée" in body  # the trail lists the decision


def test_refusing_without_a_reason_shows_the_error_and_changes_nothing(agent_client, requests_world):
    pending = requests_world["pending"]
    response = agent_client.post(process_url(pending), {"action": "refuse", "refuse-reason": ""})
    assert response.status_code == 400
    assert "Champ requis" in response.content.decode()
    assert HallRequest.objects.get(pk=pending.pk).status == "pending"
    response = agent_client.post(process_url(pending), {"action": "refuse", "refuse-reason": "Salle indisponible"})
    assert response.status_code == 302
    assert HallRequest.objects.get(pk=pending.pk).status == "refused"


def test_the_association_needs_the_insurance_check_first(agent_client, requests_world):
    association = requests_world["association"]
    response = agent_client.post(process_url(association), {"action": "approve"}, follow=True)
    assert "L&#x27;attestation d&#x27;assurance n&#x27;est pas vérifiée" in response.content.decode()
    assert HallRequest.objects.get(pk=association.pk).status == "pending"
    agent_client.post(process_url(association), {"action": "insurance"})
    agent_client.post(process_url(association), {"action": "approve"})
    assert HallRequest.objects.get(pk=association.pk).status == "approved"


def test_staff_cancel_for_the_commune_and_deposits(agent_client, requests_world, agent):
    approved = hire.approve(requests_world["approved"], agent, now=NOW)
    agent_client.post(process_url(approved), {"action": "deposit_received"})
    assert HallRequest.objects.get(pk=approved.pk).deposit_status == "received"
    response = agent_client.post(process_url(approved), {"action": "deposit_kept", "kept-amount": "600",
                                                         "kept-note": "Dégâts"}, follow=True)
    assert "ne pas dépasser la caution (550,00 €)" in response.content.decode()  # more than the deposit
    assert HallRequest.objects.get(pk=approved.pk).deposit_status == "received"
    response = agent_client.post(process_url(approved), {"action": "deposit_kept", "kept-amount": "80",
                                                         "kept-note": "Ménage non fait"})
    assert response.status_code == 302
    approved.refresh_from_db()
    assert (approved.deposit_status, approved.deposit_kept_amount) == ("kept", 80)
    pending = requests_world["pending"]
    agent_client.post(process_url(pending), {"action": "cancel", "cancel-reason": "Salle réquisitionnée"})
    pending.refresh_from_db()
    assert pending.status == "cancelled" and pending.cancelled_by_commune


def test_cashiers_read_and_record_deposits_but_do_not_decide(client, cashier, requests_world):
    login_staff(client, cashier)
    pending = requests_world["pending"]
    assert client.get(reverse("halls_hallrequest:index")).status_code == 200
    body = client.get(process_url(pending)).content.decode()
    assert "Accepter la demande" not in body and "Caution reçue" in body
    assert client.post(process_url(pending), {"action": "approve"}).status_code in (302, 403)
    assert HallRequest.objects.get(pk=pending.pk).status == "pending"
    client.post(process_url(pending), {"action": "deposit_received"})
    assert HallRequest.objects.get(pk=pending.pk).deposit_status == "received"
    # Slots and closures are the agents' business.
    assert client.get(reverse("halls_hallslot:add")).status_code in (302, 403)


def test_parents_never_reach_the_staff_screens(client, resident, requests_world):
    client.force_login(resident)
    for url in (reverse("halls_hallrequest:index"), process_url(requests_world["pending"]),
                reverse("halls_calendar:index")):
        assert client.get(url).status_code in (302, 403)
    assert client.post(process_url(requests_world["pending"]), {"action": "approve"}).status_code in (302, 403)
    assert HallRequest.objects.get(pk=requests_world["pending"].pk).status == "pending"


def test_an_unknown_action_changes_nothing(agent_client, requests_world):
    pending = requests_world["pending"]
    response = agent_client.post(process_url(pending), {"action": "status", "status": "approved"})
    assert response.status_code == 302
    assert HallRequest.objects.get(pk=pending.pk).status == "pending"


def test_exports_csv_and_xlsx_are_traced(agent_client, requests_world, hall, agent):
    url = reverse("halls_hallrequest:index")
    response = agent_client.get(url, {"export": "csv", "hall": hall.pk})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["Référence", "Salle", "Créneau"]
    references = {row[0] for row in rows[1:]}
    assert references == {requests_world["pending"].reference, requests_world["approved"].reference}
    response = agent_client.get(url, {"export": "xlsx"})
    assert response.status_code == 200
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert sheet.max_row == 1 + len(requests_world)
    exports = AuditEvent.objects.filter(action=AuditEvent.Action.STAFF_EXPORT, actor=agent)
    assert exports.count() == 2
    assert exports.order_by("id").first().after == {"filters": {"hall": str(hall.pk)}}


def test_the_staff_calendar_shows_who_holds_each_slot(agent_client, requests_world, hall, event_day):
    response = agent_client.get(reverse("halls_calendar:hall", args=[hall.pk]), {"mois": f"{event_day:%Y-%m}"})
    assert response.status_code == 200
    body = response.content.decode()
    pending = requests_world["pending"]
    assert pending.reference in body and "Parent Legrand" in body and process_url(pending) in body
    # The hall chooser lands on the hall's own page.
    response = agent_client.get(reverse("halls_calendar:index"), {"salle": hall.pk, "mois": "2027-05"})
    assert response["Location"] == reverse("halls_calendar:hall", args=[hall.pk]) + "?mois=2027-05"


def test_slots_are_edited_in_the_admin_with_validation(agent_client, hall):
    url = reverse("halls_hallslot:add")
    data = {"hall": hall.pk, "name": "Matinée", "start_time": "08:15", "end_time": "12:00", "end_day_offset": "0",
            "weekdays": ["5"], "order": "1", "is_active": "on"}
    response = agent_client.post(url, data)
    assert response.status_code == 200 and "multiple de 30 minutes" in response.content.decode()
    data["start_time"] = "08:00"
    assert agent_client.post(url, data).status_code == 302
    assert HallSlot.objects.get(name="Matinée").weekdays == [5]


def test_the_admin_menu_shows_hall_hire_to_agents(agent_client):
    body = agent_client.get(reverse("wagtailadmin_home")).content.decode()
    for label in ("Location de salles", "Demandes de location", "Calendrier des salles", "Créneaux"):
        assert label in body or json.dumps(label)[1:-1] in body


def test_the_dashboard_lists_the_requests_to_decide_for_those_who_decide(client, agent, cashier, requests_world):
    login_staff(client, agent)
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Demandes de location à décider : 3" in body
    assert process_url(requests_world["pending"]) in body
    login_staff(client, cashier)
    assert "Demandes de location à décider" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_a_slot_in_use_cannot_be_deleted(agent_client, requests_world, slots):
    slot = slots["day"]  # held by the pending request
    url = reverse("halls_hallslot:delete", args=[slot.pk])
    assert agent_client.get(url).status_code == 200
    response = agent_client.post(url, follow=True)
    assert "il ne peut pas être supprimé" in response.content.decode()
    assert HallSlot.objects.filter(pk=slot.pk).exists()
    unused = HallSlot.objects.create(hall=slot.hall, name="Matin", start_time=dt.time(8), end_time=dt.time(9),
                                     weekdays=[0])
    assert agent_client.post(reverse("halls_hallslot:delete", args=[unused.pk])).status_code == 302
    assert not HallSlot.objects.filter(pk=unused.pk).exists()
