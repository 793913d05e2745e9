"""Registration, e-mail verification, password reset and change, e-mail change, the
brute-force limits of the login."""

import datetime
import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.utils import timezone

from accounts import auth_flows, throttle
from accounts.models import AuditEvent, LoginThrottle, User

pytestmark = pytest.mark.django_db

LOGIN = "/fr/compte/connexion/"


def link_in(message):
    return re.search(r"http://[^\s]+", message.body).group(0).replace("http://127.0.0.1:8000", "")


def register(client, email="nouveau@example.org", password="une-phrase-de-passe-solide", **extra):
    data = {"first_name": "Nora", "last_name": "Nouvelle", "email": email, "password1": password,
            "password2": password, "preferred_language": "fr", **extra}
    return client.post("/fr/compte/inscription/", data)


class TestRegistration:
    def test_register_verify_then_log_in(self, client):
        response = register(client)
        assert response.status_code == 302 and response["Location"].endswith("/inscription/envoyee/")
        user = User.objects.get(email="nouveau@example.org")
        assert not user.is_active and user.email_verified_at is None and user.check_password(
            "une-phrase-de-passe-solide")
        # Not usable before the link is followed.
        assert client.post(LOGIN, {"username": user.email, "password": "une-phrase-de-passe-solide"}).status_code == 200
        [message] = mail.outbox
        assert message.to == ["nouveau@example.org"] and "48 heures" in message.body
        response = client.get(link_in(message))
        assert response.status_code == 200 and "Adresse vérifiée" in response.content.decode()
        user.refresh_from_db()
        assert user.is_active and user.email_verified_at is not None
        assert client.post(LOGIN, {"username": user.email, "password": "une-phrase-de-passe-solide"}).status_code == 302
        actions = list(AuditEvent.objects.filter(actor_id=user.pk).order_by("id").values_list("action", flat=True))
        assert actions[:3] == ["registration", "email_verified", "login"]
        assert "une-phrase-de-passe-solide" not in str(list(AuditEvent.objects.values()))

    def test_verification_link_expires_after_48_hours(self, client):
        register(client)
        user = User.objects.get(email="nouveau@example.org")
        issued = timezone.now() - datetime.timedelta(hours=48, minutes=1)
        token = auth_flows.verification_token(user, now=issued)
        response = client.get(f"/fr/compte/verification/{token}/")
        assert response.status_code == 400
        user.refresh_from_db()
        assert not user.is_active
        # Still valid at 47 hours.
        token = auth_flows.verification_token(user, now=timezone.now() - datetime.timedelta(hours=47))
        assert client.get(f"/fr/compte/verification/{token}/").status_code == 200

    def test_forged_link_is_refused(self, client):
        register(client)
        assert client.get("/fr/compte/verification/abc:def/").status_code == 400

    def test_an_existing_address_gets_the_same_answer_and_its_owner_an_email(self, client, make_user):
        make_user("parent@example.org")
        response_known = register(client, email="Parent@example.org")
        response_new = register(client, email="autre@example.org")
        assert response_known.status_code == response_new.status_code == 302
        assert response_known["Location"] == response_new["Location"]
        assert User.objects.filter(email="parent@example.org").count() == 1
        subjects = {m.to[0]: m.subject for m in mail.outbox}
        assert "existe déjà" in subjects["parent@example.org"]
        assert "Activez" in subjects["autre@example.org"]

    def test_password_rules_and_mismatch_are_french_errors(self, client):
        html = register(client, password="court").content.decode()
        assert "Le formulaire contient des erreurs" in html
        assert 'aria-invalid="true"' in html and 'aria-describedby="id_password1-aide id_password1-erreurs"' in html
        html = register(client, password="vive-aulnoy-les-familles").content.decode()
        assert "nom de la commune" in html
        response = client.post("/fr/compte/inscription/", {
            "first_name": "A", "last_name": "B", "email": "x@example.org", "password1": "une-phrase-de-passe-solide",
            "password2": "une-autre-phrase-de-passe", "preferred_language": "fr"})
        assert "ne correspondent pas" in response.content.decode()
        assert not User.objects.exists()

    def test_posted_staff_flags_change_nothing(self, client):
        register(client, is_staff="on", is_superuser="on", is_active="on")
        user = User.objects.get(email="nouveau@example.org")
        assert not user.is_staff and not user.is_superuser and not user.is_active

    def test_registration_is_rate_limited_per_address(self, client, settings):
        settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "registration_ip": (2, 3600)}
        assert register(client, email="a@example.org").status_code == 302
        assert register(client, email="b@example.org").status_code == 302
        response = register(client, email="c@example.org")
        assert response.status_code == 200 and "Trop de demandes" in response.content.decode()
        assert not User.objects.filter(email="c@example.org").exists()

    def test_english_pages(self, client):
        html = client.get("/en/compte/inscription/").content.decode()
        assert "Create my account" in html


