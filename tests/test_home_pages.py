"""Editorial pages: home (alerts, news), service pages, assistance, search, the content
API, the site-wide templates."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import AuditEvent
from home.models import AssistanceRequest, HomePage, NewsPage, ServicePage
from tests.fixtures_accounts import login_staff

pytestmark = pytest.mark.django_db


def test_home_page_shows_the_alert_until_its_end_and_the_latest_news(client, demo):
    home = HomePage.objects.get()
    home.alert = "Fermeture exceptionnelle de la cantine vendredi."
    home.alert_until = timezone.now() + datetime.timedelta(days=1)
    home.save_revision().publish()
    html = client.get("/fr/").content.decode()
    assert "Fermeture exceptionnelle de la cantine vendredi." in html
    assert "Payez vos factures en ligne avec PayFiP" in html and 'datetime="2026-10-05"' in html
    assert html.index("Centre de loisirs : les inscriptions") < html.index("Payez vos factures en ligne")
    home.alert_until = timezone.now() - datetime.timedelta(minutes=1)
    home.save_revision().publish()
    assert "Fermeture exceptionnelle" not in client.get("/fr/").content.decode()


def test_news_index_lists_articles_newest_first_with_dates(client, demo):
    index_url = NewsPage.objects.first().get_parent().url
    html = client.get(index_url).content.decode()
    assert html.index("Centre de loisirs : les inscriptions") < html.index("Payez vos factures")
    assert "16 novembre 2026" in html
    article = client.get(NewsPage.objects.get(slug="paiement-en-ligne-payfip").url).content.decode()
    assert "Publiée le" in article and "5 octobre 2026" in article


def test_a_service_page_shows_a_logged_in_parent_the_way_into_its_screens(client, demo):
    page = ServicePage.objects.get(slug="restauration-scolaire", locale__language_code="fr")
    anonymous = client.get(page.url).content.decode()
    assert f"/fr/compte/connexion/?next={page.url}espace/" in anonymous
    client.post("/fr/compte/connexion/", {"username": "marie.martin@example.org", "password": DEMO_PASSWORD})
    html = client.get(page.url).content.decode()
    assert f'href="{page.url}espace/"' in html
    assert "Horaires" in html and "Pièces à fournir" in html and "Règlement intérieur" in html


def test_every_page_has_the_landmarks_skip_link_and_footer_links(client, demo):
    for url in ("/fr/", "/fr/reglement/", "/fr/assistance/", "/fr/portail/recherche/?q=cantine", "/fr/inconnue/"):
        response = client.get(url)
        html = response.content.decode()
        assert '<a class="skip-link" href="#contenu">' in html, url
        assert '<main id="contenu"' in html and "<header" in html and "<footer" in html, url
        assert 'role="search"' in html and 'aria-label="Menu principal"' in html, url
        assert "Accessibilité : partiellement conforme" in html and "Données personnelles" in html, url


def test_english_interface_on_english_urls(client, demo):
    html = client.get("/en/portail/recherche/?q=x").content.decode()
    assert '<html lang="en">' in html and "Skip to content" in html and "Search the portal" in html


class TestAssistance:
    def post(self, client, **data):
        form = {"name": "Marie Martin", "email": "marie.martin@example.org", "household_name": "MARTIN",
                "topic": "invoice", "message": "Ma facture de novembre compte un repas de trop."}
        form.update(data)
        return client.post("/fr/assistance/", form, REMOTE_ADDR="198.51.100.7")

    def test_a_request_is_stored_numbered_emailed_and_traced(self, client, demo, django_capture_on_commit_callbacks):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = self.post(client)
        assert response.status_code == 302
        item = AssistanceRequest.objects.get()
        assert item.reference == f"AS-{timezone.localdate():%Y}-{item.pk:06d}"
        assert item.ip_address == "198.51.100.7" and item.status == "new"
        page = client.get(response["Location"])
        assert f"Votre demande porte le numéro {item.reference}" in page.content.decode()
        assert page["Cache-Control"] == "no-store"
        to_commune = next(m for m in mail.outbox if m.to == ["assistance-portail@example.org"])
        assert item.reference in to_commune.subject and "un repas de trop" in to_commune.body
        assert to_commune.reply_to == ["marie.martin@example.org"]
        ack = next(m for m in mail.outbox if m.to == ["marie.martin@example.org"])
        assert item.reference in ack.subject and "un repas de trop" not in ack.body
        event = AuditEvent.objects.get(action=AuditEvent.Action.ASSISTANCE_REQUEST)
        assert event.object_id == str(item.pk) and item.reference in event.summary

    def test_errors_are_in_french_tied_to_their_field_and_nothing_is_stored(self, client, demo):
        response = self.post(client, email="pas-une-adresse", message="", topic="n-importe-quoi")
        html = response.content.decode()
        assert response.status_code == 200
        assert "Indiquez une adresse e-mail valide" in html and "Écrivez votre message." in html
        assert "Choisissez un sujet de la liste." in html
        assert 'aria-describedby="id_email_aide id_email_erreur"' in html and 'aria-invalid="true"' in html
        assert 'class="error-summary" role="alert"' in html
        assert not AssistanceRequest.objects.exists()

    def test_posted_extra_fields_change_nothing(self, client, demo):
        self.post(client, status="answered", staff_note="x", reference="AS-1", user="1")
        item = AssistanceRequest.objects.get()
        assert item.status == "new" and item.staff_note == "" and item.user_id is None
        assert item.reference != "AS-1"

    def test_rate_limited(self, client, demo):
        for number in range(5):
            assert self.post(client, email=f"p{number}@example.org").status_code == 302
        response = self.post(client, email="autre@example.org")
        assert response.status_code == 200
        assert "plusieurs demandes en peu de temps" in response.content.decode()
        assert AssistanceRequest.objects.count() == 5

    def test_csrf_is_required(self, demo):
        from django.test import Client

        response = Client(enforce_csrf_checks=True).post("/fr/assistance/", {"name": "x"})
        assert response.status_code == 403

    def test_staff_see_the_requests_in_the_admin(self, client, demo):
        from accounts.models import User

        self.post(client)
        item = AssistanceRequest.objects.get()
        login_staff(client, User.objects.get(email="agent@example.org"))
        response = client.get("/admin/assistance_requests/")
        assert response.status_code == 200 and item.reference in response.content.decode()
        login_staff(client, User.objects.get(email="regisseur@example.org"))
        assert client.get("/admin/assistance_requests/").status_code in (302, 403)


class TestSearch:
    def test_search_finds_pages_and_never_drafts(self, client, demo):
        page = ServicePage.objects.get(slug="restauration-scolaire", locale__language_code="fr")
        page.summary = "Brouillon secret zygomorphe"
        page.save_revision()
        html = client.get("/fr/portail/recherche/?q=repas").content.decode()
        assert "/fr/restauration-scolaire/" in html
        html = client.get("/fr/portail/recherche/?q=zygomorphe").content.decode()
        assert "Résultats pour « zygomorphe » : 0" in html

    def test_search_finds_a_service_by_its_name(self, client, demo):
        html = client.get("/fr/portail/recherche/?q=Quartier").content.decode()
        assert "Quartier Libre" in html and "/fr/quartier-libre/" in html

    @pytest.mark.postgres
    def test_french_word_forms_find_their_page_on_postgresql(self, client, demo):
        if connection.vendor != "postgresql":
            pytest.skip("French stemming is the PostgreSQL full-text search (CI runs it there)")
        # "allergies" is written on the canteen page; the singular finds it through stemming.
        html = client.get("/fr/portail/recherche/?q=allergie").content.decode()
        assert "/fr/restauration-scolaire/" in html
        html = client.get("/fr/portail/recherche/?q=réserver").content.decode()
        assert " : 0</h2>" not in html

    @pytest.mark.postgres
    def test_a_plural_finds_the_singular_through_french_stemming(self, client, demo, settings):
        """"inscriptions" finds a page that only says "inscription" (PostgreSQL's French
        configuration); an unrelated word finds nothing."""
        if connection.vendor != "postgresql":
            pytest.skip("French stemming is the PostgreSQL full-text search (CI runs it there)")
        from home.models import StandardPage
        from home.search import searchable_pages

        assert settings.WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] == "french"
        home = HomePage.objects.get(locale__language_code="fr")
        page = home.add_child(instance=StandardPage(
            title="Conservatoire de xylophone", slug="conservatoire-xylophone",
            body="<p>Modalité d'inscription au conservatoire de xylophone.</p>"))
        page.save_revision().publish()
        found = list(searchable_pages("fr").search("inscriptions xylophones", operator="and"))
        assert [p.pk for p in found] == [page.pk]
        assert not list(searchable_pages("fr").search("xylophonistes inexistants", operator="and"))
        html = client.get("/fr/portail/recherche/?q=xylophones").content.decode()
        assert "/fr/conservatoire-xylophone/" in html


class TestContentAPI:
    def test_service_pages_news_and_the_regulation_with_its_version(self, client, demo, new_regulation_version):
        new_regulation_version()
        data = client.get("/api/v2/pages/?type=home.ServicePage&fields=service_code,hours,summary").json()
        assert data["meta"]["total_count"] == 7
        codes = {item["service_code"] for item in data["items"]}
        assert "restauration-scolaire" in codes
        news = client.get("/api/v2/pages/?type=home.NewsPage&fields=date,intro").json()
        assert {item["date"] for item in news["items"]} == {"2026-11-16", "2026-10-05"}
        regulation = client.get("/api/v2/pages/?type=home.RegulationPage&fields=version_number,version_published_at,body").json()
        (item,) = regulation["items"]
        assert item["version_number"] == 2 and "Article 9" in item["body"]

    def test_read_only(self, client, demo):
        page = ServicePage.objects.first()
        for method in ("post", "put", "patch", "delete"):
            for url in ("/api/v2/pages/", f"/api/v2/pages/{page.pk}/"):
                response = getattr(client, method)(url, {"title": "x"}, content_type="application/json")
                assert response.status_code == 405, (method, url)
        page.refresh_from_db()
        assert page.title != "x"

    def test_no_draft_or_private_content(self, client, demo):
        from wagtail.models import PageViewRestriction

        page = ServicePage.objects.get(slug="quartier-libre", locale__language_code="fr")
        page.summary = "Texte en brouillon"
        page.save_revision()
        detail = client.get(f"/api/v2/pages/{page.pk}/").json()
        assert detail["summary"] != "Texte en brouillon"
        hidden = ServicePage.objects.get(slug="centre-de-loisirs", locale__language_code="fr")
        PageViewRestriction.objects.create(page=hidden, restriction_type="login")
        # (a 404 outside the language prefix is redirected to the prefixed URL, itself a 404)
        assert client.get(f"/api/v2/pages/{hidden.pk}/", follow=True).status_code == 404
        draft = ServicePage.objects.get(slug="location-de-salle", locale__language_code="fr")
        draft.unpublish()
        assert client.get(f"/api/v2/pages/{draft.pk}/", follow=True).status_code == 404
        data = client.get("/api/v2/pages/?type=home.ServicePage").json()
        assert data["meta"]["total_count"] == 5


def test_home_page_queries_do_not_grow_with_its_content(client, demo, django_assert_max_num_queries):
    client.post("/fr/compte/connexion/", {"username": "marie.martin@example.org", "password": DEMO_PASSWORD})
    client.get("/fr/")
    with django_assert_max_num_queries(30) as queries:
        client.get("/fr/")
    before = len(queries)
    index = NewsPage.objects.first().get_parent()
    for number in range(4):
        index.add_child(instance=NewsPage(title=f"Actualité {number}", slug=f"actu-{number}", body="<p>x</p>"))
    with django_assert_max_num_queries(before):
        client.get("/fr/")
