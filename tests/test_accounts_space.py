"""The parent's space: households and only the children the user holds rights on."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import demo
from accounts.models import Child, Guardian, GuardianChildRight, Household, User
from accounts.selectors import space_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_data(db):
    return demo.load()


def login(client, email):
    client.force_login(User.objects.get(email=email))
    return client


def space_url():
    return reverse("accounts:space")


def test_anonymous_is_sent_to_login(client):
    response = client.get(space_url())
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_real_login_then_space(client, demo_data):
    response = client.post(
        reverse("accounts:login"), {"username": "MARIE.Martin@Example.org", "password": demo.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    response = client.get(space_url())
    assert response.status_code == 200
    assert response.context["account"].email == "marie.martin@example.org"


def test_marie_sees_her_household_and_both_children(client, demo_data):
    response = login(client, "marie.martin@example.org").get(space_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>" in html
    assert "MARTIN" in html and "F-000101" in html
    assert "Léa" in html and "Hugo" in html
    assert "CE1" in html and "Jules Ferry" in html
    assert "820" in html and "2027" in html
    assert "Résident de la commune" in html
    for other in ("Chloé", "Nathan", "Inès", "BERNARD-PETIT", "DURAND"):
        assert other not in html
    assert response["Cache-Control"].find("no-cache") >= 0 or "no-store" in response["Cache-Control"]


def test_thomas_sees_chloe_not_nathan(client, demo_data):
    response = login(client, "thomas.petit@example.org").get(space_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "BERNARD-PETIT" in html
    assert "Chloé" in html
    assert "Nathan" not in html
    [entry] = response.context["households"]
    assert [row["child"].first_name for row in entry["children"]] == ["Chloé"]


def test_sophie_sees_both_children(client, demo_data):
    html = login(client, "sophie.bernard@example.org").get(space_url()).content.decode()
    assert "Chloé" in html and "Nathan" in html


def test_user_without_household_gets_the_message(client, make_user):
    make_user(email="nouveau@example.org")
    response = login(client, "nouveau@example.org").get(space_url())
    assert response.status_code == 200
    assert response.context["households"] == []
    html = response.content.decode()
    assert "Votre compte n&#x27;est relié à aucun foyer" in html or "Votre compte n'est relié à aucun foyer" in html
    assert "La commune peut le relier" in html


def test_staff_without_household_gets_an_empty_list(make_user):
    agent = make_user(email="agent@example.org", is_staff=True)
    assert space_context(agent)["households"] == []


def test_paper_only_household_is_told_and_has_no_online_right(client, demo_data, make_user):
    login_user = make_user(email="jeanne.durand@example.org")
    Guardian.objects.filter(household__code="F-000103").update(user=login_user)
    response = login(client, "jeanne.durand@example.org").get(space_url())
    html = response.content.decode()
    assert "Inès" in html and "démarches papier" in html
    [entry] = response.context["households"]
    assert entry["children"][0]["can_view"] and not entry["children"][0]["can_book"]
    assert "Non résident" in html


def test_space_context_rights_held(demo_data):
    sophie = User.objects.get(email="sophie.bernard@example.org")
    GuardianChildRight.objects.filter(guardian__user=sophie, child__first_name="Nathan").update(can_pay=False)
    [entry] = space_context(sophie)["households"]
    rows = {row["child"].first_name: row for row in entry["children"]}
    assert rows["Chloé"]["can_pay"] and rows["Nathan"]["can_book"] and not rows["Nathan"]["can_pay"]
    assert entry["family_quotient"] == Decimal("540")


def test_expired_quotient_is_not_shown_as_valid(client, demo_data):
    Household.objects.filter(code="F-000101").update(family_quotient_valid_until=datetime.date(2020, 1, 31))
    response = login(client, "marie.martin@example.org").get(space_url())
    [entry] = response.context["households"]
    assert entry["family_quotient"] is None and entry["family_quotient_expired"]
    assert "Expiré" in response.content.decode()


def _family(number_of_children):
    user = User.objects.create_user(email=f"parent{number_of_children}@example.org", password=None)
    household = Household.objects.create(name=f"FAMILLE {number_of_children}")
    guardian = Guardian.objects.create(household=household, user=user, first_name="P", last_name="F")
    for index in range(number_of_children):
        child = Child.objects.create(
            household=household,
            first_name=f"Enfant{index}",
            last_name="F",
            birth_date=datetime.date(2015 + index, 1, 1),
            class_level="CP",
        )
        GuardianChildRight.objects.create(guardian=guardian, child=child, can_view=True, can_book=index % 2 == 0)
    # A second household for the same user, so that households are prefetched too.
    other = Household.objects.create(name=f"AUTRE {number_of_children}")
    other_guardian = Guardian.objects.create(household=other, user=user, first_name="P", last_name="F")
    other_child = Child.objects.create(household=other, first_name="Autre", last_name="F", birth_date="2014-05-05")
    GuardianChildRight.objects.create(guardian=other_guardian, child=other_child)
    return user


def _count_queries(user):
    with CaptureQueriesContext(connection) as queries:
        context = space_context(user)
        # Touch everything the template reads.
        for entry in context["households"]:
            entry["household"].get_family_situation_display()
            for row in entry["children"]:
                (row["child"].first_name, row["child"].school, row["child"].get_class_level_display())
    return len(queries), context


def test_space_context_query_count_is_constant(db):
    small, small_context = _count_queries(_family(2))
    large, large_context = _count_queries(_family(6))
    assert sum(len(e["children"]) for e in small_context["households"]) == 3
    assert sum(len(e["children"]) for e in large_context["households"]) == 7
    assert small == large
    assert large <= 3


def test_space_page_query_count_is_constant(client, db):
    small_user, large_user = _family(2), _family(6)
    client.force_login(small_user)
    client.get(space_url())  # warm the per-process caches of the layout (site, settings)
    with CaptureQueriesContext(connection) as small:
        assert client.get(space_url()).status_code == 200
    client.force_login(large_user)
    with CaptureQueriesContext(connection) as large:
        response = client.get(space_url())
    assert "Enfant5" in response.content.decode()
    assert len(small) == len(large)