class TestPasswordReset:
    def test_same_answer_and_same_work_for_known_and_unknown_addresses(self, client, make_user, monkeypatch):
        make_user("parent@example.org")
        calls = []

        class FakeTask:
            def enqueue(self, *args):
                calls.append(args)

        monkeypatch.setattr(auth_flows, "send_password_reset", FakeTask())
        known = client.post("/fr/compte/mot-de-passe/oublie/", {"email": "parent@example.org"})
        unknown = client.post("/fr/compte/mot-de-passe/oublie/", {"email": "inconnu@example.org"})
        assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
        # The request does the same thing for both: one task with the address; the lookup is in the task.
        assert calls == [("parent@example.org", "fr"), ("inconnu@example.org", "fr")]
        page_known = client.get(known["Location"]).content.decode()
        assert "Si un compte existe pour cette adresse" in page_known

    def test_the_task_sends_only_to_known_accounts(self, make_user):
        make_user("parent@example.org")
        assert auth_flows.send_password_reset.call("inconnu@example.org") is False
        assert mail.outbox == []
        assert auth_flows.send_password_reset.call("parent@example.org") is True
        assert mail.outbox[0].to == ["parent@example.org"] and "60 minutes" in mail.outbox[0].body

    def test_reset_link_works_once(self, client, make_user):
        user = make_user("parent@example.org")
        client.post("/fr/compte/mot-de-passe/oublie/", {"email": "parent@example.org"})
        link = link_in(mail.outbox[0])
        response = client.get(link)
        assert response.status_code == 302  # Django moves the token into the session
        form_url = response["Location"]
        response = client.post(form_url, {"new_password1": "nouvelle-phrase-secrete", "new_password2":
                                          "nouvelle-phrase-secrete"})
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.check_password("nouvelle-phrase-secrete")
        assert AuditEvent.objects.filter(action="password_reset", actor_id=user.pk).count() == 1
        assert "réinitialisé" in mail.outbox[-1].body
        # A second use of the same link is refused.
        client.cookies.clear()
        response = client.get(link, follow=True)
        assert "déjà servi ou a expiré" in response.content.decode()

    def test_reset_link_expires_after_one_hour(self, client, make_user, monkeypatch):
        user = make_user("parent@example.org")
        token = default_token_generator.make_token(user)
        later = datetime.datetime.now() + datetime.timedelta(hours=1, minutes=1)
        monkeypatch.setattr(default_token_generator, "_now", lambda: later)
        assert not default_token_generator.check_token(user, token)
        monkeypatch.setattr(default_token_generator, "_now", lambda: later - datetime.timedelta(minutes=2))
        assert default_token_generator.check_token(user, token)

    def test_reset_requests_are_rate_limited_per_address(self, client, make_user):
        make_user("parent@example.org")
        for _ in range(3):
            assert client.post("/fr/compte/mot-de-passe/oublie/", {"email": "parent@example.org"}).status_code == 302
        response = client.post("/fr/compte/mot-de-passe/oublie/", {"email": "parent@example.org"})
        assert response.status_code == 200 and "Trop de demandes" in response.content.decode()
        assert len(mail.outbox) == 3

    def test_a_reset_clears_the_login_lock(self, client, make_user):
        user = make_user("parent@example.org")
        throttle.register_failure([throttle.account_key(user.email)] * 1)
        for _ in range(6):
            throttle.register_failure([throttle.account_key(user.email)])
        assert throttle.blocked_until([throttle.account_key(user.email)])
        auth_flows.password_was_reset(user)
        assert throttle.blocked_until([throttle.account_key(user.email)]) is None


class TestChangesWhileLoggedIn:
    def test_password_change_needs_the_current_one_and_ends_other_sessions(self, client, make_user, password,
                                                                           django_user_model):
        from django.test import Client

        user = make_user("parent@example.org")
        other = Client()
        assert other.post(LOGIN, {"username": user.email, "password": password}).status_code == 302
        assert other.get("/fr/compte/").status_code == 200
        client.post(LOGIN, {"username": user.email, "password": password})
        wrong = client.post("/fr/compte/mot-de-passe/changer/", {"old_password": "pas-le-bon-mot-de-passe",
                            "new_password1": "nouvelle-phrase-secrete", "new_password2": "nouvelle-phrase-secrete"})
        assert wrong.status_code == 200
        user.refresh_from_db()
        assert user.check_password(password)
        response = client.post("/fr/compte/mot-de-passe/changer/", {"old_password": password,
                               "new_password1": "nouvelle-phrase-secrete", "new_password2": "nouvelle-phrase-secrete"})
        assert response.status_code == 302
        assert client.get("/fr/compte/").status_code == 200  # this session stays
        assert other.get("/fr/compte/").status_code == 302  # the other one is over
        assert mail.outbox[-1].to == ["parent@example.org"] and "changé" in mail.outbox[-1].subject
        assert AuditEvent.objects.filter(action="password_change", actor_id=user.pk).exists()

    def test_email_change_needs_the_password_confirms_by_link_and_tells_the_old_address(self, client, make_user,
                                                                                        password):
        user = make_user("parent@example.org")
        client.post(LOGIN, {"username": user.email, "password": password})
        wrong = client.post("/fr/compte/adresse/changer/", {"new_email": "neuve@example.org",
                                                             "current_password": "mauvais-mot-de-passe"})
        assert "Le mot de passe actuel est incorrect." in wrong.content.decode()
        assert mail.outbox == []
        client.post("/fr/compte/adresse/changer/", {"new_email": "Neuve@example.org", "current_password": password})
        by_address = {m.to[0]: m for m in mail.outbox}
        assert set(by_address) == {"neuve@example.org", "parent@example.org"}
        assert "neuve@example.org" in by_address["parent@example.org"].body
        user.refresh_from_db()
        assert user.email == "parent@example.org"  # not before the link is followed
        link = link_in(by_address["neuve@example.org"])
        assert client.get(link).status_code == 200
        user.refresh_from_db()
        assert user.email == "neuve@example.org"
        assert mail.outbox[-1].to == ["parent@example.org"] and "désormais" in mail.outbox[-1].body
        assert client.get(link).status_code == 400  # used once
        event = AuditEvent.objects.filter(action="email_change").order_by("-id").first()
        assert event.before == {"email": "parent@example.org"} and event.after == {"email": "neuve@example.org"}

    def test_email_change_to_a_taken_address_fails_at_confirmation(self, client, make_user, password):
        user = make_user("parent@example.org")
        token = auth_flows.email_change_token(user, "pris@example.org")
        make_user("pris@example.org")
        assert client.get(f"/fr/compte/adresse/confirmer/{token}/").status_code == 400
        user.refresh_from_db()
        assert user.email == "parent@example.org"


