"""The foundation: configuration, users, password rules, sessions, health, logging, security headers."""

import datetime
import logging
import time

import pytest
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError

User = get_user_model()


def test_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "fr"
    assert [code for code, _ in settings.LANGUAGES] == ["fr", "en"]
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.USE_TZ is True
    assert settings.WAGTAIL_I18N_ENABLED is True


def test_argon2_is_the_first_hasher(db, make_user):
    from portal.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    user = make_user()
    assert user.password.startswith("argon2$argon2id$")


class TestUserModel:
    def test_email_is_the_identifier_and_there_is_no_username(self):
        assert User.USERNAME_FIELD == "email"
        assert "username" not in {f.name for f in User._meta.get_fields()}

    def test_email_is_stored_lower_case_and_login_ignores_case(self, db, password):
        user = User.objects.create_user(" Marie.Dupont@Example.ORG ", password)
        assert user.email == "marie.dupont@example.org"
        assert authenticate(email="MARIE.DUPONT@example.org", password=password) == user
        assert authenticate(email="marie.dupont@example.org", password="wrong-password-here") is None

    def test_email_is_unique_whatever_the_case(self, db, password):
        User.objects.create_user("parent@example.org", password)
        with pytest.raises(IntegrityError):
            User.objects.create_user("PARENT@example.org", password)

    def test_database_refuses_a_case_variant_written_behind_the_model(self, db, password):
        User.objects.create_user("parent@example.org", password)
        other = User.objects.create_user("other@example.org", password)
        with pytest.raises(IntegrityError):
            User.objects.filter(pk=other.pk).update(email="Parent@Example.org")

    def test_superuser(self, db, password):
        admin = User.objects.create_superuser("admin@example.org", password)
        assert admin.is_staff and admin.is_superuser


class TestPasswordRules:
    @pytest.mark.parametrize("ok", ["a" * 6 + "bcdefg", "correct horse battery", "x" * 120 + "yzyzyzyz"])
    def test_accepted(self, db, ok):
        validate_password(ok)  # no composition rule: letters only is fine

    @pytest.mark.parametrize(
        "bad, code",
        [
            ("court-mdp-1", "password_too_short"),  # 11 characters
            ("y" * 129, "password_too_long"),
            ("password1234", "password_too_common"),
            ("jaime-Aulnoy-2026", "password_commune_name"),
            ("aulnoylezvalenciennes", "password_commune_name"),
        ],
    )
    def test_refused(self, db, bad, code):
        with pytest.raises(ValidationError) as error:
            validate_password(bad)
        assert code in [e.code for e in error.value.error_list]

    def test_no_truncation(self, db, password):
        long_password = "p" * 100 + "-suffixe-1"
        user = User.objects.create_user("long@example.org", long_password)
        assert user.check_password(long_password)
        assert not user.check_password("p" * 100 + "-suffixe-2")


class TestHealth:
    def test_healthz_checks_the_database(self, client, db):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok"}
        assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]

    def test_healthz_reports_a_database_failure(self, client, db, monkeypatch):
        from django.db.utils import OperationalError

        class BrokenConnection:
            def cursor(self):
                raise OperationalError("connection refused")

        monkeypatch.setattr("portal.views.connection", BrokenConnection())
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["status"] == "error"


class TestRequestId:
    def test_every_response_carries_a_request_id(self, client, db):
        first = client.get("/healthz")["X-Request-ID"]
        second = client.get("/healthz")["X-Request-ID"]
        assert len(first) == 32 and first != second

    def test_a_well_formed_incoming_id_is_kept_and_a_bad_one_replaced(self, client, db):
        assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234abcd")["X-Request-ID"] == "lb-1234abcd"
        replaced = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")["X-Request-ID"]
        assert replaced != "bad id\nwith newline" and len(replaced) == 32

    def test_the_request_log_line_carries_the_id(self, client, db, caplog):
        from portal.request_log import RequestIdLogFilter

        caplog.handler.addFilter(RequestIdLogFilter())
        with caplog.at_level(logging.INFO, logger="portal.request"):
            response = client.get("/healthz", HTTP_X_REQUEST_ID="trace-0001abcd")
        assert response.status_code == 200
        records = [r for r in caplog.records if r.name == "portal.request"]
        assert records and records[-1].request_id == "trace-0001abcd"
        assert "GET /healthz 200" in records[-1].getMessage()

    def test_a_feed_address_token_never_reaches_the_log(self, client, db, caplog):
        with caplog.at_level(logging.INFO, logger="portal.request"):
            client.get("/fr/reservations/agenda/pf-secret-token-value.ics")
        lines = [r.getMessage() for r in caplog.records if r.name == "portal.request"]
        assert lines and "/agenda/[masqué].ics" in lines[-1]
        assert "pf-secret-token-value" not in "".join(lines)


