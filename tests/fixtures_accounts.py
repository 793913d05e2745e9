"""Shared pytest fixtures and helpers of the accounts area (registered in conftest.py).

Logging staff into the Wagtail admin (it asks for a second factor once per session):

    from tests.fixtures_accounts import login_staff, browser_login_staff

    login_staff(client, user)          # Django test client: force_login + second factor given
    browser_login_staff(page, email, password)   # Playwright: the real forms, code typed in

or the fixtures ``staff_client`` (``staff_client(user)`` returns the logged-in client) and
``admin_user`` (a superuser with a second factor). ``client.force_login(staff)`` alone
now gets redirected to the second-factor page on every /admin/ URL.
"""

import pyotp
import pytest

STAFF_TOTP_SECRET = "TESTSTAFFSECONDFACTORSECRETABCDE"


def ensure_second_factor(user, secret=None):
    """Give ``user`` a confirmed authenticator (keeps an existing one); returns it."""
    from accounts.models import SecondFactor
    from accounts.second_factor import set_secret

    factor = SecondFactor.objects.filter(user=user, confirmed_at__isnull=False).first()
    return factor or set_secret(user, secret or STAFF_TOTP_SECRET)


def login_staff(client, user):
    """Log ``user`` into the Django test client with the second factor already given."""
    from accounts.second_factor import SESSION_KEY

    ensure_second_factor(user)
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = {"uid": user.pk, "at": 0}
    session.save()
    return client


def current_code(user):
    """The code the user's authenticator shows now; the time step is made reusable so
    that several logins within 30 seconds work in tests."""
    from accounts.models import SecondFactor

    factor = ensure_second_factor(user)
    SecondFactor.objects.filter(pk=factor.pk).update(last_used_step=0)
    return pyotp.TOTP(factor.secret).now()


def browser_login_staff(page, email, password, next_path="/admin/"):
    """Playwright: log in through the portal's login form, then type the second-factor
    code; ends on ``next_path`` (the admin by default)."""
    from accounts.models import User

    user = User.objects.get(email=email.lower())
    ensure_second_factor(user)
    page.goto(f"/fr/compte/connexion/?next={next_path}")
    page.get_by_label("Adresse e-mail", exact=True).fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter", exact=True).click()
    page.get_by_label("Code", exact=True).fill(current_code(user))
    page.get_by_role("button", name="Vérifier", exact=True).click()
    page.wait_for_url(f"**{next_path}")


@pytest.fixture
def staff_client(client):
    """``staff_client(user)``: the test client logged in as ``user`` with the second factor."""

    def log_in(user):
        return login_staff(client, user)

    return log_in


@pytest.fixture
def admin_user(db, password):
    from accounts.models import User

    user = User.objects.create_superuser(email="admin-test@example.org", password=password)
    ensure_second_factor(user)
    return user
