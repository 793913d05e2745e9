"""The audit trail: events for logins and operations, append-only, no secrets."""

import pytest
from django.db import DatabaseError, connection, transaction

from accounts.audit import REDACTED, record
from accounts.models import AuditEvent, AuditTrailIsAppendOnly


def test_login_success_and_failure_are_traced_without_the_password(client, make_user, password):
    user = make_user("parent@example.org")
    client.post("/fr/compte/connexion/", {"username": "parent@example.org", "password": "mauvais-mot-de-passe"})
    client.post("/fr/compte/connexion/", {"username": "parent@example.org", "password": password},
                HTTP_X_REQUEST_ID="req-login-0001")
    client.post("/fr/compte/deconnexion/")
    failed, login, logout = AuditEvent.objects.order_by("id")
    assert failed.action == AuditEvent.Action.LOGIN_FAILED and failed.actor is None
    assert failed.after == {"email": "parent@example.org"}
    assert login.action == AuditEvent.Action.LOGIN and login.actor == user
    assert login.ip_address == "127.0.0.1" and login.request_id == "req-login-0001"
    assert logout.action == AuditEvent.Action.LOGOUT and logout.actor == user
    assert {failed.channel, login.channel, logout.channel} == {AuditEvent.Channel.WEB}
    dump = str(list(AuditEvent.objects.values()))
    assert password not in dump and "mauvais-mot-de-passe" not in dump


def test_record_scrubs_secrets_and_keeps_before_after(make_user):
    agent = make_user("agent@example.org", is_staff=True)
    event = record(
        AuditEvent.Action.CONTACT_CHANGE,
        actor=agent,
        obj=agent,
        summary="Téléphone modifié",
        before={"phone": "0600000001", "password": "x"},
        after={"phone": "0600000002", "nested": {"api_token": "abc"}},
    )
    event.refresh_from_db()
    assert event.before == {"phone": "0600000001", "password": REDACTED}
    assert event.after == {"phone": "0600000002", "nested": {"api_token": REDACTED}}
    assert event.object_type == "accounts.user" and event.object_id == str(agent.pk)
    assert event.actor_label == "agent@example.org"


def test_an_agent_acting_for_a_household_is_marked(make_user):
    from accounts.models import Household

    agent = make_user("agent@example.org", is_staff=True)
    household = Household.objects.create(name="TEST")
    event = record(AuditEvent.Action.BOOKING, actor=agent, household=household, summary="Réservation au guichet")
    assert event.acting_for_family is True
    parent = make_user("parent@example.org")
    assert record(AuditEvent.Action.BOOKING, actor=parent, household=household).acting_for_family is False


def test_each_event_says_where_the_operation_came_from(rf, make_user):
    """The portal, the family API, the admin (an agent for a family) or a background job."""
    user = make_user()
    by_path = {path: record(AuditEvent.Action.BOOKING, actor=user, request=rf.post(path)).channel
               for path in ("/fr/services/cantine/espace/calendrier/", "/api/v1/bookings", "/admin/services/")}
    assert by_path == {"/fr/services/cantine/espace/calendrier/": AuditEvent.Channel.WEB,
                       "/api/v1/bookings": AuditEvent.Channel.API,
                       "/admin/services/": AuditEvent.Channel.ADMIN}
    assert record(AuditEvent.Action.INVOICE, summary="Facturation mensuelle").channel == AuditEvent.Channel.SYSTEM


def test_the_application_cannot_change_or_delete_an_event(make_user):
    event = record(AuditEvent.Action.PAYMENT, actor=make_user(), summary="Paiement")
    event.summary = "autre chose"
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(summary="x")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).summary == "Paiement"


@pytest.mark.postgres
def test_postgresql_refuses_update_and_delete_in_the_database(make_user):
    if connection.vendor != "postgresql":
        pytest.skip("the database-level guard is installed on PostgreSQL only (CI runs it there)")
    event = record(AuditEvent.Action.PAYMENT, actor=make_user(), summary="Paiement")
    for sql in (
        "UPDATE accounts_auditevent SET summary = 'x' WHERE id = %s",
        "DELETE FROM accounts_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).summary == "Paiement"
