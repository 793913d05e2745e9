"""The "Services municipaux" admin menu: every page loads, permissions are Django's."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from accounts.roles import AGENTS, CASHIERS, ensure_groups
from services import demo
from services.models import Activity, CalendarPeriod, DeadlineRule, Hall, SchoolYear, Service
from tests.fixtures_accounts import login_staff

pytestmark = pytest.mark.django_db

VIEWSETS = {
    "services_service": Service,
    "services_activity": Activity,
    "services_deadlinerule": DeadlineRule,
    "services_calendarperiod": CalendarPeriod,
    "services_schoolyear": SchoolYear,
    "services_hall": Hall,
}


@pytest.fixture
def admin_client(client, make_user):
    user = make_user(email="admin@example.org", is_staff=True, is_superuser=True)
    login_staff(client, user)
    return client


@pytest.mark.parametrize("name", sorted(VIEWSETS))
def test_index_add_and_edit_pages_load(admin_client, name):
    demo.load()
    assert admin_client.get(reverse(f"{name}:index")).status_code == 200
    assert admin_client.get(reverse(f"{name}:add")).status_code == 200
    instance = VIEWSETS[name].objects.first()
    response = admin_client.get(reverse(f"{name}:edit", args=[instance.pk]))
    assert response.status_code == 200


def test_menu_group_is_shown(admin_client):
    response = admin_client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Services municipaux" in content
    for label in ("Activités", "Règles de délai", "Années scolaires", "Salles"):
        # The sidebar is rendered as JSON, with non-ASCII characters escaped.
        assert label in content or json.dumps(label)[1:-1] in content
    for name in VIEWSETS:
        assert reverse(f"{name}:index") in content


def test_create_a_deadline_rule_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("services_deadlinerule:add"),
        {"name": "2 jours ouvrés sans mercredi", "kind": "working_days_before", "days": "2", "time": "12:00",
         "skip_weekdays": ["2"]},
    )
    assert response.status_code == 302
    rule = DeadlineRule.objects.get(name="2 jours ouvrés sans mercredi")
    assert rule.skip_weekdays == [2] and rule.time == dt.time(12, 0)


def test_admin_form_shows_french_validation_errors(admin_client):
    response = admin_client.post(
        reverse("services_deadlinerule:add"), {"name": "Sans jour", "kind": "weekday_previous_week", "time": "12:00"}
    )
    assert response.status_code == 200
    assert "Choisissez le jour de la semaine." in response.content.decode()
    assert not DeadlineRule.objects.filter(name="Sans jour").exists()


def test_agents_manage_and_cashiers_only_read(client, make_user):
    from django.contrib.auth.models import Group

    ensure_groups()
    agent = make_user(email="agent@example.org", is_staff=True)
    agent.groups.add(Group.objects.get(name=AGENTS))
    cashier = make_user(email="regie@example.org", is_staff=True)
    cashier.groups.add(Group.objects.get(name=CASHIERS))

    login_staff(client, agent)
    assert client.get(reverse("services_activity:index")).status_code == 200
    assert client.get(reverse("services_activity:add")).status_code == 200

    login_staff(client, cashier)
    assert client.get(reverse("services_activity:index")).status_code == 200
    assert client.get(reverse("services_activity:add")).status_code in (302, 403)


def test_parents_have_no_access(client, make_user):
    client.force_login(make_user())
    response = client.get(reverse("services_activity:index"))
    assert response.status_code in (302, 403)
