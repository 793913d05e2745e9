"""The family file as parents and agents change it: linking, direct edits, change
requests and decisions, authorisations, authorised persons, history, paper mode,
preferences; every change traced with before/after; posted extra fields change nothing."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from accounts import demo, family, gdpr
from accounts.models import (
    AuditEvent,
    Authorisation,
    AuthorisedPerson,
    ChangeRequest,
    Child,
    GdprRequest,
    Guardian,
    GuardianChildRight,
    Household,
    User,
)
from accounts.preferences import wants_email
from tests.fixtures_accounts import login_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def families(db):
    demo.load()
    return {
        "marie": User.objects.get(email="marie.martin@example.org"),
        "martin": Household.objects.get(code="F-000101"),
        "lea": Child.objects.get(first_name="Léa"),
        "thomas": User.objects.get(email="thomas.petit@example.org"),
        "nathan": Child.objects.get(first_name="Nathan"),
        "durand": Household.objects.get(code="F-000103"),
    }


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


class TestLinking:
    def test_an_account_known_by_email_takes_its_guardian_record_and_rights(self, client, make_user):
        demo.load()
        durand = Household.objects.get(code="F-000103")
        durand.paper_only = False
        durand.save()
        jeanne = make_user("jeanne.durand@example.org")
        client.force_login(jeanne)
        response = client.post(reverse("accounts:household_link"), {"code": "f-000103", "birth_date": "2018-01-30"})
        assert response.status_code == 302
        guardian = Guardian.objects.get(household=durand, user=jeanne)
        assert guardian.rights_confirmed and guardian.first_name == "Jeanne"
        assert Guardian.objects.filter(household=durand).count() == 1
        assert client.get(reverse("accounts:household", args=[durand.pk])).status_code == 200
        [event] = events("household_link")
        assert event.household_id == durand.pk and event.actor_id == jeanne.pk and not event.acting_for_family
        assert mail.outbox == []  # the household's only address is the account's own: nobody else to tell

    def test_an_unknown_address_gets_a_pending_link_without_rights(self, client, families, make_user):
        someone = make_user("inconnu@example.org", first_name="Paul", last_name="Inconnu")
        client.force_login(someone)
        client.post(reverse("accounts:household_link"), {"code": "F-000101", "birth_date": "2019-03-14"})
        guardian = Guardian.objects.get(household=families["martin"], user=someone)
        assert not guardian.rights_confirmed and not guardian.child_rights.exists()
        assert client.get(reverse("accounts:household", args=[families["martin"].pk])).status_code == 404
        space = client.get(reverse("accounts:space")).content.decode()
        assert "attend la confirmation" in space and "Léa" not in space
        # The household's own addresses are told of the new link.
        assert {"famille.martin@example.org", "marie.martin@example.org"} <= set(mail.outbox[-1].to)

    def test_wrong_check_is_refused_traced_and_rate_limited(self, client, families, make_user, settings):
        settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "household_link_user": (3, 86400)}
        someone = make_user("curieux@example.org")
        client.force_login(someone)
        for _ in range(3):
            html = client.post(reverse("accounts:household_link"), {"code": "F-000101",
                                                                     "birth_date": "2019-03-15"}).content.decode()
            assert "ne correspondent à aucun foyer" in html
        html = client.post(reverse("accounts:household_link"), {"code": "F-000101",
                                                                 "birth_date": "2019-03-14"}).content.decode()
        assert "Trop d&#x27;essais" in html or "Trop d'essais" in html
        assert not Guardian.objects.filter(user=someone).exists()
        assert len(events("household_link")) == 3 and all(e.household_id is None for e in events("household_link"))

    def test_an_agent_confirms_a_pending_link_in_the_admin(self, client, families, make_user):
        someone = make_user("inconnu@example.org", first_name="Paul", last_name="Inconnu")
        guardian = Guardian.objects.create(household=families["martin"], user=someone, first_name="Paul",
                                           last_name="Inconnu", rights_confirmed=False)
        admin = make_user("admin@example.org", is_staff=True, is_superuser=True)
        login_staff(client, admin)
        url = reverse("accounts_guardians:edit", args=[guardian.pk])
        response = client.post(url, {"household": families["martin"].pk, "user": someone.pk, "first_name": "Paul",
                                     "last_name": "Inconnu", "rights_confirmed": "on"})
        assert response.status_code == 302, response.content.decode()[:3000]
        [event] = events("household_link")
        assert event.acting_for_family and event.after == {"rights_confirmed": True}


class TestDirectEdits:
    def test_phone_change_is_traced_with_before_and_after(self, client, families):
        client.force_login(families["marie"])
        url = reverse("accounts:household_edit", args=[families["martin"].pk])
        form = client.get(url).context["form"]
        data = {k: ("" if v is None else v) for k, v in form.initial.items()}
        data.update({"phone_mobile": "06 11 22 33 44", "household": 999, "paper_only": "on", "is_resident": "",
                     "code": "HACK", "family_quotient": "1"})
        response = client.post(url, data)
        assert response.status_code == 302
        household = Household.objects.get(pk=families["martin"].pk)
        assert household.phone_mobile == "06 11 22 33 44"
        # Posted extra fields change nothing.
        assert household.code == "F-000101" and not household.paper_only and household.is_resident
        assert household.family_quotient == Decimal("820")
        [event] = events("contact_change")
        assert event.before == {"phone_mobile": "06 00 00 01 01"} and event.after == {"phone_mobile": "06 11 22 33 44"}
        assert event.actor_id == families["marie"].pk and not event.acting_for_family

    def test_checked_fields_are_not_in_the_direct_form(self, families):
        assert "address_line1" not in family.direct_household_fields()
        assert "phone_mobile" in family.direct_household_fields()
        family.update_household(families["marie"], families["martin"], {"address_line1": "1 rue Neuve"})
        assert Household.objects.get(pk=families["martin"].pk).address_line1 == "12 rue Jean Jaurès"

    def test_the_checked_list_is_data(self, families, settings):
        settings.PORTAL_CHECKED_HOUSEHOLD_FIELDS = ["family_quotient", "family_quotient_source"]
        assert "address_line1" in family.direct_household_fields()
        family.update_household(families["marie"], families["martin"], {"address_line1": "1 rue Neuve"})
        assert Household.objects.get(pk=families["martin"].pk).address_line1 == "1 rue Neuve"

    def test_the_regulation_gate_is_called_first(self, families, monkeypatch):
        monkeypatch.setattr("home.acceptance.acceptance_refusal", lambda user: "Acceptez d'abord le règlement.")
        with pytest.raises(family.FamilyRefused, match="règlement"):
            family.update_household(families["marie"], families["martin"], {"phone_mobile": "0600000000"})
        with pytest.raises(family.FamilyRefused):
            family.add_authorised_person(families["marie"], families["lea"], {"first_name": "A", "last_name": "B"})
        assert not AuditEvent.objects.exists()

    def test_paper_only_households_get_no_online_change(self, client, families, make_user):
        jeanne = make_user("jeanne.durand@example.org")
        Guardian.objects.filter(household=families["durand"]).update(user=jeanne)
        client.force_login(jeanne)
        url = reverse("accounts:household_edit", args=[families["durand"].pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"phone_home": "0100000000"}).status_code == 403
        assert Household.objects.get(pk=families["durand"].pk).phone_home == "03 27 00 03 01"
        assert client.get(reverse("accounts:household", args=[families["durand"].pk])).status_code == 200

    def test_own_guardian_record_only(self, client, families):
        client.force_login(families["marie"])
        own = Guardian.objects.get(user=families["marie"])
        other = Guardian.objects.get(user__email="julien.martin@example.org")
        assert client.post(reverse("accounts:guardian_edit", args=[other.pk]), {"phone_mobile": "x"}).status_code == 404
        response = client.post(reverse("accounts:guardian_edit", args=[own.pk]), {
            "phone_mobile": "07 00 00 00 01", "email": "marie.martin@example.org", "is_payer": "", "household": 2})
        assert response.status_code == 302
        own.refresh_from_db()
        assert own.phone_mobile == "07 00 00 00 01" and own.is_payer and own.household_id == families["martin"].pk

    def test_child_health_needs_the_book_right(self, client, families):
        GuardianChildRight.objects.filter(guardian__user=families["marie"], child=families["lea"]).update(
            can_book=False, can_pay=False)
        client.force_login(families["marie"])
        url = reverse("accounts:child_edit", args=[families["lea"].pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"diet": "vegetarian"}).status_code == 403
        assert Child.objects.get(pk=families["lea"].pk).diet == "standard"

    def test_child_edit_and_posted_flags(self, client, families):
        client.force_login(families["marie"])
        response = client.post(reverse("accounts:child_edit", args=[families["lea"].pk]), {
            "diet": "vegetarian", "allergies": "Arachide, kiwi", "doctor_name": "Dr Lefebvre",
            "doctor_phone": "03 27 00 09 09", "has_medical_plan": "", "household": 3, "first_name": "X"})
        assert response.status_code == 302
        lea = Child.objects.get(pk=families["lea"].pk)
        assert lea.diet == "vegetarian" and lea.has_medical_plan and lea.first_name == "Léa"
        [event] = events("family_change")
        assert event.child_id == lea.pk and event.after == {"diet": "vegetarian", "allergies": "Arachide, kiwi"}

    def test_separated_parent_cannot_touch_the_other_child(self, client, families):
        client.force_login(families["thomas"])
        for name in ("child_edit", "authorisations", "authorised_person_add"):
            assert client.get(reverse(f"accounts:{name}", args=[families["nathan"].pk])).status_code == 404


class TestAuthorisedPersonsAndAuthorisations:
    def test_add_edit_and_remove_an_authorised_person(self, client, families):
        client.force_login(families["marie"])
        response = client.post(reverse("accounts:authorised_person_add", args=[families["lea"].pk]), {
            "first_name": "Karim", "last_name": "Benali", "relationship": "voisin", "phone": "06 12 12 12 12",
            "valid_from": "2026-09-01", "valid_until": "2027-07-04", "child": families["nathan"].pk})
        assert response.status_code == 302
        person = AuthorisedPerson.objects.get(first_name="Karim")
        assert person.child_id == families["lea"].pk and person.valid_until == datetime.date(2027, 7, 4)
        [added] = events("contact_change")
        assert added.before is None and added.after["last_name"] == "Benali" and added.child_id == families["lea"].pk
        bad = client.post(reverse("accounts:authorised_person_edit", args=[person.pk]), {
            "first_name": "Karim", "last_name": "Benali", "valid_from": "2026-09-01", "valid_until": "2026-08-01"})
        assert bad.status_code == 200 and "La fin de validité doit suivre le début." in bad.content.decode()
        client.post(reverse("accounts:authorised_person_edit", args=[person.pk]), {
            "first_name": "Karim", "last_name": "Benali", "relationship": "voisin", "phone": "06 99 99 99 99",
            "valid_from": "2026-09-01", "valid_until": "2027-07-04"})
        assert AuthorisedPerson.objects.get(pk=person.pk).phone == "06 99 99 99 99"
        assert client.get(reverse("accounts:authorised_person_delete", args=[person.pk])).status_code == 405
        assert client.post(reverse("accounts:authorised_person_delete", args=[person.pk])).status_code == 302
        assert not AuthorisedPerson.objects.filter(pk=person.pk).exists()
        removed = events("contact_change")[-1]
        assert removed.after is None and removed.before["first_name"] == "Karim"

    def test_authorisations_record_who_and_when(self, client, families):
        client.force_login(families["marie"])
        response = client.post(reverse("accounts:authorisations", args=[families["lea"].pk]), {
            "photo": "no", "emergency_care": "yes", "leave_alone": "yes", "transport": "yes"})
        assert response.status_code == 302
        photo = Authorisation.objects.get(child=families["lea"], kind="photo")
        assert not photo.granted and photo.given_by.user == families["marie"]
        changed = events("authorisation")
        assert {e.after["kind"] for e in changed} == {"photo", "leave_alone"}  # only what changed
        photo_event = next(e for e in changed if e.after["kind"] == "photo")
        assert photo_event.before["granted"] is True and photo_event.after["granted"] is False
        assert "Marie Martin" in photo_event.summary


class TestChangeRequests:
    def _request(self, client, families, **values):
        client.force_login(families["marie"])
        url = reverse("accounts:change_request", args=[families["martin"].pk])
        data = {k: ("" if v is None else v) for k, v in client.get(url).context["form"].initial.items()}
        data.update(values)
        return client.post(url, data)

    def test_request_then_accept_keeps_the_old_value_and_tells_the_parent(self, client, families, make_user):
        assert self._request(client, families, address_line1="3 place de la Mairie",
                             comment="Déménagement le 1er").status_code == 302
        change = ChangeRequest.objects.get()
        assert change.changes == {"address_line1": {"before": "12 rue Jean Jaurès", "after": "3 place de la Mairie"}}
        assert Household.objects.get(pk=families["martin"].pk).address_line1 == "12 rue Jean Jaurès"
        assert events("change_request")[0].after == {"address_line1": "3 place de la Mairie"}
        # A second request on the same field waits for the first.
        assert "déjà en cours" in self._request(client, families, address_line1="autre").content.decode()
        agent = make_user("agent@example.org", is_staff=True, is_superuser=True)
        login_staff(client, agent)
        url = reverse("accounts_change_requests:edit", args=[change.pk])
        assert "3 place de la Mairie" in client.get(url).content.decode()
        assert client.post(url, {"decision": "accept", "reason": ""}).status_code == 302
        change.refresh_from_db()
        assert change.status == "accepted" and change.decided_by == agent
        assert change.changes["address_line1"]["before"] == "12 rue Jean Jaurès"
        assert Household.objects.get(pk=families["martin"].pk).address_line1 == "3 place de la Mairie"
        [decision] = events("change_decision")
        assert decision.acting_for_family and decision.before == {"address_line1": "12 rue Jean Jaurès"}
        assert mail.outbox[-1].to == ["marie.martin@example.org"] and "acceptée" in mail.outbox[-1].subject
        # Decided once only.
        client.post(url, {"decision": "refuse", "reason": "non"})
        assert ChangeRequest.objects.get(pk=change.pk).status == "accepted"

    def test_a_refusal_needs_a_reason_and_changes_nothing(self, families, make_user):
        change = family.request_change(families["marie"], families["martin"], {"family_situation": "divorced"})
        agent = make_user("agent@example.org", is_staff=True)
        with pytest.raises(family.FamilyRefused, match="motivé"):
            family.decide_change_request(agent, change, accept=False, reason=" ")
        family.decide_change_request(agent, change, accept=False, reason="Justificatif manquant")
        assert Household.objects.get(pk=families["martin"].pk).family_situation == "married"
        assert "Justificatif manquant" in mail.outbox[-1].body

    def test_a_quotient_without_source_is_refused_at_once(self, families):
        with pytest.raises(family.FamilyRefused):
            family.request_change(families["marie"], families["martin"],
                                  {"family_quotient": Decimal("500"), "family_quotient_source": "none"})
        assert not ChangeRequest.objects.exists()

    def test_nothing_changed_is_not_a_request(self, families):
        with pytest.raises(family.FamilyRefused, match="Aucune modification"):
            family.request_change(families["marie"], families["martin"], {"city": "Aulnoy-lez-Valenciennes"})


class TestHistory:
    def test_the_parent_reads_the_households_history_with_labels(self, client, families):
        family.update_household(families["marie"], families["martin"], {"phone_mobile": "06 11 22 33 44"})
        family.add_authorised_person(families["marie"], families["lea"], {"first_name": "Karim", "last_name": "B",
                                                                          "valid_from": datetime.date(2026, 9, 1)})
        client.force_login(User.objects.get(email="julien.martin@example.org"))
        html = client.get(reverse("accounts:household_history", args=[families["martin"].pk])).content.decode()
        assert "Modification des coordonnées" in html and "Téléphone portable" in html
        assert "06 11 22 33 44" in html and "Karim" in html and "Marie Martin" in html
        assert "(par l’API)" not in html

    def test_an_operation_made_through_the_family_api_says_so(self, client, rf, families):
        from accounts.audit import record

        record(AuditEvent.Action.BOOKING, actor=families["marie"], household=families["martin"],
               summary="Réservation depuis l'application", request=rf.post("/api/v1/bookings"))
        client.force_login(families["marie"])
        html = client.get(reverse("accounts:household_history", args=[families["martin"].pk])).content.decode()
        assert "Réservation depuis l&#x27;application" in html and "(par l’API)" in html

    def test_separated_parents_do_not_see_the_other_child_nor_the_others_records(self, client, families):
        bernard = families["nathan"].household
        sophie = User.objects.get(email="sophie.bernard@example.org")
        family.update_child(sophie, families["nathan"], {"allergies": "gluten"})
        own = Guardian.objects.get(user=sophie)
        from accounts.audit import record

        record(AuditEvent.Action.PAYMENT, actor=sophie, household=bernard, guardian=own, summary="Paiement de Sophie")
        client.force_login(families["thomas"])
        html = client.get(reverse("accounts:household_history", args=[bernard.pk])).content.decode()
        assert "gluten" not in html and "Paiement de Sophie" not in html
        client.force_login(sophie)
        html = client.get(reverse("accounts:household_history", args=[bernard.pk])).content.decode()
        assert "gluten" in html and "Paiement de Sophie" in html

    def test_history_is_paginated_and_its_queries_do_not_grow(self, client, families):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from accounts.audit import record

        def add(count, start=0):
            for index in range(start, start + count):
                record(AuditEvent.Action.BOOKING, actor=families["marie"], household=families["martin"],
                       summary=f"Réservation {index}", child=families["lea"], before={"day": "x"}, after={"day": "y"})

        client.force_login(families["marie"])
        url = reverse("accounts:household_history", args=[families["martin"].pk])
        add(3)
        client.get(url)
        with CaptureQueriesContext(connection) as small:
            client.get(url)
        add(42, start=3)
        with CaptureQueriesContext(connection) as large:
            page = client.get(url, {"page": 3})
        assert len(large) <= len(small) + 1  # + the page count
        html = page.content.decode()
        assert "Réservation 0" in html and "Réservation 44" not in html and "page 3 sur 3" in html


class TestGdpr:
    def test_the_export_holds_every_kind_of_record_and_other_apps_sections(self, client, families):
        from wagtail import hooks

        family.request_change(families["marie"], families["martin"], {"city": "Valenciennes"})
        gdpr.submit_request(families["marie"], families["martin"], "rectification", "Mon prénom est mal écrit")

        def bookings(household, user):
            return ("Réservations", [{"child": "Léa", "day": "2026-11-02"}])

        client.force_login(families["marie"])
        with hooks.register_temporarily("portal_household_export", bookings):
            response = client.get(reverse("accounts:household_export", args=[families["martin"].pk, "json"]))
        assert response.status_code == 200 and "no-store" in response["Cache-Control"]
        assert response["Content-Disposition"] == 'attachment; filename="donnees-foyer-F-000101.json"'
        data = json.loads(response.content)
        sections = {s["title"]: s["records"] for s in data["sections"]}
        for title in ("Mon compte", "Foyer", "Responsables légaux", "Enfants", "Mes droits sur les enfants",
                      "Personnes autorisées", "Autorisations", "Demandes de modification", "Demandes RGPD",
                      "Historique du foyer", "Réservations"):
            assert sections[title], title
        assert {c["first_name"] for c in sections["Enfants"]} == {"Léa", "Hugo"}
        other = next(g for g in sections["Responsables légaux"] if not g["is_me"])
        assert "phone_mobile" not in other  # another guardian's contact details are theirs
        html = client.get(reverse("accounts:household_export", args=[families["martin"].pk, "html"]))
        assert "Téléphone portable" in html.content.decode() and "Léa" in html.content.decode()
        assert [e.after["format"] for e in events("data_export")] == ["json", "html"]

    def test_separated_parent_exports_only_their_children(self, client, families):
        client.force_login(families["thomas"])
        data = json.loads(client.get(reverse("accounts:household_export", args=[families["nathan"].household_id,
                                                                                "json"])).content)
        children = next(s for s in data["sections"] if s["title"] == "Enfants")["records"]
        assert [c["first_name"] for c in children] == ["Chloé"]
        assert "Nathan" not in json.dumps(data)

    def test_the_export_is_rate_limited(self, client, families, settings):
        settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "data_export": (1, 3600)}
        client.force_login(families["marie"])
        url = reverse("accounts:household_export", args=[families["martin"].pk, "json"])
        assert client.get(url).status_code == 200
        assert client.get(url).status_code == 429

    def test_requests_are_due_in_one_month_listed_for_staff_and_answered(self, client, families, make_user):
        client.force_login(families["marie"])
        response = client.post(reverse("accounts:household_data", args=[families["martin"].pk]),
                               {"kind": "opposition", "message": "Nous préférons le papier.", "status": "answered",
                                "household": families["durand"].pk})
        assert response.status_code == 302
        request_ = GdprRequest.objects.get()
        assert request_.status == "open" and request_.household_id == families["martin"].pk
        assert request_.due_on == family_one_month(request_.created_at)
        agent = make_user("agent@example.org", is_staff=True, is_superuser=True)
        login_staff(client, agent)
        listing = client.get(reverse("accounts_gdpr_requests:index"), {"status": "open"}).content.decode()
        assert "MARTIN" in listing
        client.post(reverse("accounts_gdpr_requests:edit", args=[request_.pk]), {"answer": "Foyer passé en papier."})
        request_.refresh_from_db()
        assert request_.status == "answered" and request_.answered_by == agent
        assert mail.outbox[-1].to == ["marie.martin@example.org"]
        assert [e.acting_for_family for e in events("gdpr_request")] == [False, True]

    def test_one_month_due_date_at_month_ends(self):
        from accounts.models import one_month_after

        assert one_month_after(datetime.date(2026, 1, 31)) == datetime.date(2026, 2, 28)
        assert one_month_after(datetime.date(2026, 12, 15)) == datetime.date(2027, 1, 15)

    def test_closing_an_account_keeps_the_household_and_erases_the_login(self, client, families, password):
        marie = families["marie"]
        marie.set_password(password)
        marie.save()
        client.force_login(marie)
        assert client.post(reverse("auth:close_account"), {"current_password": "faux-mot-de-passe",
                                                            "confirm": "on"}).status_code == 200
        response = client.post(reverse("auth:close_account"), {"current_password": password, "confirm": "on"})
        assert response.status_code == 200 and "Compte fermé" in response.content.decode()
        marie.refresh_from_db()
        assert marie.email.endswith("@comptes-fermes.invalid") and not marie.is_active and marie.closed_at
        assert not marie.has_usable_password() and marie.first_name == ""
        guardian = Guardian.objects.get(household=families["martin"], first_name="Marie")
        assert guardian.user is None and guardian.is_payer  # the household file stays
        assert Household.objects.filter(pk=families["martin"].pk).exists()
        assert client.get(reverse("accounts:space")).status_code == 302
        assert client.post(reverse("accounts:login"), {"username": "marie.martin@example.org",
                                                       "password": password}).status_code == 200
        [closed] = events("account_closed")
        assert closed.before == {"email": "marie.martin@example.org"} and closed.household_id == families["martin"].pk
        assert mail.outbox[-1].to == ["marie.martin@example.org"]


def family_one_month(created_at):
    from django.utils import timezone

    from accounts.models import one_month_after

    return one_month_after(timezone.localtime(created_at).date())


class TestPaperModeAndAgents:
    def test_switching_to_paper_and_back_is_traced(self, families, make_user):
        agent = make_user("agent@example.org", is_staff=True)
        family.set_paper_mode(agent, families["martin"], True, reason="Opposition du 12/11")
        assert Household.objects.get(pk=families["martin"].pk).paper_only
        with pytest.raises(family.FamilyRefused, match="papier"):
            family.update_household(families["marie"], families["martin"], {"phone_mobile": "0600000000"})
        family.set_paper_mode(agent, families["martin"], False)
        paper, back = events("paper_mode")
        assert paper.after == {"paper_only": True, "reason": "Opposition du 12/11"} and paper.acting_for_family
        assert back.after["paper_only"] is False
        assert family.set_paper_mode(agent, families["martin"], False) is None

    def test_the_admin_edit_of_paper_only_is_a_paper_mode_event(self, client, families, make_user):
        agent = make_user("agent@example.org", is_staff=True, is_superuser=True)
        login_staff(client, agent)
        household = families["martin"]
        url = reverse("accounts_households:edit", args=[household.pk])
        form = client.get(url).context["form"]
        data = {k: v for k, v in form.initial.items() if v not in (None, False)}
        data["paper_only"] = "on"
        assert client.post(url, data).status_code == 302
        [event] = events("paper_mode")
        assert event.actor_id == agent.pk and event.acting_for_family and event.after == {"paper_only": True}

    def test_an_agent_records_a_paper_consent_for_a_family(self, families, make_user):
        agent = make_user("agent@example.org", is_staff=True)
        julien = Guardian.objects.get(user__email="julien.martin@example.org")
        [event] = family.set_authorisations(agent, families["lea"], {"photo": False}, given_by=julien)
        assert event.actor_id == agent.pk and event.acting_for_family and event.after["given_by"] == "Julien Martin"


class TestPreferences:
    def test_parents_choose_their_optional_emails(self, client, families):
        marie = families["marie"]
        assert wants_email(marie, "invoice_reminder")
        client.force_login(marie)
        response = client.post(reverse("accounts:preferences"), {"booking_confirmation": "on",
                                                                 "invoice_published": "on"})
        assert response.status_code == 302
        assert not wants_email(marie, "invoice_reminder") and wants_email(marie, "booking_confirmation")
        [event] = events("contact_change")
        assert event.after == {"booking_reminder": False, "document_expiry": False, "invoice_reminder": False}
        with pytest.raises(ValueError):
            wants_email(marie, "newsletter")

    def test_closed_or_inactive_accounts_get_no_optional_email(self, make_user):
        user = make_user("x@example.org", is_active=False)
        assert not wants_email(user, "invoice_reminder")
