"""The "Familles" menu of the Wagtail admin: household files for staff, by permission."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import demo, roles
from accounts.models import Child, Guardian, Household, User
from accounts.wagtail_hooks import VIEWSETS
from tests.fixtures_accounts import login_staff

pytestmark = pytest.mark.django_db

VIEWSET_NAMES = [viewset.name for viewset in VIEWSETS]


@pytest.fixture
def demo_data(db):
    return demo.load()


@pytest.fixture
def superuser(db, password):
    return User.objects.create_superuser(email="admin@example.org", password=password)


@pytest.fixture
def agent(db, password):
    roles.ensure_groups()
    user = User.objects.create_user(email="agent@example.org", password=password, is_staff=True)
    user.groups.add(Group.objects.get(name=roles.AGENTS))
    return user


@pytest.mark.parametrize("name", VIEWSET_NAMES)
@pytest.mark.parametrize("view", ["index", "add"])
def test_superuser_opens_every_index_and_add_page(client, superuser, demo_data, name, view):
    login_staff(client, superuser)
    response = client.get(reverse(f"{name}:{view}"))
    assert response.status_code == 200


def test_superuser_edits_and_inspects_a_household(client, superuser, demo_data):
    login_staff(client, superuser)
    household = Household.objects.get(code="F-000101")
    assert client.get(reverse("accounts_households:edit", args=[household.pk])).status_code == 200
    response = client.get(reverse("accounts_households:inspect", args=[household.pk]))
    assert response.status_code == 200
    assert "MARTIN" in response.content.decode()
    child = Child.objects.get(first_name="Léa")
    assert client.get(reverse("accounts_children:edit", args=[child.pk])).status_code == 200
    guardian = Guardian.objects.get(user__email="thomas.petit@example.org")
    assert client.get(reverse("accounts_guardians:edit", args=[guardian.pk])).status_code == 200


def test_household_listing_columns_and_search(client, superuser, demo_data):
    login_staff(client, superuser)
    html = client.get(reverse("accounts_households:index")).content.decode()
    for text in ("F-000101", "F-000102", "F-000103", "MARTIN", "Aulnoy-lez-Valenciennes"):
        assert text in html
    html = client.get(reverse("accounts_households:index"), {"q": "martin"}).content.decode()
    assert "F-000101" in html and "F-000102" not in html
    html = client.get(reverse("accounts_households:index"), {"q": "F-000103"}).content.decode()
    assert "DURAND" in html and "F-000101" not in html


def test_superuser_creates_a_household_with_a_generated_code(client, superuser, demo_data):
    login_staff(client, superuser)
    response = client.post(
        reverse("accounts_households:add"),
        {"code": "", "name": "NOUVEAU", "family_situation": "single", "family_quotient_source": "none"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Household.objects.get(name="NOUVEAU").code == "F-000104"


def test_families_menu_is_registered(client, superuser):
    login_staff(client, superuser)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Familles" in html


@pytest.mark.parametrize("name", VIEWSET_NAMES)
def test_parent_never_reaches_the_family_admin(client, demo_data, name):
    client.force_login(User.objects.get(email="marie.martin@example.org"))
    response = client.get(reverse(f"{name}:index"))
    assert response.status_code in (302, 403)
    assert "F-000101" not in response.content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("accounts_households:index"))
    assert response.status_code == 302


def test_staff_without_permission_is_refused(client, password, demo_data):
    roles.ensure_groups()
    communication = User.objects.create_user(email="comm@example.org", password=password, is_staff=True)
    communication.groups.add(Group.objects.get(name=roles.COMMUNICATION))
    login_staff(client, communication)
    for name in VIEWSET_NAMES:
        response = client.get(reverse(f"{name}:index"))
        assert response.status_code in (302, 403), name
        assert "F-000101" not in response.content.decode()


def test_agent_reads_and_changes_households_but_cannot_add_or_delete(client, agent, demo_data):
    login_staff(client, agent)
    household = Household.objects.get(code="F-000102")
    index = client.get(reverse("accounts_households:index"))
    assert index.status_code == 200
    assert "BERNARD-PETIT" in index.content.decode()
    assert client.get(reverse("accounts_households:edit", args=[household.pk])).status_code == 200
    assert client.get(reverse("accounts_households:add")).status_code in (302, 403)
    assert client.get(reverse("accounts_households:delete", args=[household.pk])).status_code in (302, 403)
    assert client.get(reverse("accounts_children:index")).status_code == 200
    assert client.get(reverse("accounts_guardians:index")).status_code == 200


def test_agent_changes_a_household(client, agent, demo_data):
    login_staff(client, agent)
    household = Household.objects.get(code="F-000103")
    old_phone = household.phone_home
    response = client.post(
        reverse("accounts_households:edit", args=[household.pk]),
        {
            "code": household.code,
            "name": household.name,
            "address_line1": household.address_line1,
            "postcode": household.postcode,
            "city": household.city,
            "phone_home": "03 27 99 99 99",
            "email": household.email,
            "family_situation": household.family_situation,
            "family_quotient_source": "none",
            "paper_only": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    household.refresh_from_db()
    assert household.phone_home == "03 27 99 99 99"
    assert household.paper_only and not household.is_resident

    # The change is in the audit trail: an agent acting for this family, before and after.
    from accounts.models import AuditEvent

    event = AuditEvent.objects.get(action=AuditEvent.Action.CONTACT_CHANGE)
    assert event.actor == agent and event.household_id == household.pk and event.acting_for_family
    assert event.before == {"phone_home": old_phone}
    assert event.after == {"phone_home": "03 27 99 99 99"}
    assert event.object_type == "accounts.household" and event.object_id == str(household.pk)


def test_saving_without_change_traces_nothing_and_a_child_change_is_traced(client, superuser, demo_data):
    from accounts.models import AuditEvent

    login_staff(client, superuser)
    child = Child.objects.get(first_name="Léa")
    url = reverse("accounts_children:edit", args=[child.pk])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data.update({"household": child.household_id, "birth_date": child.birth_date.isoformat()})
    assert client.post(url, data).status_code == 302
    assert not AuditEvent.objects.filter(object_type="accounts.child").exists()
    data["allergies"] = "arachide, kiwi"
    assert client.post(url, data).status_code == 302
    event = AuditEvent.objects.get(object_type="accounts.child")
    assert event.action == AuditEvent.Action.FAMILY_CHANGE and event.household_id == child.household_id
    assert event.after == {"allergies": "arachide, kiwi"}



def test_deleting_a_family_record_is_traced(client, superuser, demo_data):
    from accounts.models import AuditEvent, AuthorisedPerson

    login_staff(client, superuser)
    person = AuthorisedPerson.objects.filter(child__first_name="Léa").first()
    label, household_id = str(person), person.child.household_id
    response = client.post(reverse("accounts_authorised_persons:delete", args=[person.pk]))
    assert response.status_code == 302
    assert not AuthorisedPerson.objects.filter(pk=person.pk).exists()
    event = AuditEvent.objects.get(object_type="accounts.authorisedperson")
    assert event.before == {"record": label} and event.after is None
    assert event.household_id == household_id and "supprimé" in event.summary
