"""The regulation gate (Article III): acceptance records, re-acceptance after a new
version, the e-mails and the login notice, the decorator, the staff report."""

import pytest
from django.core import mail
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.demo import DEMO_PASSWORD
from accounts.models import AuditEvent, User
from home.acceptance import accept_current, acceptance_refusal, current_version, regulation_accepted_required
from home.models import RegulationAcceptance
from tests.fixtures_accounts import login_staff

pytestmark = pytest.mark.django_db


def test_demo_parents_have_accepted_version_1(demo):
    parents = User.objects.filter(is_staff=False, guardianships__isnull=False).distinct()
    assert parents.count() == 4
    for parent in parents:
        assert acceptance_refusal(parent) is None


def test_a_parent_who_has_not_accepted_is_refused_with_a_message(demo, make_user):
    parent = make_user("nouveau@example.org")
    refusal = acceptance_refusal(parent)
    assert refusal and "accepter le règlement" in refusal and "version 1" in refusal
    acceptance = accept_current(parent)
    assert acceptance_refusal(parent) is None
    assert accept_current(parent).pk == acceptance.pk  # idempotent
    assert RegulationAcceptance.objects.filter(user_id=parent.pk).count() == 1


def test_anonymous_is_refused_and_staff_are_exempt(demo, legal_user):
    from django.contrib.auth.models import AnonymousUser

    assert acceptance_refusal(AnonymousUser())
    assert acceptance_refusal(User.objects.get(email="agent@example.org")) is None


def test_no_regulation_in_force_means_no_refusal(regulation, make_user):
    regulation.unpublish()
    assert current_version() is None
    assert acceptance_refusal(make_user("x@example.org")) is None
    assert accept_current(make_user("y@example.org")) is None


