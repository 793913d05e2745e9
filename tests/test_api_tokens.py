"""Access tokens of the family API: created by a parent, shown once, stored as a hash
only, revoked, expiring; the parent's page in the family space; staff get none."""

import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from accounts.models import AuditEvent
from api.models import AccessToken
from api.tokens import MAX_LIVE_TOKENS, create_token, revoke_token, token_for
from services.rules import Refusal

pytestmark = pytest.mark.django_db


@pytest.fixture
def parent(make_user):
    return make_user("parent.jetons@example.org")


def test_only_the_hash_of_a_token_is_stored_and_it_is_shown_once(parent):
    now = timezone.now()
    token, raw = create_token(parent, name="  Téléphone   de Marie ", now=now)
    assert raw.startswith("pf_") and len(raw) >= 40
    stored = AccessToken.objects.get()
    assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(list(AccessToken.objects.values()))
    assert stored.name == "Téléphone de Marie" and stored.created_at == now and stored.expires_at is None
    event = AuditEvent.objects.get(object_type="api.accesstoken")
    assert event.actor == parent and "Téléphone de Marie" in event.summary
    assert event.action == AuditEvent.Action.API_TOKEN
    assert raw not in str(event.before) + str(event.after) + event.summary
    # The token works, a changed one does not.
    assert token_for(raw, now=now) == token
    assert token_for(raw[:-1] + ("A" if raw[-1] != "A" else "B"), now=now) is None


def test_a_revoked_token_stops_working_at_once(parent, api_client):
    token, raw = create_token(parent, name="Tablette", now=timezone.now())
    client = api_client(raw)
    assert client.get("/api/v1/me").status_code == 200
    revoke_token(parent, token, now=timezone.now())
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and response.json()["code"] == "token_revoked"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert AuditEvent.objects.filter(object_type="api.accesstoken", summary__contains="révoqué").count() == 1
    revoke_token(parent, token, now=timezone.now())  # idempotent: no second event
    assert AuditEvent.objects.filter(object_type="api.accesstoken", summary__contains="révoqué").count() == 1


def test_a_token_expires(parent, api_client, api_clock):
    now = timezone.now()
    _token, raw = create_token(parent, name="Test", expires_in_days=30, now=now)
    client = api_client(raw)
    api_clock.set(now + dt.timedelta(days=29))
    assert client.get("/api/v1/me").status_code == 200
    api_clock.set(now + dt.timedelta(days=30, seconds=1))
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and response.json()["code"] == "token_expired"


def test_unknown_and_malformed_tokens(api_client, db):
    for header in ("Bearer pf_inconnu", "Bearer", "Basic dXNlcjpwYXNz", "Bearer a b"):
        from django.test import Client

        response = Client(headers={"Authorization": header}).get("/api/v1/me")
        assert response.status_code == 401 and response.json()["code"] == "invalid_token", header


def test_last_use_is_noted_at_most_once_a_minute(parent, api_client, api_clock):
    now = timezone.now()
    token, raw = create_token(parent, name="Test", now=now)
    api_clock.set(now + dt.timedelta(minutes=5))
    api_client(raw).get("/api/v1/me")
    token.refresh_from_db()
    assert token.last_used_at == now + dt.timedelta(minutes=5)
    api_clock.set(now + dt.timedelta(minutes=5, seconds=30))
    api_client(raw).get("/api/v1/me")
    token.refresh_from_db()
    assert token.last_used_at == now + dt.timedelta(minutes=5)


def test_names_expiry_and_number_of_tokens_are_checked(parent):
    now = timezone.now()
    with pytest.raises(Refusal) as error:
        create_token(parent, name="   ", now=now)
    assert error.value.code == "name_required"
    with pytest.raises(Refusal) as error:
        create_token(parent, name="x", expires_in_days=7, now=now)
    assert error.value.code == "invalid_expiry"
    for rank in range(MAX_LIVE_TOKENS):
        create_token(parent, name=f"Jeton {rank}", now=now)
    with pytest.raises(Refusal) as error:
        create_token(parent, name="Un de trop", now=now)
    assert error.value.code == "too_many_tokens"


def test_staff_get_no_token_and_their_tokens_would_not_work(make_user, api_client):
    agent = make_user("agent.jetons@example.org", is_staff=True)
    with pytest.raises(Refusal) as error:
        create_token(agent, name="Agent", now=timezone.now())
    assert error.value.code == "staff_not_allowed"
    # A parent who becomes staff: the token they held stops working.
    parent = make_user("devenu.agent@example.org")
    _token, raw = create_token(parent, name="Avant", now=timezone.now())
    parent.is_staff = True
    parent.save()
    assert api_client(raw).get("/api/v1/me").status_code == 401


def test_a_closed_account_loses_its_tokens(parent, api_client):
    _token, raw = create_token(parent, name="Test", now=timezone.now())
    parent.is_active = False
    parent.save()
    assert api_client(raw).get("/api/v1/me").status_code == 401


# --- The parent's page ---------------------------------------------------------------------


def test_the_page_creates_shows_once_lists_and_revokes(client, parent):
    client.force_login(parent)
    response = client.get("/fr/acces-api/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    response = client.post("/fr/acces-api/", {"name": "Téléphone de Marie", "expires_in_days": "90"})
    body = response.content.decode()
    token = AccessToken.objects.get()
    raw = body.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.expires_at is not None and "Copiez-le maintenant" in body
    # Shown once: the list no longer carries it.
    body = client.get("/fr/acces-api/").content.decode()
    assert raw not in body and "Téléphone de Marie" in body and "jamais" in body
    response = client.post(f"/fr/acces-api/{token.pk}/revoquer/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "révoqué" in client.get("/fr/acces-api/").content.decode()


def test_the_page_refuses_a_nameless_token(client, parent):
    client.force_login(parent)
    response = client.post("/fr/acces-api/", {"name": "", "expires_in_days": ""})
    assert response.status_code == 400 and not AccessToken.objects.exists()
    assert "Donnez un nom au jeton" in response.content.decode()


def test_another_accounts_token_cannot_be_revoked(client, parent, make_user):
    other = make_user("autre.parent@example.org")
    token, _raw = create_token(other, name="Le sien", now=timezone.now())
    client.force_login(parent)
    assert client.post(f"/fr/acces-api/{token.pk}/revoquer/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_staff_see_no_form(client, make_user):
    agent = make_user("agent.page@example.org", is_staff=True)
    client.force_login(agent)
    body = client.get("/fr/acces-api/").content.decode()
    assert "n'ont pas d'accès à l'API famille" in body and "Créer le jeton" not in body
    assert client.post("/fr/acces-api/", {"name": "x"}).status_code == 403
    assert not AccessToken.objects.exists()


def test_the_family_space_links_to_the_token_page(client, parent):
    client.force_login(parent)
    body = client.get("/fr/compte/").content.decode()
    assert "/fr/acces-api/" in body and "Accès à l&#x27;API" in body


def test_anonymous_visitors_go_to_the_login_page(client, db):
    response = client.get("/fr/acces-api/")
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
