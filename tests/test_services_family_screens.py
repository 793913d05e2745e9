"""The family screens of the services, embedded in the ServicePages: enrolment requests
(with the preview of eligibility, documents and places), the enrolments and their
withdrawal, absence declarations with a medical certificate, the history of booking
changes, the iCalendar feeds and their public address.

Every rule is on the server: direct posts for another household's child, enrolment,
certificate or feed are 404; without the regulation, for a paper household, or with
garbage input, a 400 with the reason; nothing is written (rows counted before/after).
The views' clock is set on Tuesday 10 November 2026 (``family_clock``)."""

import datetime as dt
import html
import re
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from accounts.models import AuditEvent
from services import bookings, feeds
from services.models import AbsenceJustification, Booking, BookingChange, CalendarFeed, Enrolment
from tests.fixtures_services import paris_moment

pytestmark = pytest.mark.django_db

D = dt.date


def main(response):
    html = response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    return html[html.index("<main"):html.index("</main>")]


def rows():
    """What a refused request must not change."""
    return (Enrolment.objects.count(), AbsenceJustification.objects.count(), CalendarFeed.objects.count(),
            AuditEvent.objects.count(), Booking.objects.count(), BookingChange.objects.count())


@pytest.fixture
def dupont(make_family):
    return make_family("DUPONT", children=(("Emma", D(2018, 5, 4), "CE2"), ("Léo", D(2020, 3, 3), "MS")))


@pytest.fixture
def other(make_family):
    return make_family("MARTIN", children=(("Zoé", D(2018, 6, 6), "CE2"),))


@pytest.fixture
def parent(client, dupont):
    client.force_login(dupont.users[0])
    return dupont.users[0]


def enrol_data(child, activity, **extra):
    return {"child": str(child.pk), "activity": str(activity.pk), "period": "2026-09-01", **extra}


# --- enrolment -------------------------------------------------------------------------


