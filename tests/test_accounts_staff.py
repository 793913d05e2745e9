"""Staff screens of the accounts area: the audit trail (read-only, filtered, exported and
traced), change requests and GDPR requests; the periodic purge; billing's payer filter."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts import demo, family, gdpr, roles
from accounts.audit import record
from accounts.households import payer_guardians_for
from accounts.maintenance import purge
from accounts.models import AuditEvent, GdprRequest, Household, LoginThrottle, RateCounter, User
from accounts.wagtail_hooks import STAFF_VIEWSETS
from tests.fixtures_accounts import login_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(db, password):
    roles.ensure_groups()
    user = User.objects.create_user(email="agent@example.org", password=password, is_staff=True)
    user.groups.add(Group.objects.get(name=roles.AGENTS))
    return user


@pytest.fixture
def families(db):
    demo.load()
    return Household.objects.get(code="F-000101")


@pytest.mark.parametrize("name", [v.name for v in STAFF_VIEWSETS])
def test_agents_open_every_family_list(client, agent, families, name):
    login_staff(client, agent)
    assert client.get(reverse(f"{name}:index")).status_code == 200


def test_the_audit_trail_is_read_only_even_for_a_superuser(client, families, make_user):
    admin = make_user("admin@example.org", is_staff=True, is_superuser=True)
    event = record(AuditEvent.Action.BOOKING, actor=admin, household=families, summary="Réservation au guichet")
    login_staff(client, admin)
    assert client.get(reverse("accounts_audit:inspect", args=[event.pk])).status_code == 200
    for view in ("edit", "delete"):
        response = client.post(reverse(f"accounts_audit:{view}", args=[event.pk]), {"summary": "x"})
        assert response.status_code in (302, 403)
    assert client.get(reverse("accounts_audit:add")).status_code in (302, 403)
    assert AuditEvent.objects.get(pk=event.pk).summary == "Réservation au guichet"
    html = client.get(reverse("accounts_audit:index")).content.decode()
    assert "Réservation au guichet" in html


def test_staff_filter_and_export_the_trail_and_the_export_is_traced(client, agent, families):
    marie = User.objects.get(email="marie.martin@example.org")
    family.update_household(marie, families, {"phone_mobile": "06 11 22 33 44"})
    record(AuditEvent.Action.BOOKING, actor=marie, household=families, summary="Réservation Léa")
    login_staff(client, agent)
    html = client.get(reverse("accounts_audit:index"), {"action": "contact_change"}).content.decode()
    assert "Coordonnées du foyer modifiées" in html and "Réservation Léa" not in html
    response = client.get(reverse("accounts_audit:index"), {"action": "contact_change", "export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert "Coordonnées du foyer modifiées" in body and "Réservation Léa" not in body
    response = client.get(reverse("accounts_audit:index"), {"q": "F-000101", "export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    exports = AuditEvent.objects.filter(action="staff_export", actor_id=agent.pk)
    assert [e.after["format"] for e in exports.order_by("id")] == ["csv", "xlsx"]
    assert exports.order_by("id").first().after["filters"] == {"action": "contact_change"}


def test_cashiers_read_the_trail_and_parents_never(client, families, password):
    roles.ensure_groups()
    cashier = User.objects.create_user(email="regie@example.org", password=password, is_staff=True)
    cashier.groups.add(Group.objects.get(name=roles.CASHIERS))
    login_staff(client, cashier)
    assert client.get(reverse("accounts_audit:index")).status_code == 200
    client.force_login(User.objects.get(email="marie.martin@example.org"))
    assert client.get(reverse("accounts_audit:index")).status_code in (302, 403)


def test_open_gdpr_requests_are_listed_with_their_due_date_and_lateness(client, agent, families):
    marie = User.objects.get(email="marie.martin@example.org")
    late = gdpr.submit_request(marie, families, "rectification", "Adresse inexacte")
    GdprRequest.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    gdpr.submit_request(marie, families, "opposition", "Papier")
    login_staff(client, agent)
    html = client.get(reverse("accounts_gdpr_requests:index"), {"status": "open"}).content.decode()
    assert "EN RETARD" in html and "dans les délais" in html
    assert client.get(reverse("accounts_gdpr_requests:add")).status_code in (302, 403)
    assert client.post(reverse("accounts_gdpr_requests:delete", args=[late.pk])).status_code in (302, 403)
    assert GdprRequest.objects.count() == 2
    response = client.post(reverse("accounts_gdpr_requests:edit", args=[late.pk]), {"answer": ""})
    assert response.status_code == 200 and GdprRequest.objects.get(pk=late.pk).status == "open"


def test_agents_decide_change_requests_and_a_refusal_needs_a_reason(client, agent, families):
    marie = User.objects.get(email="marie.martin@example.org")
    change = family.request_change(marie, families, {"family_situation": "divorced"})
    login_staff(client, agent)
    url = reverse("accounts_change_requests:edit", args=[change.pk])
    response = client.post(url, {"decision": "refuse", "reason": ""})
    assert response.status_code == 200 and "motivé" in response.content.decode()
    assert client.post(url, {"decision": "refuse", "reason": "Pas de justificatif"}).status_code == 302
    change.refresh_from_db()
    assert change.status == "refused" and change.reason == "Pas de justificatif"
    assert Household.objects.get(pk=families.pk).family_situation == "married"


def test_the_purge_keeps_what_is_still_needed(make_user):
    now = timezone.now()
    RateCounter.objects.create(key="old", window_started_at=now - datetime.timedelta(days=3), hits=1)
    RateCounter.objects.create(key="new", window_started_at=now, hits=1)
    LoginThrottle.objects.create(key="account:old@example.org", last_failure_at=now - datetime.timedelta(days=3))
    LoginThrottle.objects.create(key="account:blocked@example.org", last_failure_at=now - datetime.timedelta(days=3),
                                 blocked_until=now + datetime.timedelta(hours=1))
    stale = make_user("jamais@example.org", is_active=False, email_verified_at=None)
    User.objects.filter(pk=stale.pk).update(date_joined=now - datetime.timedelta(days=8))
    recent = make_user("recent@example.org", is_active=False, email_verified_at=None)
    result = purge(now)
    assert result == {"rate_counters": 1, "login_counters": 1, "unverified_accounts": 1}
    assert set(RateCounter.objects.values_list("key", flat=True)) == {"new"}
    assert LoginThrottle.objects.filter(key="account:blocked@example.org").exists()
    assert User.objects.filter(pk=recent.pk).exists() and not User.objects.filter(pk=stale.pk).exists()


def test_the_periodic_job_is_registered():
    from portal.hooks import PERIODIC_JOBS, collect

    jobs = [job for jobs in collect(PERIODIC_JOBS) for job in jobs]
    assert any(job["name"] == "accounts_purge" and job["run"] is purge for job in jobs)


def test_separated_parents_each_pay_through_their_own_guardian_record(families):
    thomas = User.objects.get(email="thomas.petit@example.org")
    sophie = User.objects.get(email="sophie.bernard@example.org")
    assert [str(g) for g in payer_guardians_for(thomas)] == ["Thomas Petit"]
    assert [str(g) for g in payer_guardians_for(sophie)] == ["Sophie Bernard"]
    julien = User.objects.get(email="julien.martin@example.org")
    assert not payer_guardians_for(julien).exists()  # not a payer
