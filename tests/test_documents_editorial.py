"""Editorial documents (Wagtail documents): public collections public, the collection kept
for families behind login (Wagtail's collection privacy)."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from tests.fixtures_documents import make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def collections(db):
    root = Collection.get_first_root_node()
    public = root.add_child(name="Publics (test)")
    private = root.add_child(name="Familles (test)")
    CollectionViewRestriction.objects.create(collection=private, restriction_type=CollectionViewRestriction.LOGIN)
    return public, private


def add_document(collection, title):
    Document = get_document_model()
    document = Document(title=title, collection=collection)
    document.file.save(f"{title}.pdf", ContentFile(make_pdf(title)), save=False)
    document.save()
    return document


def read(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_public_document_is_served_to_anyone(client, collections):
    document = add_document(collections[0], "menus")
    response = client.get(document.url)
    assert response.status_code == 200 and read(response).startswith(b"%PDF-")


def test_a_family_document_needs_a_login(client, collections, family):
    document = add_document(collections[1], "livret")
    response = client.get(document.url)
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
    client.force_login(family.user)
    response = client.get(document.url)
    assert response.status_code == 200 and read(response).startswith(b"%PDF-")
    assert "no-store" in response["Cache-Control"] and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_a_subcollection_of_the_family_collection_is_private_too(client, collections):
    child = collections[1].add_child(name="Sous-dossier")
    document = add_document(child, "planning")
    assert client.get(document.url).status_code == 302


def test_behind_nginx_private_editorial_documents_use_x_accel_redirect(client, collections, family, settings):
    settings.SENDFILE_BACKEND = "documents.sendfile_nginx"
    settings.SENDFILE_ROOT = str(settings.MEDIA_ROOT)
    settings.SENDFILE_URL = "/_media/"
    document = add_document(collections[1], "contacts")
    client.force_login(family.user)
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/_media/" + document.file.name
    assert "no-store" in response["Cache-Control"]


def test_the_demo_has_public_and_family_documents(client, demo):
    Document = get_document_model()
    public = Document.objects.get(title="Menus de la restauration scolaire")
    private = Document.objects.get(title="Livret d'accueil du centre de loisirs (contacts des équipes)")
    assert client.get(public.url).status_code == 200
    assert client.get(private.url).status_code == 302
    assert Document.objects.filter(title="Notice d'information sur les données personnelles (PDF)").exists()
    assert Document.objects.filter(title__startswith="Règlement intérieur").count() == 2


def test_the_public_api_lists_only_public_documents(client, collections):
    public = add_document(collections[0], "menus-api")
    private = add_document(collections[1], "livret-api")
    titles = {item["title"] for item in client.get("/api/v2/documents/").json()["items"]}
    assert public.title in titles and private.title not in titles