def test_the_enrolment_form_offers_the_children_and_the_services_activities(client, parent, dupont, other,
                                                                            family_screen, catalogue, family_clock):
    response = client.get(family_screen("enrol"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    body = main(response)
    assert "Emma Dupont" in body and "Léo Dupont" in body and "Zoé" not in body
    assert "Cantine école Jules Ferry" in body and "Cantine école Louise Michel" in body
    assert "Centre de loisirs" not in body  # another service's activities
    assert "année scolaire 2026-2027" in body
    assert "Classe demandée" not in body  # not a school enrolment


def test_the_preview_says_what_the_request_gives_then_the_request_is_made(client, parent, dupont, family_screen,
                                                                          catalogue, family_clock):
    canteen = catalogue["cantine-jules-ferry"]
    emma = dupont.kids[0]
    before = rows()
    response = client.post(family_screen("enrol"), enrol_data(emma, canteen))
    assert response.status_code == 200
    assert "l'inscription sera active tout de suite" in main(response)
    assert rows() == before  # the preview writes nothing
    response = client.post(family_screen("enrol"), enrol_data(emma, canteen, confirm="1"))
    enrolment = Enrolment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == family_screen("enrolments") + f"?demande={enrolment.pk}"
    assert (enrolment.child, enrolment.activity, enrolment.status) == (emma, canteen, "active")
    assert enrolment.requested_by == parent
    event = AuditEvent.objects.get(action="enrolment")
    assert event.actor == parent and event.household_id == dupont.pk
    body = main(client.get(response["Location"]))
    assert "Emma est inscrit(e) à « Cantine école Jules Ferry »." in body


def test_the_preview_of_a_stay_paid_when_booked_tells_its_price_and_when_to_pay(client, parent, dupont,
                                                                                family_screen, catalogue,
                                                                                family_clock):
    from billing.models import Tariff, TariffBracket

    stay = catalogue["sejour-ete-cote-opale"]  # 12 to 21 July 2027, paid when booked
    tariff = Tariff.objects.create(activity=stay, label="Séjour", unit="journée", valid_from=D(2026, 1, 1),
                                   method="brackets")
    TariffBracket.objects.create(tariff=tariff, label="Unique", price="32.50")
    before = rows()
    response = client.post(family_screen("enrol", service="centre-de-loisirs"),
                           enrol_data(dupont.kids[0], stay, period=stay.start_date.isoformat()))
    assert response.status_code == 200, main(response)
    assert ("Ce séjour se paie à l'inscription : dès qu'elle est active, une facture de 325,00 € (10 jours) vous "
            "est adressée, à régler au plus tard le lundi 12 juillet 2027, premier jour du séjour.") in main(response)
    assert rows() == before


def test_a_child_too_young_is_told_why_and_nothing_is_written(client, parent, dupont, family_screen, catalogue,
                                                              family_clock):
    before = rows()
    leo = dupont.kids[1]  # 6 years old in September 2026: the piano takes children from 7
    response = client.post(family_screen("enrol", "ecoles-municipales"),
                           enrol_data(leo, catalogue["ecole-musique-piano"], period="2026-09-14", confirm="1"))
    assert response.status_code == 400
    body = main(response)
    assert 'class="error-summary" role="alert"' in body
    assert "à partir de 7 ans" in body and "Léo aura 6 ans" in body
    assert rows() == before


@pytest.fixture
def sport_certificate(catalogue):
    """A child's document type the multisports course requires."""
    from documents.models import DocumentType

    kind = DocumentType.objects.create(code="certificat-sport", name="Certificat de sport", scope="child")
    kind.required_for_activities.add(catalogue["ecole-sports-multisports"])
    return kind


def sport_document(child, kind, status):
    from documents.models import SupportingDocument

    return SupportingDocument.objects.create(
        household=child.household, child=child, document_type=kind, status=status,
        reviewed_at=None if status == "pending" else timezone.now(),
        rejection_reason="Illisible" if status == "rejected" else "")


def test_a_missing_document_is_refused_with_its_upload_link(client, parent, dupont, family_screen, catalogue,
                                                            sport_certificate, family_clock):
    before = rows()
    emma = dupont.kids[0]
    sport = catalogue["ecole-sports-multisports"]
    response = client.post(family_screen("enrol", "ecoles-municipales"), enrol_data(emma, sport, period="2026-09-14"))
    assert response.status_code == 400
    body = main(response)
    assert "Il manque une pièce justificative en règle : Certificat de sport." in body
    link = re.search(r'<a href="(/fr/justificatifs/deposer/\?[^"]+)">Déposer : Certificat de sport</a>', body)
    assert link
    # The way back: this screen, Léa and the course chosen again.
    back = family_screen("enrol", "ecoles-municipales") + f"?enfant={emma.pk}&activite={sport.pk}"
    query = parse_qs(urlsplit(html.unescape(link.group(1))).query)
    assert query == {"type": ["certificat-sport"], "child": [str(emma.pk)], "next": [back]}
    assert rows() == before


def test_a_document_awaiting_validation_is_said_so_without_an_upload_link(client, parent, dupont, family_screen,
                                                                          catalogue, sport_certificate,
                                                                          family_clock):
    emma = dupont.kids[0]
    sport_document(emma, sport_certificate, "pending")
    before = rows()
    for extra in ({}, {"confirm": "1"}):  # the preview and the request itself
        response = client.post(family_screen("enrol", "ecoles-municipales"),
                               enrol_data(emma, catalogue["ecole-sports-multisports"], period="2026-09-14", **extra))
        assert response.status_code == 400
        body = main(response)
        assert "Certificat de sport (en attente de validation)" in body
        assert "Envoyée, en attente de validation par la commune : Certificat de sport" in body
        assert "/justificatifs/deposer/" not in body and "À déposer" not in body
    assert rows() == before


def test_a_refused_document_gets_a_link_to_send_another(client, parent, dupont, family_screen, catalogue,
                                                        sport_certificate, family_clock):
    emma = dupont.kids[0]
    sport_document(emma, sport_certificate, "rejected")
    response = client.post(family_screen("enrol", "ecoles-municipales"),
                           enrol_data(emma, catalogue["ecole-sports-multisports"], period="2026-09-14"))
    assert response.status_code == 400
    link = re.search(r'<a href="(/fr/justificatifs/deposer/\?[^"]+)">'
                     r'Déposer : Certificat de sport \(document refusé\)</a>', main(response))
    assert link and "type=certificat-sport" in link.group(1) and f"child={emma.pk}" in link.group(1)


def test_once_the_document_is_validated_the_request_goes_through(client, parent, dupont, family_screen, catalogue,
                                                                 sport_certificate, family_clock):
    emma = dupont.kids[0]
    sport = catalogue["ecole-sports-multisports"]
    sport_document(emma, sport_certificate, "accepted")
    response = client.post(family_screen("enrol", "ecoles-municipales"),
                           enrol_data(emma, sport, period="2026-09-14", confirm="1"))
    assert response.status_code == 302
    assert Enrolment.objects.get(child=emma, activity=sport).status == "pending"  # the course asks for an agent


def test_a_full_course_goes_to_the_waiting_list_with_its_position(client, parent, dupont, other, family_screen,
                                                                  catalogue, family_clock):
    piano = catalogue["ecole-musique-piano"]
    piano.capacity = 1
    piano.save()
    from services import enrolments

    enrolments.request_enrolment(other.users[0], other.kids[0], piano, now=family_clock)
    emma = dupont.kids[0]
    data = enrol_data(emma, piano, period="2026-09-14")
    body = main(client.post(family_screen("enrol", "ecoles-municipales"), data))
    assert "Cette activité est complète pour cette période." in body and "en position 1" in body
    response = client.post(family_screen("enrol", "ecoles-municipales"), {**data, "confirm": "1"})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(child=emma)
    assert enrolment.status == "waiting"
    assert AuditEvent.objects.filter(action="waiting_list", household=dupont).count() == 1
    body = main(client.get(response["Location"]))
    assert "sur liste d'attente, en position 1" in body
    assert "sur liste d'attente, position 1" in body  # the table


def test_a_school_enrolment_asks_the_class_and_the_derogation_school(client, parent, dupont, family_screen,
                                                                     catalogue, family_clock):
    school = catalogue["inscription-elementaire"]
    emma = dupont.kids[0]
    url = family_screen("enrol", "etablissements-scolaires")
    assert "Motif de dérogation" in main(client.get(url))
    before = rows()
    response = client.post(url, enrol_data(emma, school))
    assert response.status_code == 400
    assert '<a href="#id_requested_level">Classe demandée : Champ requis.</a>' in main(response)
    response = client.post(url, enrol_data(emma, school, requested_level="CM1", derogation_reason="sibling"))
    assert response.status_code == 400
    assert "Indiquez l'école demandée pour la dérogation." in main(response)
    response = client.post(url, enrol_data(emma, school, requested_level="CM1", derogation_reason="nonsense"))
    assert response.status_code == 400
    assert rows() == before
    data = enrol_data(emma, school, requested_level="CM1", derogation_reason="sibling",
                      requested_school="École Jules Ferry", derogation_details="Sa sœur y est en CP.")
    body = main(client.post(url, data))
    assert "examinée par le service" in body and "frère ou sœur déjà scolarisé" in body
    assert client.post(url, {**data, "confirm": "1"}).status_code == 302
    enrolment = Enrolment.objects.get()
    assert (enrolment.status, enrolment.requested_level, enrolment.derogation_reason,
            enrolment.requested_school) == ("pending", "CM1", "sibling", "École Jules Ferry")


@pytest.mark.parametrize("case", ["other_child", "garbage_child", "foreign_activity", "bad_period", "paper",
                                  "regulation", "view_only", "already"])
def test_direct_enrolment_posts_that_break_a_rule_change_nothing(client, dupont, other, make_family, family_screen,
                                                                 catalogue, family_clock, case):
    canteen = catalogue["cantine-jules-ferry"]
    user, child = dupont.users[0], dupont.kids[0]
    data = enrol_data(child, canteen, confirm="1")
    expected_status, expected = 400, None
    patches = []
    if case == "other_child":
        data["child"] = str(other.kids[0].pk)
        expected_status = 404
    elif case == "garbage_child":
        data["child"] = "1 OR 1=1"
        expected = "Sélectionnez un choix valide"
    elif case == "foreign_activity":
        data["activity"] = str(catalogue["centre-mercredi-journee"].pk)
        expected = "Sélectionnez un choix valide"
    elif case == "bad_period":
        data["period"] = "2031-01-01"
        expected = "Sélectionnez un choix valide"
    elif case == "paper":
        paper = make_family("PAPIER", paper_only=True)
        user, child = paper.users[0], paper.kids[0]
        data["child"] = str(child.pk)
        expected = "Ce foyer a choisi les démarches papier"
    elif case == "regulation":
        patches.append(mock.patch("home.acceptance.acceptance_refusal", return_value="Acceptez d'abord le règlement."))
        expected = "Acceptez d'abord le règlement."
    elif case == "view_only":
        viewer = make_family("VUE", guardians=[("vue@example.org", "view")])
        user, child = viewer.users[0], viewer.kids[0]
        data["child"] = str(child.pk)
        expected = "Vous n'avez pas le droit d'inscrire ou de réserver pour cet enfant."
    elif case == "already":
        from services import enrolments

        enrolments.request_enrolment(user, child, canteen, now=family_clock)
        expected = "Une demande d'inscription est déjà en cours pour cette période."
    client.force_login(user)
    before = rows()
    for patch in patches:
        patch.start()
    try:
        response = client.post(family_screen("enrol"), data)
        preview = client.post(family_screen("enrol"), {k: v for k, v in data.items() if k != "confirm"})
    finally:
        for patch in patches:
            patch.stop()
    assert response.status_code == expected_status and preview.status_code == expected_status
    if expected:
        assert expected in main(response) and expected in main(preview)
        assert 'class="error-summary" role="alert"' in main(response)
    assert rows() == before


def test_the_preview_agrees_with_the_request(dupont, other, catalogue, family_clock):
    """Same answer before confirming as when confirming, for each outcome."""
    from services import enrolments
    from services.rules import Refusal

    user, emma, leo = dupont.users[0], dupont.kids[0], dupont.kids[1]
    piano = catalogue["ecole-musique-piano"]
    piano.capacity = 1
    piano.save()
    cases = [(emma, catalogue["cantine-jules-ferry"], {}), (other.kids[0], piano, {}), (emma, piano, {}),
             (leo, piano, {}), (emma, catalogue["inscription-elementaire"], {"requested_level": "CM1"}),
             (emma, catalogue["cantine-jules-ferry"], {})]
    for child, activity, extra in cases:
        actor = other.users[0] if child == other.kids[0] else user
        try:
            expected = enrolments.preview_request(actor, child, activity, now=family_clock, **extra)
        except Refusal as refusal:
            expected = refusal.code
        try:
            got = enrolments.request_enrolment(actor, child, activity, now=family_clock, **extra)
        except Refusal as refusal:
            assert expected == refusal.code
        else:
            assert expected.status == got.status, (child, activity)
            assert expected.position == enrolments.waiting_position(got)


def test_the_enrolments_show_each_state_and_only_my_children(client, parent, dupont, other, family_screen, enrol,
                                                             catalogue, family_clock):
    enrol(dupont.kids[0], "cantine-jules-ferry")
    enrol(dupont.kids[1], "cantine-louise-michel", status="refused").__class__.objects.filter(
        child=dupont.kids[1]).update(decision_reason="Pas de place le vendredi.")
    enrol(other.kids[0], "cantine-jules-ferry")
    enrol(dupont.kids[0], "centre-mercredi-journee")  # another service: not on the canteen page
    body = main(client.get(family_screen("enrolments")))
    assert body.count("<tr class=\"state-") == 2
    assert "Emma" in body and "Zoé" not in body and "Centre de loisirs" not in body
    assert "refusée" in body and "Motif : Pas de place le vendredi." in body
    assert body.count("Annuler l'inscription") == 1  # only the open one
    body = main(client.get(family_screen("enrolments") + f"?enfant={dupont.kids[1].pk}"))
    assert "Léo" in body and "Emma" not in body
    assert client.get(family_screen("enrolments") + f"?enfant={other.kids[0].pk}").status_code == 404
    response = client.get(family_screen("enrolments") + "?enfant=x'--")
    assert response.status_code == 400 and "enfant" in main(response)


def test_withdrawing_asks_for_confirmation_then_withdraws(client, parent, dupont, other, family_screen, enrol,
                                                          catalogue, family_clock):
    mine = enrol(dupont.kids[0], "cantine-jules-ferry", status="pending")
    url = family_screen("enrolment_withdraw", pk=mine.pk)
    response = client.get(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "Confirmer l'annulation" in main(response)
    mine.refresh_from_db()
    assert mine.status == "pending"
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].endswith(f"?retiree={mine.pk}")
    mine.refresh_from_db()
    assert mine.status == "withdrawn"
    assert AuditEvent.objects.filter(action="enrolment", household=dupont, actor=parent).count() == 1
    assert "est annulée" in main(client.get(response["Location"]))
    # Withdrawing again: no longer open, told, nothing written.
    before = rows()
    response = client.post(url)
    assert response.status_code == 400 and "Cette inscription n'est plus en cours." in main(response)
    assert rows() == before


def test_an_enrolment_with_days_still_booked_cannot_be_withdrawn(client, parent, dupont, family_screen, enrol,
                                                                 catalogue, family_clock):
    canteen = catalogue["cantine-jules-ferry"]
    mine = enrol(dupont.kids[0], canteen)
    assert bookings.book(parent, dupont.kids[0], canteen, D(2026, 11, 26), now=family_clock).ok
    before = rows()
    response = client.post(family_screen("enrolment_withdraw", pk=mine.pk))
    assert response.status_code == 400
    assert "Des jours sont encore réservés : annulez-les d'abord." in main(response)
    assert rows() == before


def test_someone_elses_enrolment_is_404_for_a_parent_and_for_staff(client, dupont, other, agent, family_screen,
                                                                   enrol, catalogue, family_clock):
    theirs = enrol(other.kids[0], "cantine-jules-ferry", status="pending")
    url = family_screen("enrolment_withdraw", pk=theirs.pk)
    for user in (dupont.users[0], agent):
        client.force_login(user)
        before = rows()
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
        assert rows() == before
    theirs.refresh_from_db()
    assert theirs.status == "pending"
    # Staff see no family on the parent screens (they act in the admin).
    body = main(client.get(family_screen("enrolments")))
    assert "Zoé" not in body


def test_anonymous_visitors_are_sent_to_the_login(client, family_screen, enrol, other, catalogue):
    theirs = enrol(other.kids[0], "cantine-jules-ferry", status="pending")
    feed, _token = feeds.create_feed(other.users[0], other.kids[0], now=timezone.now())
    before = rows()
    for name, kwargs in (("enrol", {}), ("enrolments", {}), ("enrolment_withdraw", {"pk": theirs.pk}),
                         ("absence", {}), ("history", {}), ("feeds", {}), ("feed_revoke", {"pk": feed.pk})):
        url = family_screen(name, **kwargs)
        for response in (client.get(url), client.post(url, {"child": other.kids[0].pk})):
            assert response.status_code == 302 and "/compte/connexion/" in response["Location"], name
    assert rows() == before


# --- absences --------------------------------------------------------------------------


@pytest.fixture
def certificate_type(db):
    """The documents demo's certificate type (documents.demo.TYPES)."""
    from documents.demo import TYPES
    from documents.models import DocumentType

    code, fields, _activities = next(t for t in TYPES if t[0] == "certificat-medical-absence")
    return DocumentType.objects.create(code=code, **{k: v for k, v in fields.items() if k != "description"})


def certificate(household, child, kind, status="accepted"):
    from documents.models import SupportingDocument

    return SupportingDocument.objects.create(household=household, child=child, document_type=kind, status=status,
                                             reviewed_at=timezone.now() if status != "pending" else None,
                                             rejection_reason="Illisible" if status == "rejected" else "")


@pytest.fixture
def sick_emma(parent, dupont, enrol, catalogue):
    """Emma enrolled at the canteen, booked Thursday 5, Monday 9 and Thursday 12 November."""
    canteen = catalogue["cantine-jules-ferry"]
    enrol(dupont.kids[0], canteen)
    for day in (D(2026, 11, 5), D(2026, 11, 9), D(2026, 11, 12)):
        assert bookings.book(parent, dupont.kids[0], canteen, day, now=paris_moment(2026, 10, 1)).ok
    return dupont.kids[0]


def test_the_demo_certificate_type_is_accepted_by_default(certificate_type):
    from django.conf import settings

    from services.absences import certificate_type_codes

    assert "certificat-medical-absence" in settings.PORTAL_ABSENCE_CERTIFICATE_TYPES
    assert "certificat-medical-absence" in certificate_type_codes()


def test_without_a_certificate_the_screen_leads_to_the_upload(client, parent, dupont, certificate_type,
                                                              family_screen, family_clock):
    body = main(client.get(family_screen("absence")))
    emma = dupont.kids[0]
    link = re.search(r'<a href="(/fr/justificatifs/deposer/\?[^"]+)">Envoyer le certificat médical de Emma</a>', body)
    assert link and "type=certificat-medical-absence" in link.group(1) and f"child={emma.pk}" in link.group(1)
    assert "<form" not in body.split("Vos déclarations")[0].split("breadcrumb")[-1]


def test_an_absence_is_declared_with_the_demo_certificate(client, parent, dupont, sick_emma, certificate_type,
                                                          family_screen, family_clock):
    document = certificate(dupont, sick_emma, certificate_type)
    url = family_screen("absence")
    assert "Certificat médical (justificatif d'absence)" in main(client.get(url))
    before = rows()
    # The delay (72 hours after the end of the first day of absence) is over for the 5th.
    late = {"child": sick_emma.pk, "first_day": "2026-11-05", "last_day": "2026-11-05", "document": document.pk}
    response = client.post(url, late)
    assert response.status_code == 400
    assert "jeudi 5 novembre 2026 : délai dépassé depuis le lundi 9 novembre 2026 à 00:00" in main(response)
    data = {"child": sick_emma.pk, "first_day": "2026-11-09", "last_day": "2026-11-12", "document": document.pk,
            "comment": "Varicelle."}
    response = client.post(url, data)
    assert response.status_code == 200
    body = main(response)
    assert "jeudi 12 novembre 2026" in body and "lundi 9 novembre 2026" in body
    assert "à justifier avant le vendredi 13 novembre 2026 à 00:00" in body
    assert rows() == before
    response = client.post(url, {**data, "confirm": "1"})
    assert response.status_code == 302
    declared = AbsenceJustification.objects.get()
    assert sorted(b.day for b in declared.bookings.all()) == [D(2026, 11, 9), D(2026, 11, 12)]
    assert (declared.document, declared.comment, declared.declared_by) == (document, "Varicelle.", parent)
    assert AuditEvent.objects.filter(action="absence_justification", household=dupont).count() == 1
    body = main(client.get(response["Location"]))
    assert "L'absence de Emma est déclarée : 2 jour(s)" in body
    assert "en attente de décision" in body and "lundi 9 novembre" in body


def test_a_refused_declaration_shows_its_reason(client, parent, dupont, sick_emma, certificate_type, agent,
                                                family_screen, family_clock):
    from services import absences

    document = certificate(dupont, sick_emma, certificate_type)
    declared = absences.declare(parent, sick_emma, D(2026, 11, 9), D(2026, 11, 9), document, now=family_clock)
    absences.decide(agent, declared, accept=False, reason="Certificat illisible.", now=family_clock)
    body = main(client.get(family_screen("absence")))
    assert "refusée" in body and "Motif : Certificat illisible." in body


@pytest.mark.parametrize("case", ["other_child", "other_document", "sibling_document", "garbage_date",
                                  "reversed", "not_a_certificate", "rejected", "nothing_booked", "paper",
                                  "regulation", "too_long"])
def test_direct_absence_posts_that_break_a_rule_change_nothing(client, parent, dupont, other, sick_emma,
                                                               certificate_type, make_family, family_screen,
                                                               family_clock, case):
    from documents.models import DocumentType

    document = certificate(dupont, sick_emma, certificate_type)
    data = {"child": sick_emma.pk, "first_day": "2026-11-09", "last_day": "2026-11-09", "document": document.pk,
            "confirm": "1"}
    expected_status, expected, patches = 400, None, []
    if case == "other_child":
        data["child"] = other.kids[0].pk
        expected_status = 404
    elif case == "other_document":
        data["document"] = certificate(other, other.kids[0], certificate_type).pk
        expected_status = 404
    elif case == "sibling_document":
        data["document"] = certificate(dupont, dupont.kids[1], certificate_type).pk
        expected = "Choisissez le certificat médical de Emma."
    elif case == "garbage_date":
        data["first_day"] = "le 9 novembre"
        expected = "Saisissez une date valide."
    elif case == "reversed":
        data["first_day"] = "2026-11-12"
        expected = "Le dernier jour d'absence doit suivre le premier."
    elif case == "not_a_certificate":
        kind = DocumentType.objects.create(code="livret-famille", name="Livret de famille", scope="child")
        data["document"] = certificate(dupont, sick_emma, kind).pk
        expected = "Sélectionnez un choix valide"  # the family's own document, not a certificate
    elif case == "rejected":
        data["document"] = certificate(dupont, sick_emma, certificate_type, status="rejected").pk
        expected = "Sélectionnez un choix valide"  # a refused certificate is not offered
    elif case == "nothing_booked":
        data.update(first_day="2026-11-10", last_day="2026-11-10")
        expected = "Aucune réservation de Emma sur ces dates."
    elif case == "paper":
        dupont.paper_only = True
        dupont.save()
        expected = "Ce foyer a choisi les démarches papier"
    elif case == "regulation":
        patches.append(mock.patch("home.acceptance.acceptance_refusal", return_value="Acceptez d'abord le règlement."))
        expected = "Acceptez d'abord le règlement."
    elif case == "too_long":
        data.update(first_day="2026-09-01", last_day="2026-11-09")
        expected = "Déclarez une absence de deux mois au plus."
    before = rows()
    for patch in patches:
        patch.start()
    try:
        response = client.post(family_screen("absence"), data)
        preview = client.post(family_screen("absence"), {k: v for k, v in data.items() if k != "confirm"})
    finally:
        for patch in patches:
            patch.stop()
    assert (response.status_code, preview.status_code) == (expected_status, expected_status)
    if expected:
        assert expected in main(response) and expected in main(preview)
    assert rows() == before


# --- history ---------------------------------------------------------------------------


def test_the_history_says_what_when_and_who(client, make_family, agent, family_screen, enrol, catalogue,
                                           family_clock):
    canteen = catalogue["cantine-jules-ferry"]
    # Separated parents: the mother sees both children, the father only Emma.
    family = make_family("BERNARD", children=(("Emma", D(2018, 5, 4), "CE2"), ("Léo", D(2019, 3, 3), "CP")),
                         guardians=[("mere@example.org", "all"),
                                    ("pere@example.org", {"Emma": {"can_view": True, "can_book": True,
                                                                   "can_pay": True}})])
    mother, father = family.users
    emma, leo = family.kids
    enrol(emma, canteen)
    enrol(leo, canteen)
    assert bookings.book(mother, emma, canteen, D(2026, 11, 26), now=paris_moment(2026, 11, 2, 9, 15)).ok
    assert bookings.book(father, emma, canteen, D(2026, 11, 27), now=paris_moment(2026, 11, 2, 10)).ok
    assert bookings.cancel(agent, emma, canteen, D(2026, 11, 26), now=paris_moment(2026, 11, 3, 8)).ok
    assert bookings.book(mother, leo, canteen, D(2026, 11, 26), now=paris_moment(2026, 11, 2, 9, 20)).ok

    client.force_login(mother)
    response = client.get(family_screen("history"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    body = main(response)
    assert body.count("<tr>") == 5  # header + 4 changes
    assert "2 novembre 2026 09:15" in body  # Paris time (08:15 UTC)
    assert "vous" in body and "Parent Bernard (autre responsable)" in body
    assert "un agent de la commune, pour votre famille" in body
    assert "Cantine école Jules Ferry, jeudi 26 novembre 2026" in body
    assert "<td>réservé</td>" in body and "<td>annulé</td>" in body
    body = main(client.get(family_screen("history") + f"?enfant={leo.pk}"))
    assert body.count("<tr>") == 2

    client.force_login(father)
    body = main(client.get(family_screen("history")))
    assert body.count("<tr>") == 4 and "Léo" not in body
    assert client.get(family_screen("history") + f"?enfant={leo.pk}").status_code == 404
    assert client.get(family_screen("history") + "?enfant=abc").status_code == 400


def test_the_history_is_paginated(client, parent, dupont, enrol, catalogue, family_screen, family_clock):
    canteen = catalogue["cantine-jules-ferry"]
    emma = dupont.kids[0]
    enrol(emma, canteen)
    assert bookings.book(parent, emma, canteen, D(2026, 11, 26), now=family_clock).ok
    change = BookingChange.objects.get()
    BookingChange.objects.bulk_create([
        BookingChange(booking=change.booking, household=dupont, child=emma, activity=canteen, day=change.day,
                      at=change.at - dt.timedelta(minutes=i + 1), actor=parent, action="booked",
                      before_status="cancelled", after_status="booked") for i in range(55)])
    body = main(client.get(family_screen("history")))
    assert body.count("<tr>") == 51 and "page 1 sur 2" in body
    assert 'rel="next"' in body and 'rel="prev"' not in body
    body = main(client.get(family_screen("history") + "?page=2"))
    assert body.count("<tr>") == 7 and 'rel="prev"' in body
    assert client.get(family_screen("history") + "?page=zzz").status_code == 200


# --- iCalendar feeds -------------------------------------------------------------------


def test_a_feed_is_created_shown_once_read_and_revoked(client, parent, dupont, enrol, catalogue, family_screen,
                                                       family_clock):
    canteen = catalogue["cantine-jules-ferry"]
    emma = dupont.kids[0]
    enrol(emma, canteen)
    assert bookings.book(parent, emma, canteen, D(2026, 11, 26), now=family_clock).ok
    response = client.post(family_screen("feeds"), {"child": emma.pk})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    address = re.search(r'<input type="text" id="feed-url" readonly value="([^"]+)">', main(response)).group(1)
    assert re.fullmatch(r"http://testserver/fr/reservations/agenda/[A-Za-z0-9_-]{40,}\.ics", address)
    feed = CalendarFeed.objects.get()
    assert (feed.user, feed.child) == (parent, emma)
    assert AuditEvent.objects.filter(action="data_export", household=dupont).count() == 1
    # Shown once: the list does not show it again.
    body = main(client.get(family_screen("feeds")))
    assert address not in body and "Révoquer" in body

    path = address.replace("http://testserver", "")
    anonymous = client.__class__()
    response = anonymous.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR") and "DTSTART:20261126T104500Z" in text

    revoke = family_screen("feed_revoke", pk=feed.pk)
    assert "Révoquer l'adresse" in main(client.get(revoke))
    response = client.post(revoke)
    assert response.status_code == 302 and response["Location"].endswith("?revoque=1")
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert anonymous.get(path).status_code == 404
    assert anonymous.get("/fr/reservations/agenda/inconnu.ics").status_code == 404
    assert "Aucune adresse d'agenda active." in main(client.get(family_screen("feeds")))


def test_someone_elses_feed_and_child_are_404(client, parent, dupont, other, family_screen, family_clock):
    theirs, _token = feeds.create_feed(other.users[0], other.kids[0], now=family_clock)
    before = rows()
    url = family_screen("feed_revoke", pk=theirs.pk)
    assert client.get(url).status_code == 404 and client.post(url).status_code == 404
    assert client.post(family_screen("feeds"), {"child": other.kids[0].pk}).status_code == 404
    response = client.post(family_screen("feeds"), {"child": "tous"})
    assert response.status_code == 400 and "Choisissez l'enfant" in main(response)
    assert rows() == before
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_at_most_five_feeds_per_child(client, parent, dupont, family_screen, family_clock):
    for _ in range(5):
        feeds.create_feed(parent, dupont.kids[0], now=family_clock)
    before = rows()
    response = client.post(family_screen("feeds"), {"child": dupont.kids[0].pk})
    assert response.status_code == 400 and "Révoquez d'abord une adresse" in main(response)
    assert rows() == before


# --- landing links and English ---------------------------------------------------------


def test_the_landing_links_lead_to_the_family_screens(rf, parent, family_service_pages, family_screen):
    from django.template import engines

    template = engines["django"].from_string('{% include "services/includes/family_links.html" %}')
    request = rf.get("/")
    request.user = parent
    html = template.render({"request": request, "service_page": family_service_pages["restauration-scolaire"]})
    for name in ("enrol", "enrolments", "absence", "history", "feeds"):
        assert f'href="{family_screen(name)}"' in html, name
    html = template.render({"request": request, "service_page": family_service_pages["etablissements-scolaires"]})
    assert f'href="{family_screen("enrol", "etablissements-scolaires")}"' in html
    assert "absence" not in html


def test_english_screens(client, parent, family_screen, catalogue, family_clock):
    for name in ("enrol", "enrolments", "absence", "history", "feeds"):
        url = family_screen(name).replace("/fr/", "/en/", 1)
        response = client.get(url)
        assert response.status_code == 200, name
        assert '<html lang="en">' in response.content.decode()
