"""Households, guardians, children and rights: the domain rules and the demo data."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from accounts import demo
from accounts.households import children_visible_to, households_for, user_can
from accounts.models import (
    Authorisation,
    AuthorisedPerson,
    Child,
    Guardian,
    GuardianChildRight,
    Household,
    User,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_data(db):
    return demo.load()


def user(email):
    return User.objects.get(email=email)


def child(first_name):
    return Child.objects.get(first_name=first_name)


# --- Demo loader ----------------------------------------------------------------------


def test_demo_summary_and_content(demo_data):
    assert demo_data == {
        "households": 3,
        "children": 5,
        "parents": [
            "marie.martin@example.org",
            "julien.martin@example.org",
            "sophie.bernard@example.org",
            "thomas.petit@example.org",
        ],
    }
    martin = Household.objects.get(code="F-000101")
    assert martin.name == "MARTIN"
    assert martin.family_situation == Household.FamilySituation.MARRIED
    assert martin.is_resident and not martin.paper_only
    assert martin.family_quotient == Decimal("820")
    assert martin.family_quotient_source == "caf"
    assert martin.family_quotient_valid_until == datetime.date(2027, 12, 31)
    assert martin.city == "Aulnoy-lez-Valenciennes"

    lea = child("Léa")
    assert (lea.birth_date, lea.class_level, lea.has_medical_plan) == (datetime.date(2019, 3, 14), "CE1", True)
    assert "jules ferry" in lea.school.lower() and "arachide" in lea.allergies.lower()
    hugo = child("Hugo")
    assert (hugo.birth_date, hugo.class_level) == (datetime.date(2022, 9, 2), "MS")
    assert "louise michel" in hugo.school.lower()
    assert AuthorisedPerson.objects.filter(child=lea, relationship="grand-mère").exists()
    assert Authorisation.objects.filter(child=lea, kind="photo", granted=True, given_by__isnull=False).exists()

    separated = Household.objects.get(code="F-000102")
    assert separated.family_situation == "separated"
    assert set(separated.guardians.values_list("is_payer", flat=True)) == {True}

    durand = Household.objects.get(code="F-000103")
    assert durand.paper_only and not durand.is_resident and durand.family_quotient is None
    jeanne = durand.guardians.get()
    assert jeanne.user is None and jeanne.email == "jeanne.durand@example.org"
    assert not User.objects.filter(email="jeanne.durand@example.org").exists()
    assert list(durand.children.values_list("first_name", flat=True)) == ["Inès"]

    # Every e-mail of the demo is on example.org; every parent login has the demo password.
    for email in Guardian.objects.exclude(email="").values_list("email", flat=True):
        assert email.endswith("@example.org")
    assert user("thomas.petit@example.org").check_password(demo.DEMO_PASSWORD)


def test_demo_loader_is_idempotent(demo_data):
    models = (User, Household, Guardian, Child, GuardianChildRight, AuthorisedPerson, Authorisation)
    before = {model: model.objects.count() for model in models}
    marie = user("marie.martin@example.org")
    marie.set_password("un-autre-mot-de-passe-choisi")
    marie.save()

    assert demo.load() == demo_data

    assert {model: model.objects.count() for model in models} == before
    # The password is set only on creation: a changed password survives a reload.
    assert user("marie.martin@example.org").check_password("un-autre-mot-de-passe-choisi")


def test_demo_loader_writes_a_summary(db):
    import io

    out = io.StringIO()
    demo.load(stdout=out)
    assert "3 foyers" in out.getvalue()


# --- households_for / children_visible_to / user_can ------------------------------------


def test_households_for(demo_data):
    assert list(households_for(user("marie.martin@example.org"))) == [Household.objects.get(code="F-000101")]
    assert list(households_for(user("thomas.petit@example.org"))) == [Household.objects.get(code="F-000102")]


def test_households_for_nobody_else(demo_data, make_user):
    from django.contrib.auth.models import AnonymousUser

    assert list(households_for(make_user(email="stranger@example.org"))) == []
    assert list(households_for(AnonymousUser())) == []
    assert list(children_visible_to(AnonymousUser())) == []


def test_one_user_may_be_guardian_in_several_households(demo_data):
    marie = user("marie.martin@example.org")
    other = Household.objects.create(name="MARTIN (recomposé)")
    guardian = Guardian.objects.create(household=other, user=marie, first_name="Marie", last_name="Martin")
    step_child = Child.objects.create(household=other, first_name="Zoé", last_name="Roux", birth_date="2016-02-02")
    GuardianChildRight.objects.create(guardian=guardian, child=step_child, can_view=True)

    assert set(households_for(marie)) == {Household.objects.get(code="F-000101"), other}
    assert {c.first_name for c in children_visible_to(marie)} == {"Léa", "Hugo", "Zoé"}
    assert user_can(marie, step_child, "view")
    assert not user_can(marie, step_child, "book")


def test_children_visible_to(demo_data):
    assert {c.first_name for c in children_visible_to(user("marie.martin@example.org"))} == {"Léa", "Hugo"}
    assert {c.first_name for c in children_visible_to(user("julien.martin@example.org"))} == {"Léa", "Hugo"}
    assert {c.first_name for c in children_visible_to(user("sophie.bernard@example.org"))} == {"Chloé", "Nathan"}


def test_separated_parents_see_only_their_children(demo_data):
    thomas = user("thomas.petit@example.org")
    assert [c.first_name for c in children_visible_to(thomas)] == ["Chloé"]
    assert user_can(thomas, child("Chloé"), "view")
    assert user_can(thomas, child("Chloé"), "book")
    assert user_can(thomas, child("Chloé"), "pay")
    for right in ("view", "book", "pay"):
        assert not user_can(thomas, child("Nathan"), right)
        assert user_can(user("sophie.bernard@example.org"), child("Nathan"), right)


def test_no_right_across_households(demo_data):
    marie = user("marie.martin@example.org")
    for first_name in ("Chloé", "Nathan", "Inès"):
        for right in ("view", "book", "pay"):
            assert not user_can(marie, child(first_name), right)


def test_a_right_row_pointing_into_another_household_grants_nothing(demo_data):
    """Even a hand-made right row across households does not open another family's child."""
    marie_guardian = Guardian.objects.get(user__email="marie.martin@example.org")
    nathan = child("Nathan")
    GuardianChildRight.objects.create(guardian=marie_guardian, child=nathan, can_view=True, can_book=True)
    marie = user("marie.martin@example.org")
    assert nathan not in children_visible_to(marie)
    assert not user_can(marie, nathan, "view")
    assert not user_can(marie, nathan, "book")

    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        GuardianChildRight(guardian=marie_guardian, child=child("Chloé")).full_clean()


