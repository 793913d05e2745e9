"""Staff give a second factor (TOTP) before the Wagtail admin; parents never reach it."""

import io
import re
import time

import pyotp
import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts import second_factor
from accounts.demo import DEMO_TOTP_SECRET
from accounts.models import AuditEvent, RecoveryCode, SecondFactor, User
from tests.fixtures_accounts import login_staff

pytestmark = pytest.mark.django_db

LOGIN = "/fr/compte/connexion/"
SF = "/fr/compte/second-facteur/"


@pytest.fixture
def staff(make_user):
    return make_user("agent@example.org", is_staff=True, is_superuser=True)


def log_in(client, user, password):
    assert client.post(LOGIN, {"username": user.email, "password": password}).status_code == 302


def test_admin_asks_for_the_second_factor_then_enrols_it(client, staff, password):
    log_in(client, staff, password)
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response["Location"].startswith(SF)
    assert "next=%2Fadmin%2Fpages%2F" in response["Location"]
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "<svg" in html and "<script" not in html.split("<main", 1)[1]
    factor = SecondFactor.objects.get(user=staff)
    assert factor.confirmed_at is None
    assert re.sub(r"\s", "", re.search(r'<code class="secret">([^<]+)<', html).group(1)) == factor.secret
    # A wrong code: refused, nothing enabled.
    assert client.post(SF, {"code": "000000", "next": "/admin/pages/"}).status_code == 400
    assert client.get("/admin/").status_code == 302
    response = client.post(SF, {"code": pyotp.TOTP(factor.secret).now(), "next": "/admin/pages/"})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", response.content.decode())
    assert len(codes) == 10 and RecoveryCode.objects.filter(user=staff).count() == 10
    assert codes[0] not in str(list(RecoveryCode.objects.values()))  # stored hashed
    assert client.get("/admin/").status_code == 200
    events = AuditEvent.objects.filter(action="second_factor", actor_id=staff.pk)
    assert {e.summary.split(" (")[0] for e in events} >= {"Second facteur refusé", "Second facteur activé"}
    assert factor.secret not in str(list(AuditEvent.objects.values()))


def test_each_session_verifies_a_code_that_cannot_be_replayed(staff, password):
    factor = second_factor.set_secret(staff, pyotp.random_base32())
    code = pyotp.TOTP(factor.secret).now()
    first = Client()
    log_in(first, staff, password)
    assert first.get("/admin/").status_code == 302
    assert first.post(SF, {"code": code, "next": "/admin/"})["Location"] == "/admin/"
    assert first.get("/admin/").status_code == 200
    second = Client()
    log_in(second, staff, password)
    assert second.post(SF, {"code": code, "next": "/admin/"}).status_code == 400  # the same code again
    assert second.get("/admin/").status_code == 302


def test_codes_of_the_previous_and_next_step_are_accepted_others_not(staff):
    factor = second_factor.set_secret(staff, pyotp.random_base32())
    now = time.time()
    totp = pyotp.TOTP(factor.secret)
    assert not second_factor.check_totp(factor, totp.at(now - 90), now)
    assert second_factor.check_totp(factor, totp.at(now - 30), now)
    factor.refresh_from_db()
    assert second_factor.check_totp(factor, totp.at(now + 30), now)


def test_a_recovery_code_works_once(client, staff, password):
    second_factor.set_secret(staff, pyotp.random_base32())
    codes = second_factor.new_recovery_codes(staff)
    log_in(client, staff, password)
    assert client.post(SF, {"code": codes[3].upper(), "next": "/admin/"}).status_code == 302
    assert client.get("/admin/").status_code == 200
    other = Client()
    log_in(other, staff, password)
    assert other.post(SF, {"code": codes[3], "next": "/admin/"}).status_code == 400


def test_wrong_codes_are_throttled(client, staff, password):
    factor = second_factor.set_secret(staff, pyotp.random_base32())
    log_in(client, staff, password)
    for _ in range(5):
        assert client.post(SF, {"code": "123456"}).status_code == 400
    response = client.post(SF, {"code": pyotp.TOTP(factor.secret).now()})
    assert response.status_code == 400 and "Trop de codes refusés" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_the_next_parameter_cannot_leave_the_site(client, staff, password):
    factor = second_factor.set_secret(staff, pyotp.random_base32())
    log_in(client, staff, password)
    response = client.post(SF, {"code": pyotp.TOTP(factor.secret).now(), "next": "https://evil.example.org/"})
    assert response["Location"] == "/admin/"


def test_parents_never_get_a_second_factor_nor_the_admin(client, make_user, password):
    parent = make_user("parent@example.org")
    log_in(client, parent, password)
    assert client.get(SF)["Location"] == "/fr/compte/"
    response = client.get("/admin/")
    assert response.status_code in (302, 403)
    assert not response.get("Location", "").startswith(SF)
    assert not SecondFactor.objects.filter(user=parent).exists()


def test_wagtails_own_login_form_is_replaced_by_the_portals(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/compte/connexion/?next=%2Fadmin%2Fpages%2F"


def test_the_helper_logs_staff_in_with_the_second_factor(client, staff):
    login_staff(client, staff)
    assert client.get("/admin/").status_code == 200


def test_reset_command_removes_the_factor_and_is_traced(staff):
    second_factor.set_secret(staff, pyotp.random_base32())
    second_factor.new_recovery_codes(staff)
    call_command("reset_second_factor", "agent@example.org", stdout=io.StringIO())
    assert not SecondFactor.objects.filter(user=staff).exists() and not RecoveryCode.objects.filter(user=staff).exists()
    assert AuditEvent.objects.filter(action="second_factor", summary__contains="réinitialisé").exists()


def test_demo_staff_get_the_demo_secret_and_demo_totp_prints_the_code(demo):
    agent = User.objects.get(email="agent@example.org")
    assert agent.second_factor.secret == DEMO_TOTP_SECRET and agent.second_factor.confirmed_at
    assert not SecondFactor.objects.filter(user__email="marie.martin@example.org").exists()
    out = io.StringIO()
    call_command("demo_totp", "agent@example.org", stdout=out)
    assert out.getvalue().strip() == pyotp.TOTP(DEMO_TOTP_SECRET).now()


def test_without_the_demo_setting_no_secret_is_given_nor_printed(db, settings):
    settings.PORTAL_DEMO_SECOND_FACTOR = False
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert DEMO_TOTP_SECRET not in out.getvalue()
    assert not SecondFactor.objects.exists()
    with pytest.raises(CommandError):
        call_command("demo_totp", "agent@example.org", stdout=io.StringIO())


def test_production_settings_do_not_enable_the_demo_secret():
    from portal.settings import base

    assert base.PORTAL_DEMO_SECOND_FACTOR is False
    source = open(base.BASE_DIR / "portal" / "settings" / "production.py").read()
    assert "PORTAL_DEMO_SECOND_FACTOR" not in source