class TestBruteForce:
    def _fail(self, client, email="parent@example.org", **extra):
        return client.post(LOGIN, {"username": email, "password": "mauvais-mot-de-passe"}, **extra)

    def test_five_failures_impose_more_than_a_minute_of_delay(self, client, make_user, password):
        make_user("parent@example.org")
        for _ in range(5):
            assert "incorrect" in self._fail(client).content.decode()
        # The right password is refused during the delay, without being checked.
        response = client.post(LOGIN, {"username": "parent@example.org", "password": password})
        assert response.status_code == 200 and "Trop de tentatives" in response.content.decode()
        row = LoginThrottle.objects.get(key="account:parent@example.org")
        assert row.blocked_until - row.last_failure_at > datetime.timedelta(minutes=1)
        assert AuditEvent.objects.filter(action="lockout").count() == 1
        # Once the delay is over, the right password works and clears the counter.
        LoginThrottle.objects.filter(pk=row.pk).update(blocked_until=timezone.now() - datetime.timedelta(seconds=1))
        assert client.post(LOGIN, {"username": "parent@example.org", "password": password}).status_code == 302
        assert LoginThrottle.objects.get(pk=row.pk).failures == 0

    def test_delays_grow_and_25_failures_close_the_day(self):
        assert throttle.delay_after(4) == datetime.timedelta(0)
        assert throttle.delay_after(5) == datetime.timedelta(minutes=2)
        assert throttle.delay_after(6) == datetime.timedelta(minutes=4)
        assert throttle.delay_after(30) == datetime.timedelta(hours=1)
        key = "account:cible@example.org"
        start = timezone.now()
        for index in range(25):
            throttle.register_failure([key], now=start + datetime.timedelta(minutes=50 * index))
        row = LoginThrottle.objects.get(key=key)
        assert row.day_failures == 25
        assert row.blocked_until == row.day_started_at + datetime.timedelta(hours=24)
        # Not forever: the next day starts afresh.
        assert throttle.blocked_until([key], now=row.day_started_at + datetime.timedelta(hours=24, seconds=1)) is None

    def test_unknown_addresses_are_throttled_the_same_way(self, client):
        for _ in range(5):
            self._fail(client, email="personne@example.org")
        assert "Trop de tentatives" in self._fail(client, email="personne@example.org").content.decode()

    def test_the_owners_trusted_browser_is_not_locked_out_by_an_attacker(self, client, make_user, password):
        from django.test import Client

        make_user("parent@example.org")
        owner = Client()
        assert owner.post(LOGIN, {"username": "parent@example.org", "password": password}).status_code == 302
        assert throttle.DEVICE_COOKIE in owner.cookies
        owner.post("/fr/compte/deconnexion/")
        attacker = Client()
        for _ in range(10):
            self._fail(attacker)
        assert "Trop de tentatives" in self._fail(attacker).content.decode()
        assert owner.post(LOGIN, {"username": "parent@example.org", "password": password}).status_code == 302

    def test_a_device_cookie_of_another_account_does_not_count(self, rf):
        request = rf.get("/")
        request.COOKIES[throttle.DEVICE_COOKIE] = throttle.device_cookie_value("autre@example.org")
        assert throttle.trusted_device_key(request, "parent@example.org") is None
        request.COOKIES[throttle.DEVICE_COOKIE] = "forged"
        assert throttle.keys_for(request, "parent@example.org", "10.0.0.1") == [
            "account:parent@example.org", "ip:10.0.0.1"]

    def test_one_address_trying_many_accounts_is_stopped(self, client):
        key = throttle.ip_key("127.0.0.1")
        LoginThrottle.objects.create(key=key, failures=99, day_failures=99, day_started_at=timezone.now())
        self._fail(client, email="x1@example.org")
        assert "Trop de tentatives" in self._fail(client, email="x2@example.org").content.decode()