def test_the_acceptance_records_version_hash_time_ip_and_an_audit_event(client, demo, make_user, password):
    parent = make_user("parent2@example.org")
    client.login(email=parent.email, password=password)
    client.post("/fr/compte/connexion/", {"username": parent.email, "password": password})
    response = client.get("/fr/portail/reglement/accepter/?next=/fr/compte/")
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0") or "no-store" in response[
        "Cache-Control"]
    html = response.content.decode()
    assert "Article 3 — Acceptation du règlement" in html and 'name="accept"' in html
    response = client.post("/fr/portail/reglement/accepter/", {"version": "1", "accept": "on", "next": "/fr/compte/"},
                           REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Navigateur de test")
    assert response.status_code == 302 and response["Location"] == "/fr/compte/"
    acceptance = RegulationAcceptance.objects.get(user_id=parent.pk)
    version = current_version()
    assert acceptance.version == version and acceptance.text_hash == version.text_hash
    assert acceptance.ip_address == "203.0.113.9" and acceptance.user_agent == "Navigateur de test"
    assert acceptance.user_label == parent.email and acceptance.accepted_at is not None
    event = AuditEvent.objects.get(action=AuditEvent.Action.REGULATION_ACCEPTANCE, actor=parent)
    assert event.after == {"version": 1, "text_hash": version.text_hash} and event.ip_address == "203.0.113.9"


def test_accepting_needs_the_box_ticked(client, demo, make_user, password):
    parent = make_user("parent3@example.org")
    client.post("/fr/compte/connexion/", {"username": parent.email, "password": password})
    response = client.post("/fr/portail/reglement/accepter/", {"version": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cochez la case pour accepter le règlement." in html and 'aria-describedby="id_accept_error"' in html
    assert not RegulationAcceptance.objects.filter(user_id=parent.pk).exists()


def test_an_offsite_next_is_ignored(client, demo, make_user, password):
    parent = make_user("parent4@example.org")
    client.post("/fr/compte/connexion/", {"username": parent.email, "password": password})
    response = client.post("/fr/portail/reglement/accepter/", {"version": "1", "accept": "on",
                                                              "next": "https://evil.example.com/"})
    assert response["Location"] == "/fr/compte/"


def test_a_new_version_asks_parents_again_and_tells_them_by_email(client, demo_parent, new_regulation_version):
    mail.outbox.clear()
    new_regulation_version(summary="Nouvel article 9 sur les réservations en ligne.")
    refusal = acceptance_refusal(demo_parent)
    assert refusal and "version 2" in refusal
    parents = User.objects.filter(is_active=True, is_staff=False)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(parents.values_list("email", flat=True))
    message = next(m for m in mail.outbox if m.to == [demo_parent.email])
    assert "version 2" in message.subject
    assert "Nouvel article 9" in message.body and "/fr/portail/reglement/accepter/" in message.body
    assert not any(m.to[0].endswith("juridique@example.org") for m in mail.outbox)


def test_the_email_is_in_the_parents_language(demo_parent, new_regulation_version):
    demo_parent.preferred_language = "en"
    demo_parent.save()
    mail.outbox.clear()
    new_regulation_version()
    message = next(m for m in mail.outbox if m.to == [demo_parent.email])
    assert "/en/portail/reglement/accepter/" in message.body
    assert "terms of use" in message.subject.lower()


def test_the_announcement_sends_one_task_per_parent_without_loading_everyone(demo, new_regulation_version,
                                                                            monkeypatch):
    from home import tasks

    calls = []
    monkeypatch.setattr("portal.notifications.notify", lambda to, *a, **k: calls.append(to))
    monkeypatch.setattr(tasks, "CHUNK_SIZE", 2)
    new_regulation_version()
    assert len(calls) == User.objects.filter(is_active=True, is_staff=False).count() == 4


def test_after_a_new_version_the_screen_shows_what_changed_then_the_parent_goes_on(
        client, demo_parent, new_regulation_version):
    new_regulation_version(summary="Ajout de l'article 9.")
    response = client.post("/fr/compte/connexion/", {"username": demo_parent.email, "password": DEMO_PASSWORD})
    notice = client.get(response["Location"]).content.decode()
    assert "Le règlement d&#x27;utilisation a changé (version 2" in notice or "Le règlement d'utilisation a changé" in notice
    assert "Lire et accepter le règlement" in notice
    html = client.get("/fr/portail/reglement/accepter/?next=/fr/compte/").content.decode()
    assert "Ce qui a changé depuis la version 1, que vous aviez acceptée" in html
    assert "<ins>" in html and "Article 9 — Réservations en ligne" in html and "Ajout de l&#x27;article 9." in html
    # A version 1 form posted after version 2 went live is refused.
    response = client.post("/fr/portail/reglement/accepter/", {"version": "1", "accept": "on"})
    assert response.status_code == 302 and acceptance_refusal(demo_parent)
    response = client.post("/fr/portail/reglement/accepter/", {"version": "2", "accept": "on", "next": "/fr/compte/"})
    assert response["Location"] == "/fr/compte/"
    assert acceptance_refusal(demo_parent) is None
    assert RegulationAcceptance.objects.filter(user_id=demo_parent.pk).count() == 2  # version 1 kept
    assert "Lire et accepter le règlement" not in client.get("/fr/compte/").content.decode()


@regulation_accepted_required
def gated_view(request):
    return HttpResponse("fait")


def _request(method, user, path="/fr/reservations/essai/?jour=3"):
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = getattr(RequestFactory(), method)(path)
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_the_decorator_sends_a_get_to_the_acceptance_screen_and_refuses_a_post(demo, make_user):
    parent = make_user("p5@example.org")
    response = gated_view(_request("get", parent))
    assert response.status_code == 302
    assert response["Location"] == "/fr/portail/reglement/accepter/?next=%2Ffr%2Freservations%2Fessai%2F%3Fjour%3D3"
    response = gated_view(_request("post", parent))
    assert response.status_code == 403 and "accepter le règlement" in response.content.decode()
    accept_current(parent)
    assert gated_view(_request("post", parent)).content == b"fait"
    assert gated_view(_request("get", User.objects.get(email="agent@example.org"))).content == b"fait"


def test_the_decorator_sends_anonymous_users_to_the_login_page(demo):
    from django.contrib.auth.models import AnonymousUser

    response = gated_view(_request("get", AnonymousUser()))
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]


class TestReport:
    def test_legal_staff_and_agents_see_who_accepted_which_version(self, client, demo, legal_user):
        login_staff(client, legal_user)
        response = client.get("/admin/reports/acceptations-reglement/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "marie.martin@example.org" in html and "thomas.petit@example.org" in html
        login_staff(client, User.objects.get(email="agent@example.org"))
        assert client.get("/admin/reports/acceptations-reglement/").status_code == 200

    def test_communication_and_cashiers_do_not(self, client, demo, comms_user):
        for user in (comms_user, User.objects.get(email="regisseur@example.org")):
            login_staff(client, user)
            assert client.get("/admin/reports/acceptations-reglement/").status_code in (302, 403)

    def test_filter_by_version_and_export_csv_and_xlsx(self, client, demo_parent, legal_user, new_regulation_version):
        new_regulation_version()
        accept_current(demo_parent)
        login_staff(client, legal_user)
        version2 = current_version()
        response = client.get(f"/admin/reports/acceptations-reglement/?version={version2.pk}&export=csv")
        assert response.status_code == 200
        rows = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
        lines = [line for line in rows.splitlines() if line.strip()]
        assert lines[0].startswith("Adresse e-mail,Version")
        assert len(lines) == 2 and demo_parent.email in lines[1] and version2.text_hash in lines[1]
        response = client.get("/admin/reports/acceptations-reglement/?export=xlsx")
        assert response.status_code == 200
        assert "spreadsheetml" in response["Content-Type"]
        assert AuditEvent.objects.filter(action=AuditEvent.Action.STAFF_EXPORT, actor=legal_user).count() == 2


def test_the_space_offers_the_acceptance_while_a_version_is_pending(client, demo_parent, new_regulation_version):
    client.force_login(demo_parent)
    assert "/fr/portail/reglement/accepter/" not in client.get("/fr/compte/").content.decode()
    new_regulation_version()
    html = client.get("/fr/compte/").content.decode()
    assert 'href="/fr/portail/reglement/accepter/"' in html  # the space link
    assert "Nouveau règlement d&#x27;utilisation : version 2" in html or "Nouveau règlement d'utilisation : version 2" in html


def test_the_household_export_has_the_readers_acceptances_only(demo, demo_parent):
    """Marie's export holds her acceptances; Julien's (his address, his IP) are his own."""
    from accounts.models import Household
    from home.wagtail_hooks import household_export

    assert RegulationAcceptance.objects.filter(user_label="julien.martin@example.org").exists()
    title, rows = household_export(Household.objects.get(code="F-000101"), demo_parent)
    acceptances = [row for row in rows if row["type"] == "acceptation du règlement"]
    assert title and [(row["compte"], row["version"]) for row in acceptances] == [("marie.martin@example.org", 1)]
    assert acceptances[0]["empreinte"] == RegulationAcceptance.objects.get(user=demo_parent).text_hash


def test_the_periodic_job_publishes_scheduled_revisions(regulation, legal_user):
    import datetime
    from unittest import mock

    from django.utils import timezone

    from home.wagtail_hooks import periodic_jobs

    (job,) = periodic_jobs()
    regulation.body += "<p>Planifié.</p>"
    regulation.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    regulation.save_revision(user=legal_user).publish(user=legal_user)
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + datetime.timedelta(hours=2)):
        job["run"](timezone.now())
    assert current_version().number == 2


def test_the_gate_costs_one_query(demo_parent, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert acceptance_refusal(demo_parent) is None


def test_a_scheduled_version_goes_live_tells_parents_and_asks_them_again(client, demo_parent, legal_user,
                                                                          django_capture_on_commit_callbacks):
    """Legal staff schedule version 2 (a go-live date); nothing changes for parents until
    the periodic job runs ``publish_scheduled`` after that date: then the version is made,
    every parent gets the e-mail (through the task queue), the next login shows the
    notice, and the gate refuses until the parent accepts again."""
    import datetime
    from unittest import mock

    from django.utils import timezone

    from home.models import RegulationPage
    from home.wagtail_hooks import periodic_jobs

    regulation = RegulationPage.objects.get(locale__language_code="fr")
    regulation.body += "<p>Article planifié pour la rentrée.</p>"
    regulation.go_live_at = timezone.now() + datetime.timedelta(days=3)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        regulation.save_revision(user=legal_user).publish(user=legal_user)
        (job,) = periodic_jobs()
        job["run"](timezone.now())  # too early
    assert current_version().number == 1 and acceptance_refusal(demo_parent) is None and not mail.outbox

    later = regulation.go_live_at + datetime.timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True), mock.patch("django.utils.timezone.now", return_value=later):
        job["run"](later)
    assert current_version().number == 2 and current_version().published_at == later
    assert "version 2" in acceptance_refusal(demo_parent)
    parents = User.objects.filter(is_active=True, is_staff=False)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(parents.values_list("email", flat=True))
    assert all("version 2" in m.subject for m in mail.outbox)

    response = client.post("/fr/compte/connexion/", {"username": demo_parent.email, "password": DEMO_PASSWORD},
                           follow=True)
    assert "utilisation a changé (version 2" in response.content.decode().replace("&#x27;", "'")
    response = client.post("/fr/portail/reglement/accepter/", {"accept": "on", "version": "2"})
    assert response.status_code == 302
    assert acceptance_refusal(demo_parent) is None
    assert RegulationAcceptance.objects.filter(user=demo_parent, version__number=2).count() == 1
