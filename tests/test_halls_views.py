"""The parent screens of hall hire, embedded below the hall-hire ServicePage: calendar,
request with the price shown before confirming, the user's requests, cancellation.

Dates are computed from today (the views use the real clock)."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import AuditEvent
from halls.models import HallClosure, HallOccupancy, HallRequest
from tests.fixtures_halls import PARIS, make_parent, next_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localtime(timezone.now(), PARIS).date()


@pytest.fixture
def saturday(today):
    """A Saturday 40 to 46 days ahead: free to cancel, inside every limit."""
    return next_weekday(today + dt.timedelta(days=40), 5)


def form_data(slot, day, **changes):
    data = {
        "date": day.isoformat(), "slot": str(slot.pk), "requester_kind": "person",
        "contact_name": "Parent Legrand", "contact_phone": "06 00 00 00 01", "contact_email": "parent@example.org",
        "event_description": "Anniversaire", "expected_guests": "50",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def household_of(user):
    return user.guardianships.get().household


def month_label(day):
    from django.utils import dateformat, translation

    with translation.override("fr"):
        return dateformat.format(day, "F Y")


def day_label(day):
    from django.utils import dateformat, translation

    with translation.override("fr"):
        return dateformat.format(day, "l j F")


def main(response):
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")]


# --- Halls and calendar ----------------------------------------------------------------


def test_the_index_lists_the_halls_with_prices_deposit_and_terms(client, screen, hall, slots):
    response = client.get(screen("index"))
    assert response.status_code == 200
    body = main(response)
    assert "Nymphéas" in body and "300,00 €" in body and "660,00 €" in body and "550,00 €" in body
    assert "sans frais jusqu'à 30 jours avant la date" in body and "100 % à moins de 10 jours" in body
    assert "Soirée : 18:00–02:00 (le lendemain)" in body
    assert f'href="{screen("calendar", hall_id=hall.pk)}"' in body
    assert "no-store" in response["Cache-Control"]


def test_the_calendar_is_an_accessible_table_without_javascript(client, screen, hall, slots, saturday):
    response = client.get(screen("calendar", hall_id=hall.pk), {"mois": f"{saturday:%Y-%m}"})
    assert response.status_code == 200
    body = main(response)
    assert "<script" not in response.content.decode()
    assert re.search(r"<caption>Nymphéas, \w+ \d{4} — créneaux libres : \d+</caption>", body)
    assert '<th scope="col">Journée' in body and '<th scope="row">' in body
    request_url = screen("new_request", hall_id=hall.pk)
    link = f'href="{request_url}?date={saturday:%Y-%m-%d}&amp;creneau={slots["day"].pk}"'
    assert link in body
    assert "Non proposé" in body  # weekdays on which the weekend does not start


def test_the_calendar_shows_held_closed_and_own_slots_without_names(client, screen, hall, slots, saturday, resident,
                                                                    non_resident, person_details):
    from halls import hire

    mine = hire.create_request(resident, hall, slots["day"], saturday, person_details(resident))
    theirs = hire.create_request(non_resident, hall, slots["evening"], saturday, person_details(non_resident))
    HallClosure.objects.create(hall=hall, start_date=saturday + dt.timedelta(days=1),
                               end_date=saturday + dt.timedelta(days=1), reason="Travaux de peinture")
    client.force_login(resident)
    body = main(client.get(screen("calendar", hall_id=hall.pk), {"mois": f"{saturday:%Y-%m}"}))
    row = body[body.index(f'<th scope="row">{day_label(saturday)}</th>'):]
    row = row[:row.index("</tr>")]
    assert "Votre demande" in row and f'href="{screen("request_detail", pk=mine.pk)}"' in row
    assert "Demande en cours" in row  # the other user's evening, without link nor name
    assert screen("request_detail", pk=theirs.pk) not in body and "DUPONT" not in body
    assert "Travaux de peinture" in body


def test_the_calendar_query_count_does_not_grow_with_requests(client, screen, hall, slots, saturday, resident,
                                                              person_details, django_assert_max_num_queries):
    from halls import hire

    client.force_login(resident)
    url, month = screen("calendar", hall_id=hall.pk), {"mois": f"{saturday:%Y-%m}"}
    with django_assert_max_num_queries(30) as few:
        client.get(url, month)
    for offset in range(0, 21, 7):
        hire.create_request(resident, hall, slots["day"], saturday + dt.timedelta(days=offset),
                            person_details(resident))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url, month)


def test_the_calendar_stays_within_the_months_open_to_requests(client, screen, hall, slots, today):
    url = screen("calendar", hall_id=hall.pk)
    for value in ("1999-01", "2999-01", "n'importe quoi"):
        body = main(client.get(url, {"mois": value}))
        assert f"<caption>Nymphéas, {month_label(today)} — " in body  # back on the current month
        assert 'rel="prev"' not in body  # nothing before it
    assert 'rel="next"' in main(client.get(url))


def test_an_unknown_or_inactive_hall_is_404(client, screen, hall, slots):
    assert client.get(screen("calendar", hall_id=hall.pk + 100)).status_code == 404
    hall.is_active = False
    hall.save()
    assert client.get(screen("calendar", hall_id=hall.pk)).status_code == 404


# --- Request: form, preview with the price, confirmation ----------------------------------


def test_requesting_needs_a_login(client, screen, hall, slots):
    response = client.get(screen("new_request", hall_id=hall.pk))
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
    assert client.post(screen("new_request", hall_id=hall.pk), {}).status_code == 302
    assert HallRequest.objects.count() == 0


def test_the_form_is_prefilled_from_the_calendar_and_the_account(client, screen, hall, slots, resident, saturday):
    client.force_login(resident)
    response = client.get(screen("new_request", hall_id=hall.pk),
                          {"date": saturday.isoformat(), "creneau": slots["evening"].pk})
    body = main(response)
    assert f'value="{saturday.isoformat()}"' in body
    assert re.search(rf'<input type="radio" name="slot" value="{slots["evening"].pk}"[^>]*checked', body)
    assert 'value="resident@example.org"' in body and 'value="06 00 00 00 01"' in body
    assert "LEGRAND" in body and "résident de la commune" in body
    assert re.search(r'<label for="id_contact_phone">Téléphone</label>', body)


def test_the_price_deposit_and_fees_are_shown_before_anything_is_written(client, screen, hall, slots, resident,
                                                                         saturday):
    client.force_login(resident)
    data = form_data(slots["day"], saturday, household=household_of(resident).pk)
    response = client.post(screen("new_request", hall_id=hall.pk), data)
    assert response.status_code == 200
    body = main(response)
    assert "Confirmer la demande (300,00 €)" in body
    assert "550,00 €" in body and "tarif résident" in body
    assert "150,00 €" in body and "sans frais" in body  # the fee tiers
    assert HallRequest.objects.count() == 0 and AuditEvent.objects.filter(action="hall_request").count() == 0
    # The confirmation posts the same fields back, plus confirm=1.
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', body.split("Modifier")[0]))
    assert hidden["confirm"] == "1" and hidden["date"] == saturday.isoformat()
    assert hidden["slot"] == str(slots["day"].pk) and hidden["household"] == str(household_of(resident).pk)


def test_confirming_writes_the_request_and_shows_it(client, screen, hall, slots, resident, saturday,
                                                    django_capture_on_commit_callbacks):
    client.force_login(resident)
    data = form_data(slots["day"], saturday, household=household_of(resident).pk, confirm="1")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(screen("new_request", hall_id=hall.pk), data)
    hall_request = HallRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == screen("request_detail", pk=hall_request.pk) + "?enregistree=1"
    assert (hall_request.status, hall_request.price, hall_request.requester) == ("pending", 300, resident)
    assert AuditEvent.objects.get(action="hall_request").ip_address == "127.0.0.1"
    assert len(mail.outbox) == 1
    body = main(client.get(response["Location"]))
    assert hall_request.reference in body and "en attente de décision" in body
    assert f'<p class="notice" role="status">Votre demande {hall_request.reference} est enregistrée' in body
    # The notice speaks only of what is true: not on another state.
    HallRequest.objects.filter(pk=hall_request.pk).update(status="expired")
    assert 'role="status"' not in main(client.get(response["Location"]))


def test_posted_extra_fields_change_nothing(client, screen, hall, slots, resident, saturday):
    other = make_parent("autre@example.org", "AUTRE", resident=True)
    client.force_login(make_parent("ext@example.org", "EXT", resident=False))
    data = form_data(slots["day"], saturday, confirm="1", price="1.00", deposit="0", status="approved",
                     resident="on", requester=str(resident.pk), reference="X", deposit_status="returned")
    data["household"] = str(household_of(other).pk)  # someone else's household: refused by the form
    response = client.post(screen("new_request", hall_id=hall.pk), data)
    assert response.status_code == 400 and HallRequest.objects.count() == 0
    data.pop("household")
    response = client.post(screen("new_request", hall_id=hall.pk), data)
    assert response.status_code == 400  # the user has a household: it must be named
    data["household"] = str(household_of(response.wsgi_request.user).pk)
    response = client.post(screen("new_request", hall_id=hall.pk), data)
    assert response.status_code == 302
    hall_request = HallRequest.objects.get()
    assert (hall_request.price, hall_request.deposit, hall_request.status, hall_request.resident) == (
        660, 550, "pending", False)
    assert hall_request.requester.email == "ext@example.org" and hall_request.reference.startswith("SAL-")
    assert hall_request.deposit_status == "awaited"


@pytest.mark.parametrize("case", ["taken", "past", "closed", "weekday", "guests", "slot_of_another_hall",
                                  "bad_number"])
def test_direct_posts_that_break_a_rule_are_refused_and_change_nothing(client, screen, hall, other_hall, slots,
                                                                       resident, non_resident, person_details,
                                                                       saturday, today, case):
    from halls import hire
    from tests.fixtures_halls import make_slots

    hire.create_request(non_resident, hall, slots["weekend"], saturday, person_details(non_resident))
    free_saturday = saturday + dt.timedelta(days=7)
    household = household_of(resident).pk
    data = form_data(slots["day"], free_saturday, household=household, confirm="1")
    expected = None
    if case == "taken":
        data["date"] = (saturday + dt.timedelta(days=1)).isoformat()  # Sunday, held by the weekend
        expected = "Ce créneau n'est plus libre"
    elif case == "past":
        data["date"] = (today - dt.timedelta(days=1)).isoformat()
        expected = "Cette date est passée."
    elif case == "closed":
        HallClosure.objects.create(hall=hall, start_date=free_saturday, end_date=free_saturday, reason="Élections")
        expected = "La salle est fermée à cette date : Élections."
    elif case == "weekday":
        data["slot"] = str(slots["evening"].pk)
        data["date"] = (free_saturday - dt.timedelta(days=3)).isoformat()  # a Wednesday
        expected = "n'est pas proposé ce jour-là"
    elif case == "guests":
        data["expected_guests"] = "500"
        expected = "La salle accueille au plus 200 personnes."
    elif case == "slot_of_another_hall":
        data["slot"] = str(make_slots(other_hall)["day"].pk)
        expected = "Sélectionnez un choix valide"
    elif case == "bad_number":
        data.update(requester_kind="association", association_name="Club", association_number="123")
        expected = "ni un SIRET"
    client.force_login(resident)
    before = (HallRequest.objects.count(), HallOccupancy.objects.count(), AuditEvent.objects.count())
    response = client.post(screen("new_request", hall_id=hall.pk), data)
    assert response.status_code == 400
    body = main(response).replace("&#x27;", "'")
    assert expected in body
    assert 'class="error-summary" role="alert"' in body
    assert (HallRequest.objects.count(), HallOccupancy.objects.count(), AuditEvent.objects.count()) == before


def test_field_errors_are_tied_to_their_field_and_summarised(client, screen, hall, slots, resident, saturday):
    client.force_login(resident)
    data = form_data(slots["day"], saturday, household=household_of(resident).pk, contact_phone="",
                     expected_guests="0")
    body = main(client.post(screen("new_request", hall_id=hall.pk), data))
    assert '<a href="#id_contact_phone">Téléphone : Champ requis.</a>' in body
    assert re.search(r'<input type="tel" name="contact_phone"[^>]*aria-describedby="id_contact_phone-error"'
                     r'[^>]*aria-invalid="true"', body)
    assert 'id="id_contact_phone-error"' in body
    assert 'aria-describedby="id_expected_guests-hint id_expected_guests-error"' in body


def test_a_missing_insurance_certificate_is_refused_with_the_upload_link(client, screen, hall, slots, resident,
                                                                        saturday):
    from documents.models import DocumentType

    DocumentType.objects.create(code="assurance-salle", name="Attestation d'assurance", required_for_hall_hire=True)
    client.force_login(resident)
    data = form_data(slots["day"], saturday, household=household_of(resident).pk)
    response = client.post(screen("new_request", hall_id=hall.pk), data)
    assert response.status_code == 400
    body = main(response).replace("&#x27;", "'")
    assert "Il manque une pièce en règle pour la date louée : Attestation d'assurance" in body
    assert 'href="/fr/justificatifs/deposer/?type=assurance-salle&amp;next=' in body
    assert HallRequest.objects.count() == 0


def test_the_regulation_gate_is_shown_and_blocks(client, screen, hall, slots, resident, saturday):
    from unittest import mock

    client.force_login(resident)
    data = form_data(slots["day"], saturday, household=household_of(resident).pk, confirm="1")
    with mock.patch("home.acceptance.acceptance_refusal", return_value="Acceptez d'abord le règlement."):
        response = client.post(screen("new_request", hall_id=hall.pk), data)
    assert response.status_code == 400
    assert "Acceptez d'abord le règlement." in main(response).replace("&#x27;", "'")
    assert HallRequest.objects.count() == 0


def test_an_association_request_through_the_screen(client, screen, hall, slots, loner, saturday):
    client.force_login(loner)
    body = main(client.get(screen("new_request", hall_id=hall.pk)))
    assert 'name="household"' not in body and "Votre compte n'est relié à aucun foyer" in body.replace("&#x27;", "'")
    data = form_data(slots["day"], saturday, requester_kind="association", association_name="Club de tarot",
                     association_number="W 595 001 234", association_seat_in_commune="on")
    preview = main(client.post(screen("new_request", hall_id=hall.pk), data)).replace("&#x27;", "'")
    assert "Association Club de tarot (n° W595001234)" in preview and "300,00 €" in preview
    assert "Attestation d'assurance : remettez-la à l'accueil de la mairie" in preview
    response = client.post(screen("new_request", hall_id=hall.pk), {**data, "confirm": "1"})
    assert response.status_code == 302
    hall_request = HallRequest.objects.get()
    assert (hall_request.household, hall_request.association_number, hall_request.resident) == (None, "W595001234",
                                                                                                True)


def test_back_from_the_preview_keeps_what_was_filled_in(client, screen, hall, slots, resident, saturday):
    client.force_login(resident)
    data = form_data(slots["day"], saturday, household=household_of(resident).pk, event_description="Baptême",
                     edit="1")
    body = main(client.post(screen("new_request", hall_id=hall.pk), data))
    assert 'value="Baptême"' in body and "Voir le tarif et confirmer" in body
    assert HallRequest.objects.count() == 0


def test_csrf_is_enforced(screen, hall, slots, resident, saturday):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)
    data = form_data(slots["day"], saturday, household=household_of(resident).pk, confirm="1")
    assert client.post(screen("new_request", hall_id=hall.pk), data).status_code == 403
    assert HallRequest.objects.count() == 0


# --- The user's requests, another user's, cancellation -------------------------------------


@pytest.fixture
def own_request(hall, slots, resident, person_details, saturday):
    from halls import hire

    return hire.create_request(resident, hall, slots["day"], saturday, person_details(resident))


def test_my_requests_lists_only_mine(client, screen, own_request, non_resident, resident, hall, slots, saturday,
                                     person_details):
    from halls import hire

    theirs = hire.create_request(non_resident, hall, slots["evening"], saturday, person_details(non_resident))
    client.force_login(resident)
    body = main(client.get(screen("my_requests")))
    assert own_request.reference in body and theirs.reference not in body
    assert "<caption>" in body and '<th scope="row">' in body


@pytest.mark.parametrize("name, method", [("request_detail", "get"), ("cancel_request", "get"),
                                          ("cancel_request", "post")])
def test_another_users_request_is_404_on_read_and_write(client, screen, own_request, non_resident, name, method):
    client.force_login(non_resident)
    response = getattr(client, method)(screen(name, pk=own_request.pk))
    assert response.status_code == 404
    own_request.refresh_from_db()
    assert own_request.status == "pending" and own_request.occupancy.count() == 18


def test_the_fee_is_shown_before_cancelling_then_the_request_is_cancelled(client, screen, own_request, resident,
                                                                          agent, django_capture_on_commit_callbacks):
    from halls import hire

    hire.approve(own_request, agent)
    # 40 days or more before: no fee.
    client.force_login(resident)
    body = main(client.get(screen("cancel_request", pk=own_request.pk))).replace("&#x27;", "'")
    assert "Si vous annulez aujourd'hui, aucun frais ne vous sera facturé." in body
    # Move the hire to 20 days ahead: the first tier (50 %).
    start = timezone.now() + dt.timedelta(days=20)
    HallRequest.objects.filter(pk=own_request.pk).update(
        event_date=timezone.localtime(start, PARIS).date(), starts_at=start, ends_at=start + dt.timedelta(hours=9))
    body = main(client.get(screen("cancel_request", pk=own_request.pk)))
    assert "des frais d&#x27;annulation de 150,00 €" in body or "des frais d'annulation de 150,00 €" in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(screen("cancel_request", pk=own_request.pk))
    assert response.status_code == 302
    own_request.refresh_from_db()
    assert (own_request.status, own_request.cancellation_fee) == ("cancelled", 150)
    assert "150,00 €" in mail.outbox[-1].body
    # Cancelling again is refused, nothing changes.
    response = client.post(screen("cancel_request", pk=own_request.pk))
    assert response.status_code == 400
    assert AuditEvent.objects.filter(action="cancellation").count() == 1


def test_the_detail_shows_the_decision_and_offers_no_cancellation_when_finished(client, screen, own_request, resident,
                                                                               agent):
    from halls import hire

    hire.refuse(own_request, agent, "Salle réservée pour la commune.")
    client.force_login(resident)
    body = main(client.get(screen("request_detail", pk=own_request.pk)))
    assert "Motif du refus : Salle réservée pour la commune." in body
    assert screen("cancel_request", pk=own_request.pk) not in body


def test_every_screen_is_private_to_caches(client, screen, own_request, resident, hall):
    client.force_login(resident)
    for url in (screen("index"), screen("calendar", hall_id=hall.pk), screen("new_request", hall_id=hall.pk),
                screen("my_requests"), screen("request_detail", pk=own_request.pk),
                screen("cancel_request", pk=own_request.pk)):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_the_stable_entry_points_lead_to_the_embedded_screens(client, hall_page, screen):
    response = client.get("/fr/salles/")
    assert response.status_code == 302 and response["Location"] == screen("index")
    response = client.get("/fr/salles/mes-demandes/")
    assert response["Location"] == screen("my_requests")


def test_the_entry_point_is_404_without_a_hall_hire_page(client, db):
    assert client.get("/fr/salles/").status_code == 404


def test_the_space_links_to_hall_hire(client, hall_page, screen, resident):
    client.force_login(resident)
    body = client.get("/fr/compte/").content.decode()
    assert f'<a href="{screen("index")}">Louer une salle municipale</a>' in body


def test_english_screens(client, screen, hall, slots, resident, saturday):
    client.force_login(resident)
    url = screen("calendar", hall_id=hall.pk).replace("/fr/", "/en/", 1)
    response = client.get(url, {"mois": f"{saturday:%Y-%m}"})
    assert response.status_code == 200
    body = main(response)
    assert "Availability: Nymphéas" in body and "Free" in body and "Not offered" in body
    data = form_data(slots["day"], saturday, household=household_of(resident).pk, expected_guests="500")
    body = main(client.post(screen("new_request", hall_id=hall.pk).replace("/fr/", "/en/", 1), data))
    assert "The hall holds at most 200 people." in body