class TestSessions:
    def test_idle_timeout_is_30_minutes_renewed_on_each_request(self):
        assert settings.SESSION_COOKIE_AGE == 30 * 60
        assert settings.SESSION_SAVE_EVERY_REQUEST is True
        assert settings.SESSION_COOKIE_HTTPONLY is True

    def test_thirty_idle_minutes_end_the_session_activity_renews_it(self, client, make_user, password, login):
        from unittest import mock

        from django.utils import timezone

        make_user("parent@example.org")
        login("parent@example.org", password)
        start = timezone.now()
        with mock.patch("django.utils.timezone.now", return_value=start + datetime.timedelta(minutes=25)):
            assert client.get("/fr/compte/").status_code == 200  # renewed for 30 minutes from here
        with mock.patch("django.utils.timezone.now", return_value=start + datetime.timedelta(minutes=50)):
            assert client.get("/fr/compte/").status_code == 200
        with mock.patch("django.utils.timezone.now", return_value=start + datetime.timedelta(minutes=81)):
            response = client.get("/fr/compte/")
        assert response.status_code == 302 and "/fr/compte/connexion/" in response["Location"]

    def test_login_gives_a_new_session_key(self, client, make_user, password, login):
        make_user("parent@example.org")
        client.get("/fr/compte/connexion/")
        client.session.save()
        before = client.session.session_key
        login("parent@example.org", password)
        assert client.session.session_key != before

    def test_session_ends_12_hours_after_login_whatever_the_activity(self, client, make_user, password, login):
        from portal.middleware import SessionLifetimeMiddleware

        make_user("parent@example.org")
        login("parent@example.org", password)
        assert client.get("/fr/compte/").status_code == 200
        session = client.session
        session[SessionLifetimeMiddleware.KEY] = time.time() - 12 * 3600 - 60
        session.save()
        response = client.get("/fr/compte/")
        assert response.status_code == 302 and "/fr/compte/connexion/" in response["Location"]
        # The session is really over: the next request is anonymous too.
        assert client.get("/fr/compte/").status_code == 302

    def test_every_login_restarts_the_12_hours(self, rf, make_user):
        from django.contrib.auth.signals import user_logged_in

        from portal.middleware import SessionLifetimeMiddleware

        user = make_user("parent@example.org")
        request = rf.get("/")
        request.session = {SessionLifetimeMiddleware.KEY: time.time() - 11 * 3600}
        user_logged_in.send(sender=type(user), request=request, user=user)
        assert time.time() - request.session[SessionLifetimeMiddleware.KEY] < 60

    def test_logout_is_post_only_and_ends_the_session(self, client, make_user, password, login):
        make_user("parent@example.org")
        login("parent@example.org", password)
        assert client.get("/fr/compte/deconnexion/").status_code == 405
        client.post("/fr/compte/deconnexion/")
        assert client.get("/fr/compte/").status_code == 302

    def test_wrong_password_gives_a_french_message(self, client, make_user):
        make_user("parent@example.org")
        response = client.post("/fr/compte/connexion/", {"username": "parent@example.org", "password": "nope-nope-nope"})
        assert response.status_code == 200
        assert "Adresse e-mail ou mot de passe incorrect." in response.content.decode()


class TestSecurityHeaders:
    def test_public_pages_have_a_strict_csp(self, client, db):
        response = client.get("/fr/compte/connexion/")
        csp = response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp and "script-src 'self' 'unsafe-inline'" not in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"

    def test_only_the_admin_allows_inline_scripts(self, client, db):
        csp = client.get("/admin/login/")["Content-Security-Policy"]
        assert "'unsafe-inline'" in csp.split("script-src", 1)[1].split(";")[0]

    def test_the_parent_space_is_never_cached(self, client, make_user, password, login):
        make_user("parent@example.org")
        login("parent@example.org", password)
        assert "no-store" in client.get("/fr/compte/")["Cache-Control"]


def _production_settings(**env):
    """Import the production settings in a fresh interpreter with exactly this environment."""
    import json
    import os
    import subprocess
    import sys

    code = (
        "import json, portal.settings.production as p; print(json.dumps({"
        "'DEBUG': p.DEBUG, 'SESSION_COOKIE_SECURE': p.SESSION_COOKIE_SECURE, 'CSRF_COOKIE_SECURE': p.CSRF_COOKIE_SECURE,"
        "'SECURE_SSL_REDIRECT': p.SECURE_SSL_REDIRECT, 'SECURE_HSTS_SECONDS': p.SECURE_HSTS_SECONDS,"
        "'ENGINE': p.DATABASES['default']['ENGINE'], 'TASKS': p.TASKS['default']['BACKEND']}))"
    )
    clean_env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")}
    clean_env.update(env)
    result = subprocess.run([sys.executable, "-c", code], env=clean_env, capture_output=True, text=True,
                            cwd=settings.BASE_DIR)
    return result.returncode, (json.loads(result.stdout) if result.returncode == 0 else result.stderr)


def test_production_settings_are_hardened():
    code, prod = _production_settings(
        SECRET_KEY="x" * 60, ALLOWED_HOSTS="portail.example.org", DATABASE_URL="postgres://u@127.0.0.1:5432/portal"
    )
    assert code == 0, prod
    assert prod["DEBUG"] is False
    assert prod["SESSION_COOKIE_SECURE"] and prod["CSRF_COOKIE_SECURE"]
    assert prod["SECURE_SSL_REDIRECT"] and prod["SECURE_HSTS_SECONDS"] >= 31536000
    assert prod["ENGINE"] == "django.db.backends.postgresql"
    assert prod["TASKS"] == "django_tasks_db.DatabaseBackend"


@pytest.mark.parametrize(
    "env, message",
    [
        ({"ALLOWED_HOSTS": "portail.example.org", "DATABASE_URL": "postgres://u@h/p"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "x" * 60, "DATABASE_URL": "postgres://u@h/p"}, "ALLOWED_HOSTS must be set"),
        ({"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "portail.example.org"}, "Production runs on PostgreSQL"),
    ],
)
def test_production_refuses_to_start_misconfigured(env, message):
    code, error = _production_settings(**env)
    assert code != 0 and message in error


def test_the_suite_runs_on_the_configured_database(db):
    """CI runs the suite twice; this proves the second run really is on PostgreSQL."""
    import os

    from django.db import connection

    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected
