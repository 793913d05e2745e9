"""The parent screens of the services (services.views): the landing screen, the month
calendar with its preview and confirmation, the weekly pattern, the sick child; every
rule checked again on the server when a request is posted directly. Moments are fixed:
Thursday 5 November 2026, 10:00 in Paris unless said otherwise."""

import datetime as dt
import html
import re

import pytest

from accounts.models import AuditEvent
from services.models import Booking, BookingChange, PlaceCounter

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def now(screens_clock, paris):
    moment = paris(2026, 11, 5, 10, 0)
    screens_clock.set(moment)
    return moment


@pytest.fixture
def parent(client, booking_family):
    client.force_login(booking_family.users[0])
    return booking_family


def key(child, activity, day):
    return f"{child.pk}:{activity.pk}:{day.isoformat()}"


def snapshot():
    return (
        list(Booking.objects.order_by("pk").values_list("pk", "status", "day")),
        BookingChange.objects.count(),
        AuditEvent.objects.count(),
        list(PlaceCounter.objects.order_by("pk").values_list("pk", "taken")),
    )


def main(response):
    body = response.content.decode()
    match = re.search(r"<main[^>]*>(.*)</main>", body, re.S)
    return html.unescape(match.group(1) if match else body)


def test_the_calendar_shows_each_day_with_its_deadline(client, parent, now, services_screen, catalogue):
    response = client.get(services_screen("restauration-scolaire", "calendar"), {"mois": "2026-11"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = main(response)
    child = parent.kids[0]
    canteen = catalogue["cantine-jules-ferry"]
    assert f'value="{key(child, canteen, D(2026, 11, 16))}"' in body
    assert "modifiable jusqu'au lundi 9 novembre 2026 à 23:59" in body
    assert f'value="{key(child, canteen, D(2026, 11, 10))}"' not in body
    assert "le délai est passé depuis le mardi 3 novembre 2026 à 23:59" in body
    assert "Pas d'activité" in body  # Wednesdays, weekends


# The calendar: preview, then confirmation ---------------------------------------------

def calendar_post(client, services_screen, data, page="restauration-scolaire"):
    return client.post(services_screen(page, "calendar"), {"mois": "2026-11", **data})


def test_ticking_days_shows_a_preview_with_the_price_and_writes_nothing(client, parent, now, services_screen, catalogue):
    child, canteen = parent.kids[0], catalogue["cantine-jules-ferry"]
    days = [D(2026, 11, 16), D(2026, 11, 17), D(2026, 11, 19)]
    before = snapshot()
    response = calendar_post(client, services_screen, {"etape": "apercu", "jour": [key(child, canteen, d) for d in days],
                                              "affiche": [key(child, canteen, d) for d in days]})
    assert response.status_code == 200
    assert snapshot() == before
    result = response.context["result"]
    assert result.dry_run and [o.day for o in result.booked] == days
    body = main(response)
    assert "Jours à réserver : 3" in body and "Rien n'est encore enregistré" in body
    if result.price_change is not None:
        assert "Montant ajouté à votre prochaine facture" in body
    for day in days:
        assert f'name="reserver" value="{key(child, canteen, day)}"' in body


def test_a_missing_document_is_refused_with_its_upload_link_then_pending_without(client, parent, now,
                                                                                services_screen, catalogue):
    """A required document missing: the day is refused with a link to the upload screen
    (type, child, back to the calendar); once sent and awaiting validation, no second upload
    is invited."""
    from documents.models import DocumentType, SupportingDocument

    child, canteen = parent.kids[0], catalogue["cantine-jules-ferry"]
    kind = DocumentType.objects.create(code="fiche-sanitaire", name="Fiche sanitaire", scope="child")
    kind.required_for_activities.add(canteen)
    day = key(child, canteen, D(2026, 11, 16))
    before = snapshot()
    response = calendar_post(client, services_screen, {"etape": "apercu", "jour": [day], "affiche": [day]})
    assert response.status_code == 200 and snapshot() == before
    body = main(response)
    assert "Il manque une pièce justificative en règle : Fiche sanitaire." in body
    link = re.search(r'href="(/fr/justificatifs/deposer/\?[^"]+)"', body)
    assert link and f"type=fiche-sanitaire" in link.group(1) and f"child={child.pk}" in link.group(1)
    assert "next=%2Ffr%2Frestauration-scolaire%2Fespace%2Fcalendrier%2F" in link.group(1)
    SupportingDocument.objects.create(household=child.household, child=child, document_type=kind, status="pending")
    body = main(calendar_post(client, services_screen, {"etape": "apercu", "jour": [day], "affiche": [day]}))
    assert "Il manque une pièce justificative en règle : Fiche sanitaire (en attente de validation)." in body
    assert "Envoyée, en attente de validation par la commune : Fiche sanitaire" in body
    assert "/fr/justificatifs/deposer/" not in body
    assert snapshot() == before


def test_confirming_books_the_days_and_shows_the_summary(client, parent, now, services_screen, catalogue):
    child, canteen = parent.kids[0], catalogue["cantine-jules-ferry"]
    days = [D(2026, 11, 16), D(2026, 11, 17)]
    response = calendar_post(client, services_screen, {"etape": "confirmer",
                                              "reserver": [key(child, canteen, d) for d in days]})
    assert response.status_code == 200
    assert sorted(Booking.objects.filter(child=child, status="booked").values_list("day", flat=True)) == days
    assert BookingChange.objects.filter(child=child, action="booked").count() == 2
    assert AuditEvent.objects.filter(action="booking", household=parent).count() == 1
    body = main(response)
    assert "Vos changements sont enregistrés." in body and "Jours réservés : 2" in body


def test_unticking_a_booked_day_cancels_it_within_the_deadline(client, parent, now, services_screen, catalogue):
    child, canteen = parent.kids[0], catalogue["cantine-jules-ferry"]
    days = [D(2026, 11, 16), D(2026, 11, 17)]
    calendar_post(client, services_screen, {"etape": "confirmer", "reserver": [key(child, canteen, d) for d in days]})
    # The calendar form: both shown, only the 16th still ticked.
    shown = [key(child, canteen, d) for d in days]
    response = calendar_post(client, services_screen, {"etape": "apercu", "affiche": shown, "jour": shown[:1]})
    assert [o.day for o in response.context["result"].cancelled] == [D(2026, 11, 17)]
    assert f'name="annuler" value="{shown[1]}"' in main(response)
    response = calendar_post(client, services_screen, {"etape": "confirmer", "annuler": shown[1:]})
    assert response.status_code == 200
    assert Booking.objects.get(child=child, day=D(2026, 11, 17)).status == "cancelled"
    assert Booking.objects.get(child=child, day=D(2026, 11, 16)).status == "booked"
    assert "Jours annulés : 1" in main(response)


def test_a_full_wednesday_goes_to_the_waiting_list_with_its_position(client, parent, now, services_screen, catalogue):
    child, leisure = parent.kids[0], catalogue["centre-mercredi-matin"]
    day = D(2026, 11, 18)
    PlaceCounter.objects.create(activity=leisure, day=day, capacity=20, taken=20)
    response = calendar_post(client, services_screen, {"etape": "confirmer", "reserver": [key(child, leisure, day)]},
                             page="centre-de-loisirs")
    assert response.status_code == 200
    assert Booking.objects.get(child=child, day=day).status == "waiting"
    assert "position 1" in main(response)
    response = client.get(services_screen("centre-de-loisirs", "calendar"), {"mois": "2026-11"})
    assert "Liste d'attente, position 1" in main(response)


def test_without_the_waiting_list_a_full_day_is_refused(client, parent, now, services_screen, catalogue):
    child, leisure = parent.kids[0], catalogue["centre-mercredi-matin"]
    day = D(2026, 11, 18)
    PlaceCounter.objects.create(activity=leisure, day=day, capacity=20, taken=20)
    before = snapshot()
    response = calendar_post(client, services_screen, {"etape": "confirmer", "reserver": [key(child, leisure, day)],
                                              "sans_attente": "1"}, page="centre-de-loisirs")
    assert snapshot() == before
    assert [code for code, _m, _o in response.context["result"].refusals_by_reason()] == ["full"]
    assert "Complet : il ne reste plus de place ce jour-là." in main(response)


# Direct posts that break a rule -------------------------------------------------------

def test_a_direct_post_past_the_deadline_is_refused_and_nothing_is_written(client, parent, now, services_screen, catalogue):
    child, canteen = parent.kids[0], catalogue["cantine-jules-ferry"]
    before = snapshot()
    response = calendar_post(client, services_screen, {"etape": "confirmer", "reserver": [key(child, canteen, D(2026, 11, 10))]})
    assert snapshot() == before
    groups = response.context["refusal_groups"]
    assert [g["code"] for g in groups] == ["deadline_passed"]
    assert "Le délai de réservation est dépassé" in main(response) and "Rien n'a été changé." in main(response)


def test_refusals_are_grouped_by_reason(client, parent, now, services_screen, catalogue):
    child, canteen, leisure = parent.kids[0], catalogue["cantine-jules-ferry"], catalogue["centre-mercredi-matin"]
    evening = catalogue["accueil-du-soir"]  # another service: not on this page
    response = calendar_post(client, services_screen, {"etape": "apercu", "reserver": [
        key(child, canteen, D(2026, 11, 9)), key(child, canteen, D(2026, 11, 10)), key(child, canteen, D(2026, 11, 20))]})
    assert response.status_code == 200
    groups = {g["code"]: g for g in response.context["refusal_groups"]}
    assert set(groups) == {"deadline_passed"} and len(groups["deadline_passed"]["outcomes"]) == 2
    before = snapshot()
    response = calendar_post(client, services_screen, {"etape": "confirmer", "reserver": [key(child, evening, D(2026, 11, 20))]})
    assert response.status_code == 400 and "Activité inconnue pour ce service." in main(response)
    assert leisure and snapshot() == before


def test_a_day_outside_the_enrolment_is_refused(client, parent, now, services_screen, catalogue, make_family):
    other = make_family("SANSINSCRIPTION")
    client.force_login(other.users[0])
    before = snapshot()
    canteen = catalogue["cantine-jules-ferry"]
    response = calendar_post(client, services_screen, {"etape": "confirmer", "reserver": [key(other.kids[0], canteen,
                                                                                     D(2026, 11, 20))]})
    assert snapshot() == before
    assert [g["code"] for g in response.context["refusal_groups"]] == ["not_enrolled"]


def test_another_households_child_is_a_404_and_nothing_is_written(client, parent, now, services_screen, catalogue,
                                                                   make_family, enrol):
    other = make_family("AUTRE")
    enrol(other.kids[0], catalogue["cantine-jules-ferry"])
    canteen = catalogue["cantine-jules-ferry"]
    before = snapshot()
    victim_key = key(other.kids[0], canteen, D(2026, 11, 20))
    for data in ({"etape": "confirmer", "reserver": [victim_key]}, {"etape": "apercu", "jour": [victim_key]},
                 {"etape": "confirmer", "annuler": [victim_key]}):
        assert calendar_post(client, services_screen, data).status_code == 404
    assert client.get(services_screen("restauration-scolaire", "calendar"), {"enfant": other.kids[0].pk}).status_code == 404
    for name in ("child_calendar", "pattern", "sick"):
        url = services_screen("restauration-scolaire", name, child_id=other.kids[0].pk)
        assert client.get(url).status_code == 404
        assert client.post(url, {"etape": "confirmer", "activite": canteen.pk, "jours": ["0"], "du": "2026-11-16",
                                 "au": "2026-11-30", "reservation": f"{canteen.pk}:2026-11-16"}).status_code == 404
    assert snapshot() == before


def test_a_paper_household_is_refused(client, now, services_screen, catalogue, make_family, enrol):
    paper = make_family("PAPIER", paper_only=True)
    enrol(paper.kids[0], catalogue["cantine-jules-ferry"])
    client.force_login(paper.users[0])
    before = snapshot()
    response = client.get(services_screen("restauration-scolaire", "calendar"), {"mois": "2026-11"})
    assert "démarches papier" in main(response)
    response = calendar_post(client, services_screen, {"etape": "confirmer", "reserver": [
        key(paper.kids[0], catalogue["cantine-jules-ferry"], D(2026, 11, 20))]})
    assert [g["code"] for g in response.context["refusal_groups"]] == ["paper_only"]
    assert snapshot() == before


def test_without_accepting_the_regulation_nothing_is_booked(client, parent, now, services_screen, catalogue, monkeypatch):
    import home.acceptance

    monkeypatch.setattr(home.acceptance, "acceptance_refusal",
                        lambda user: "Acceptez le règlement des services en vigueur pour continuer.")
    before = snapshot()
    response = calendar_post(client, services_screen, {"etape": "confirmer", "reserver": [
        key(parent.kids[0], catalogue["cantine-jules-ferry"], D(2026, 11, 20))]})
    assert [g["code"] for g in response.context["refusal_groups"]] == ["regulation_not_accepted"]
    assert "Acceptez le règlement" in main(response)
    assert snapshot() == before


@pytest.mark.parametrize("data", [
    {"etape": "confirmer", "reserver": ["n'importe quoi"]},
    {"etape": "confirmer", "reserver": ["1:2:2026-13-45"]},
    {"etape": "confirmer", "reserver": ["x:2:2026-11-20"]},
    {"etape": "confirmer", "reserver": ["1:2:3:4"]},
    {"etape": "confirmer", "reserver": ["{child}:99999999:2026-11-20"]},
    {"etape": "piratage", "reserver": []},
    {"etape": "confirmer"},
    {"etape": "confirmer", "mois": "2026-99"},
])
def test_garbage_is_a_400_with_a_french_message_and_nothing_is_written(client, parent, now, services_screen, data):
    child = parent.kids[0].pk
    data = {name: [v.replace("{child}", str(child)) for v in value] if isinstance(value, list) else value
            for name, value in data.items()}
    before = snapshot()
    response = calendar_post(client, services_screen, data)
    assert response.status_code == 400
    assert 'role="alert"' in main(response) and "Rien n'a été enregistré." in main(response)
    assert snapshot() == before


@pytest.mark.parametrize("query", [{"mois": "novembre"}, {"mois": "2026-00"}, {"mois": "1990-01"},
                                   {"enfant": "abc"}])
def test_a_bad_month_or_child_in_the_address_is_a_400(client, parent, now, services_screen, query):
    response = client.get(services_screen("restauration-scolaire", "calendar"), query)
    assert response.status_code == 400 and ("mois" in main(response) or "enfant" in main(response))


def test_anonymous_visitors_are_invited_to_log_in(client, now, services_screen, catalogue, booking_family):
    response = client.get(services_screen("restauration-scolaire", "index"))
    assert response.status_code == 200
    body = main(response)
    assert "Se connecter pour inscrire ou réserver" in body and "?next=/fr/restauration-scolaire/espace/" in body
    for name, kwargs in (("calendar", {}), ("child_calendar", {"child_id": booking_family.kids[0].pk}),
                         ("pattern", {"child_id": booking_family.kids[0].pk}),
                         ("sick", {"child_id": booking_family.kids[0].pk})):
        response = client.get(services_screen("restauration-scolaire", name, **kwargs))
        assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
        response = client.post(services_screen("restauration-scolaire", name, **kwargs), {"etape": "confirmer"})
        assert response.status_code == 302


def test_the_landing_screen_lists_the_children_and_their_enrolments(client, parent, now, services_screen):
    response = client.get(services_screen("restauration-scolaire", "index"))
    body = main(response)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "Emma" in body and "Cantine école Jules Ferry" in body
    assert services_screen("restauration-scolaire", "child_calendar", child_id=parent.kids[0].pk) in body
    assert services_screen("restauration-scolaire", "pattern", child_id=parent.kids[0].pk) in body


# The weekly pattern -------------------------------------------------------------------

def pattern_post(client, services_screen, child, activity, **data):
    values = {"activite": activity.pk, "jours": ["0", "1", "3", "4"], "du": "2026-11-16", "au": "2027-01-08",
              "etape": "apercu", **data}
    return client.post(services_screen("restauration-scolaire", "pattern", child_id=child.pk), values)


def test_the_pattern_form_defaults_to_the_end_of_the_school_year(client, parent, now, services_screen):
    response = client.get(services_screen("restauration-scolaire", "pattern", child_id=parent.kids[0].pk))
    assert response.status_code == 200
    assert response.context["form"].initial["au"] == D(2027, 7, 3)


def test_a_weekly_pattern_across_the_holidays_is_previewed_then_applied(client, parent, now, services_screen, catalogue):
    child, canteen = parent.kids[0], catalogue["cantine-jules-ferry"]
    before = snapshot()
    response = pattern_post(client, services_screen, child, canteen)
    assert response.status_code == 200 and snapshot() == before
    result = response.context["result"]
    holidays = [o.day for o in result.not_running]
    assert D(2026, 12, 21) in holidays and D(2026, 12, 25) in holidays
    assert not [o for o in result.refused if o.day in holidays]
    body = main(response)
    assert "Jours sans activité (vacances, jours fériés, fermetures)" in body
    assert 'name="etape" value="confirmer"' in body
    response = pattern_post(client, services_screen, child, canteen, etape="confirmer")
    assert response.status_code == 200
    booked = set(Booking.objects.filter(child=child, status="booked").values_list("day", flat=True))
    assert D(2026, 11, 16) in booked and D(2027, 1, 4) in booked and not booked & set(holidays)
    assert "Vos changements sont enregistrés." in main(response)


@pytest.mark.parametrize("data", [{"jours": []}, {"du": "2026-02-31"}, {"au": "hier"}, {"activite": "abc"},
                                  {"au": "2026-11-01"}, {"jours": ["9"]}, {"au": "2028-06-01"}, {"etape": "x"}])
def test_a_bad_pattern_is_a_400_and_nothing_is_written(client, parent, now, services_screen, catalogue, data):
    before = snapshot()
    response = pattern_post(client, services_screen, parent.kids[0], catalogue["cantine-jules-ferry"], **{"etape": "confirmer",
                                                                                                **data})
    assert response.status_code == 400
    assert snapshot() == before


def test_a_pattern_for_an_activity_the_child_is_not_enrolled_in_is_a_400(client, parent, now, services_screen, catalogue):
    before = snapshot()
    response = pattern_post(client, services_screen, parent.kids[0], catalogue["cantine-louise-michel"], etape="confirmer")
    assert response.status_code == 400 and snapshot() == before


# The sick child -----------------------------------------------------------------------

def test_a_sick_child_is_cancelled_the_same_morning(client, parent, screens_clock, paris, services_screen, catalogue):
    child, canteen = parent.kids[0], catalogue["cantine-jules-ferry"]
    screens_clock.set(paris(2026, 11, 5, 10, 0))
    client.post(services_screen("restauration-scolaire", "calendar"), {"etape": "confirmer", "mois": "2026-11",
                                                                "reserver": [key(child, canteen, D(2026, 11, 16))]})
    screens_clock.set(paris(2026, 11, 16, 8, 15))
    response = client.get(services_screen("restauration-scolaire", "calendar"), {"mois": "2026-11"})
    body = main(response)
    assert "est malade ? Annuler Cantine école Jules Ferry aujourd'hui" in body
    assert "possible jusqu'au lundi 16 novembre 2026 à 09:00" in body
    sick_url = services_screen("restauration-scolaire", "sick", child_id=child.pk)
    response = client.get(sick_url)
    assert "la journée reste facturée" in main(response)
    response = client.post(sick_url, {"reservation": f"{canteen.pk}:2026-11-16"})
    assert response.status_code == 200
    booking = Booking.objects.get(child=child, day=D(2026, 11, 16))
    assert booking.status == "cancelled" and booking.cancelled_sick and booking.cancelled_late
    assert BookingChange.objects.filter(booking=booking, action="sick").exists()


def test_after_nine_the_sick_cancellation_is_refused(client, parent, screens_clock, paris, services_screen, catalogue):
    child, canteen = parent.kids[0], catalogue["cantine-jules-ferry"]
    screens_clock.set(paris(2026, 11, 5, 10, 0))
    client.post(services_screen("restauration-scolaire", "calendar"), {"etape": "confirmer", "mois": "2026-11",
                                                                "reserver": [key(child, canteen, D(2026, 11, 16))]})
    screens_clock.set(paris(2026, 11, 16, 9, 1))
    before = snapshot()
    response = client.post(services_screen("restauration-scolaire", "sick", child_id=child.pk),
                           {"reservation": f"{canteen.pk}:2026-11-16"})
    assert snapshot() == before
    assert response.context["outcome"].code == "sick_deadline_passed"
    assert "L'annulation pour enfant malade n'était possible que jusqu'au" in main(response)
    for bad in ("x", f"{canteen.pk}:demain", "1:2:3"):
        assert client.post(services_screen("restauration-scolaire", "sick", child_id=child.pk),
                           {"reservation": bad}).status_code == 400
    assert snapshot() == before


def test_staff_get_no_child_through_the_parent_screens(client, agent, booking_family, now, services_screen, catalogue):
    client.force_login(agent)
    child = booking_family.kids[0]
    before = snapshot()
    assert client.get(services_screen("restauration-scolaire", "child_calendar", child_id=child.pk)).status_code == 404
    response = calendar_post(client, services_screen, {"etape": "confirmer", "reserver": [
        key(child, catalogue["cantine-jules-ferry"], D(2026, 11, 20))]})
    assert response.status_code == 404 and snapshot() == before


# English ------------------------------------------------------------------------------

def test_english_screens(client, parent, now, services_screen, catalogue):
    """Needs the English catalogue compiled with services/translations_en.py (make messages)."""
    child, canteen = parent.kids[0], catalogue["cantine-jules-ferry"]
    url = services_screen("restauration-scolaire", "calendar").replace("/fr/", "/en/", 1)
    body = main(client.get(url, {"mois": "2026-11"}))
    assert "Calendar of November 2026" in body and "can be changed until Monday 9 November 2026 at 23:59" in body
    response = client.post(url, {"etape": "apercu", "mois": "2026-11", "reserver": [
        key(child, canteen, D(2026, 11, 16)), key(child, canteen, D(2026, 11, 10))]})
    body = main(response)
    assert "Check your changes" in body and "Days to book: 1" in body
    assert "The booking deadline has passed: booking was possible until Tuesday 3 November 2026 at 23:59." in body
    response = client.post(url, {"etape": "confirmer", "mois": "2026-11", "reserver": ["n'importe quoi"]})
    assert response.status_code == 400 and "Unreadable day requested" in main(response)


def test_the_calendar_page_reads_as_many_queries_for_one_child_as_for_three(client, now, services_screen, catalogue,
                                                                             make_family, enrol):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for name, kids in (("UN", (("Emma", D(2018, 5, 4), "CE2"),)),
                       ("TROIS", (("Emma", D(2018, 5, 4), "CE2"), ("Jules", D(2019, 1, 2), "CE1"),
                                  ("Zoé", D(2020, 3, 3), "CP")))):
        household = make_family(name, children=kids)
        for kid in household.kids:
            for code in ("cantine-jules-ferry", "cantine-louise-michel"):
                enrol(kid, catalogue[code])
        client.force_login(household.users[0])
        client.get(services_screen("restauration-scolaire", "calendar"), {"mois": "2026-11"})  # warm the caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(services_screen("restauration-scolaire", "calendar"), {"mois": "2026-11"})
        assert response.status_code == 200 and len(response.context["month"].children) == len(kids)
        counts.append(len(queries))
    assert counts[0] == counts[1]