def test_rights_are_separate(demo_data):
    sophie = user("sophie.bernard@example.org")
    right = GuardianChildRight.objects.get(guardian__user=sophie, child__first_name="Nathan")
    right.can_pay = False
    right.save()
    nathan = child("Nathan")
    assert user_can(sophie, nathan, "view") and user_can(sophie, nathan, "book")
    assert not user_can(sophie, nathan, "pay")

    right.can_view = right.can_book = False
    right.save()
    assert nathan not in children_visible_to(sophie)


def test_paper_only_household_can_look_but_not_act_online(demo_data, make_user):
    login = make_user(email="jeanne.durand@example.org")
    Guardian.objects.filter(household__code="F-000103").update(user=login)
    ines = child("Inès")
    assert user_can(login, ines, "view")
    assert not user_can(login, ines, "book")
    assert not user_can(login, ines, "pay")


def test_inactive_user_has_no_right(demo_data):
    thomas = user("thomas.petit@example.org")
    thomas.is_active = False
    thomas.save()
    assert not user_can(thomas, child("Chloé"), "view")
    assert list(children_visible_to(thomas)) == []


def test_unknown_right_is_an_error(demo_data):
    with pytest.raises(ValueError):
        user_can(user("marie.martin@example.org"), child("Léa"), "delete")


def test_user_can_takes_one_query(demo_data, django_assert_num_queries):
    thomas, chloe = user("thomas.petit@example.org"), child("Chloé")
    with django_assert_num_queries(1):
        assert user_can(thomas, chloe, "pay")
    with django_assert_num_queries(1):
        assert len(list(children_visible_to(thomas))) == 1


# --- Models and constraints -------------------------------------------------------------


def test_household_code_is_generated_when_blank(db):
    first = Household.objects.create(name="LEROY")
    assert first.code == "F-000001"
    Household.objects.create(name="DUPONT", code="F-000101")
    assert Household.objects.create(name="MOREAU").code == "F-000102"
    assert Household.objects.create(name="FAURE", code="").code == "F-000103"


def test_household_code_is_unique(db):
    Household.objects.create(name="A", code="F-000001")
    with pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.create(name="B", code="F-000001")


def test_family_quotient_constraints(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.create(name="A", family_quotient=Decimal("-1"), family_quotient_source="caf")
    with pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.create(name="B", family_quotient=Decimal("500"), family_quotient_source="none")
    household = Household.objects.create(
        name="C", family_quotient=Decimal("500"), family_quotient_source="msa",
        family_quotient_valid_until=datetime.date(2026, 6, 30),
    )
    assert household.family_quotient_on(datetime.date(2026, 6, 30)) == Decimal("500")
    assert household.family_quotient_on(datetime.date(2026, 7, 1)) is None


def test_guardian_unique_per_user_and_household(demo_data):
    household = Household.objects.get(code="F-000101")
    with pytest.raises(IntegrityError), transaction.atomic():
        Guardian.objects.create(household=household, user=user("marie.martin@example.org"), first_name="M", last_name="M")
    # Several guardians without a login are fine.
    Guardian.objects.create(household=household, first_name="Paul", last_name="Martin")
    Guardian.objects.create(household=household, first_name="Anne", last_name="Martin")


def test_right_constraints(demo_data):
    guardian = Guardian.objects.get(user__email="thomas.petit@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        GuardianChildRight.objects.create(guardian=guardian, child=child("Chloé"))
    with pytest.raises(IntegrityError), transaction.atomic():
        GuardianChildRight.objects.create(guardian=guardian, child=child("Nathan"), can_view=False, can_book=True)


def test_authorised_person_period(demo_data):
    with pytest.raises(IntegrityError), transaction.atomic():
        AuthorisedPerson.objects.create(
            child=child("Léa"), first_name="X", last_name="Y",
            valid_from=datetime.date(2026, 1, 2), valid_until=datetime.date(2026, 1, 1),
        )
