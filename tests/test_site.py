"""The demo commune, the site tree, the staff roles and who may reach the admin."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Page

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from accounts.roles import AGENTS, CASHIERS, COMMUNICATION, LEGAL
from home.models import AssistancePage, HomePage, PrivacyNoticePage, RegulationPage, ServicePage, StandardPage
from tests.fixtures_accounts import login_staff

SEVEN_SERVICES = [
    "Restauration scolaire",
    "Accueil périscolaire",
    "Etablissements scolaires du premier degré",
    "Centre de loisirs",
    "Quartier Libre",
    "Ecoles municipales culturelles et de sport",
    "Location de salle",
]


def test_the_four_staff_groups_exist_after_migrate(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert {COMMUNICATION, LEGAL, AGENTS, CASHIERS} <= names
    assert not names & {"Moderators", "Editors"}


def test_agents_and_cashiers_have_their_own_apps_only(db):
    agents = {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=AGENTS).permissions.all()}
    cashiers = {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=CASHIERS).permissions.all()}
    assert "wagtailadmin.access_admin" in agents and "wagtailadmin.access_admin" in cashiers
    assert "services.change_service" in agents and "services.change_service" not in cashiers
    assert not any(p.startswith("billing.") for p in agents)
    assert not any(p.startswith("auth.") for p in agents | cashiers)  # nobody hands out rights
    assert not any(p.startswith("accounts.delete_") for p in agents | cashiers)


class TestDemo:
    def test_home_page_in_french_lists_the_seven_services(self, client, demo):
        response = client.get("/fr/")
        assert response.status_code == 200
        html = response.content.decode()
        assert '<html lang="fr">' in html
        assert "Aulnoy-lez-Valenciennes" in html
        for name in SEVEN_SERVICES:
            assert name in html, name
        assert ServicePage.objects.live().count() == 7

    def test_root_url_redirects_to_the_french_site(self, client, demo):
        response = client.get("/")
        assert response.status_code == 302 and response["Location"] == "/fr/"

    def test_site_tree(self, demo):
        home = HomePage.objects.get()
        children = {type(p.specific) for p in home.get_children().live()}
        assert {ServicePage, RegulationPage, PrivacyNoticePage, AssistancePage, StandardPage} <= children
        assert Page.objects.filter(title__startswith="Welcome to your new Wagtail site").count() == 0

    def test_regulation_version_1_follows_the_articles(self, client, demo):
        regulation = RegulationPage.objects.get()
        assert regulation.revisions.count() == 1
        html = client.get(regulation.url).content.decode()
        for heading in ("Article 1", "Article 3 — Acceptation", "5.4 Droit d'opposition", "Article 8 — Assistance"):
            assert heading in html

    def test_footer_links_to_the_regulation_and_the_privacy_notice(self, client, demo):
        html = client.get("/fr/").content.decode()
        assert RegulationPage.objects.get().url in html
        assert PrivacyNoticePage.objects.get().url in html

    def test_rerunning_creates_no_duplicates(self, demo):
        counts = (Page.objects.count(), User.objects.count(), Group.objects.count())
        call_command("load_demo", verbosity=0)
        assert (Page.objects.count(), User.objects.count(), Group.objects.count()) == counts
        assert RegulationPage.objects.get().revisions.count() == 1

    def test_every_demo_email_is_example_org(self, demo):
        assert User.objects.exists()
        assert not User.objects.exclude(email__endswith="@example.org").exists()

    def test_one_login_per_staff_role(self, demo):
        for group in (COMMUNICATION, LEGAL, AGENTS, CASHIERS):
            staff = User.objects.filter(groups__name=group)
            assert staff.count() == 1
            assert staff.get().check_password(DEMO_PASSWORD)

    def test_the_command_prints_the_demo_logins(self, db, capsys):
        call_command("load_demo")
        out = capsys.readouterr().out
        assert "marie.martin@example.org" in out and "agent@example.org" in out and DEMO_PASSWORD in out


class TestAdminAccess:
    def test_a_parent_never_reaches_the_admin(self, client, demo, login):
        login("marie.martin@example.org", DEMO_PASSWORD)
        response = client.get("/admin/")
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "/admin/" not in response["Location"].split("?")[0] or "login" in response["Location"]
        assert client.get("/admin/pages/").status_code in (302, 403)

    @pytest.mark.parametrize("email", ["agent@example.org", "regisseur@example.org", "communication@example.org"])
    def test_staff_reach_the_admin(self, client, demo, email):
        login_staff(client, User.objects.get(email=email))
        assert client.get("/admin/").status_code == 200

    def _edit_url(self, page):
        return f"/admin/pages/{page.pk}/edit/"

    def test_communication_edits_service_pages_but_not_the_regulation(self, client, demo):
        login_staff(client, User.objects.get(email="communication@example.org"))
        service_page = ServicePage.objects.first()
        assert client.get(self._edit_url(service_page)).status_code == 200
        for legal in (RegulationPage.objects.get(), PrivacyNoticePage.objects.get()):
            response = client.get(self._edit_url(legal))
            assert response.status_code in (302, 403), legal
            perms = legal.permissions_for_user(User.objects.get(email="communication@example.org"))
            assert not perms.can_edit() and not perms.can_publish()

    def test_communication_cannot_create_a_regulation_page(self, client, demo):
        login_staff(client, User.objects.get(email="communication@example.org"))
        home = HomePage.objects.get()
        response = client.get(f"/admin/pages/add/home/regulationpage/{home.pk}/")
        assert response.status_code in (302, 403)
        assert client.get(f"/admin/pages/add/home/standardpage/{home.pk}/").status_code == 200

    def test_legal_staff_edit_and_publish_the_regulation_only(self, client, demo):
        legal = User.objects.get(email="juridique@example.org")
        login_staff(client, legal)
        regulation = RegulationPage.objects.get()
        assert client.get(self._edit_url(regulation)).status_code == 200
        assert regulation.permissions_for_user(legal).can_publish()
        service_page = ServicePage.objects.first()
        assert client.get(self._edit_url(service_page)).status_code in (302, 403)

    def test_agents_cannot_edit_pages(self, client, demo):
        login_staff(client, User.objects.get(email="agent@example.org"))
        assert client.get(self._edit_url(ServicePage.objects.first())).status_code in (302, 403)


def test_wagtail_content_api_is_public_and_read_only(client, demo):
    response = client.get("/api/v2/pages/?type=home.ServicePage&fields=title")
    assert response.status_code == 200
    assert response.json()["meta"]["total_count"] == 7
    assert client.post("/api/v2/pages/", {"title": "x"}).status_code in (403, 405)


@pytest.mark.django_db(transaction=True)
def test_demo_loads_on_a_flushed_database(client):
    """Wagtail's root page, site and locales come from its migrations; after a flush
    (as between live-server tests) the demo rebuilds them."""
    call_command("flush", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=0)
    response = client.get("/fr/")
    assert response.status_code == 200
    assert "Restauration scolaire" in response.content.decode()


def test_footer_links_cost_one_query(demo, rf, django_assert_num_queries):
    from django.utils import translation

    from home.templatetags.portal_tags import footer_links

    footer_links({})  # warm the content-type cache
    with translation.override("fr"), django_assert_num_queries(1):
        links = footer_links({})
    assert set(links) == {"regulation", "privacy", "assistance", "accessibility"}
    assert links["regulation"].pk == RegulationPage.objects.get().pk


def test_legal_staff_get_rights_on_a_legal_page_created_later(demo):
    """A commune that creates its privacy notice after installation: legal staff can edit
    it at once, communication staff still cannot."""
    PrivacyNoticePage.objects.get().delete()
    home = HomePage.objects.get()
    notice = PrivacyNoticePage(title="Nouvelle notice", slug="notice", body="<p>Texte</p>")
    home.add_child(instance=notice)
    assert notice.permissions_for_user(User.objects.get(email="juridique@example.org")).can_edit()
    assert not notice.permissions_for_user(User.objects.get(email="communication@example.org")).can_edit()


def test_the_name_in_the_site_settings_is_refused_in_passwords(demo):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from wagtail.models import Site

    from home.models import CommuneSettings

    settings = CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    settings.commune_name = "Trifouillis-les-Oies"
    settings.save()
    with pytest.raises(ValidationError):
        validate_password("vive-trifouillis-2026")
