"""Who sees and downloads which document: the household's guardians (with the view right on
the child concerned) and authorised staff; everybody else gets 404. Private files are
never under a public URL."""

import html
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.conf.urls.static import static
from django.urls import reverse

from accounts.models import AuditEvent
from documents.models import DocumentFile, SupportingDocument
from tests.fixtures_documents import make_jpeg, make_pdf

pytestmark = pytest.mark.django_db


def download_url(document_file):
    return reverse("documents:download", args=[document_file.pk])


def text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def certificate(family, certificate_type, make_document):
    return make_document(family.household, certificate_type, child=family.child,
                         files=[("Certificat médical Léa.pdf", make_pdf()), ("verso.jpg", make_jpeg())])


def test_a_guardian_downloads_with_the_safe_headers(client, family, certificate):
    client.force_login(family.user)
    first = certificate.files.get(position=1)
    response = client.get(download_url(first))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == Path(first.file.path).read_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Certificat medical Lea.pdf\"; "
        "filename*=UTF-8''Certificat%20m%C3%A9dical%20L%C3%A9a.pdf"
    )
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "X-Accel-Redirect" not in response
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOCUMENT_DOWNLOAD)
    assert event.actor == family.user and event.household == family.household
    assert event.object_id == str(certificate.pk) and event.after["file"] == first.pk


def test_behind_nginx_the_file_is_handed_over_with_x_accel_redirect(client, family, certificate, settings):
    settings.PORTAL_DOCUMENTS_ACCEL_REDIRECT_PREFIX = "/_prive/"
    client.force_login(family.user)
    second = certificate.files.get(position=2)
    response = client.get(download_url(second))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/_prive/" + second.file.name
    assert response.content == b""
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith('attachment; filename="verso.jpg"')
    assert "no-store" in response["Cache-Control"] and response["X-Content-Type-Options"] == "nosniff"


def test_another_household_gets_404(client, other_family, certificate):
    client.force_login(other_family.user)
    for document_file in certificate.files.all():
        assert client.get(download_url(document_file)).status_code == 404
    assert client.get(reverse("documents:delete", args=[certificate.pk])).status_code == 404
    assert client.post(reverse("documents:delete", args=[certificate.pk])).status_code == 404
    assert SupportingDocument.objects.filter(pk=certificate.pk).exists()
    assert "Certificat médical Léa.pdf" not in text(client.get(reverse("documents:list")))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOCUMENT_DOWNLOAD).exists()


def test_a_guardian_without_view_right_on_the_child_gets_404(client, family, certificate, password):
    from accounts.models import Guardian, GuardianChildRight, User

    # The second guardian (separated parents) holds rights on the other child only.
    second = User.objects.create_user(email="second@example.org", password=password)
    guardian = Guardian.objects.create(household=family.household, user=second, first_name="B", last_name="B")
    GuardianChildRight.objects.create(guardian=guardian, child=family.other_child, can_view=True)
    client.force_login(second)
    assert client.get(download_url(certificate.files.first())).status_code == 404
    assert "Certificat médical Léa.pdf" not in text(client.get(reverse("documents:list")))


def test_household_documents_are_seen_by_every_guardian_of_the_household(
        client, family, address_type, make_document, password):
    from accounts.models import Guardian, User

    document = make_document(family.household, address_type)
    second = User.objects.create_user(email="second@example.org", password=password)
    Guardian.objects.create(household=family.household, user=second, first_name="B", last_name="B")
    client.force_login(second)
    assert client.get(download_url(document.files.first())).status_code == 200


def test_anonymous_visitors_go_to_the_login_page(client, certificate):
    response = client.get(download_url(certificate.files.first()))
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]


def test_a_direct_media_url_of_a_private_file_gets_404(client, family, certificate, settings):
    """Even where MEDIA_ROOT is served as it is in development (DEBUG), the private files
    are elsewhere: neither their name below /media/ nor a path climbing out of it reaches
    them."""
    import portal.urls

    settings.ROOT_URLCONF = type("urls", (), {
        "urlpatterns": static(django_settings.MEDIA_URL, document_root=django_settings.MEDIA_ROOT, show_indexes=True)
        + portal.urls.urlpatterns
    })
    settings.DEBUG = True
    document_file = certificate.files.first()
    private = Path(django_settings.PRIVATE_MEDIA_ROOT).resolve()
    media = Path(django_settings.MEDIA_ROOT).resolve()
    assert media not in Path(document_file.file.path).resolve().parents
    client.force_login(family.user)
    relative_to_media = Path(document_file.file.path).resolve()
    climbing = "/".join([".."] * len(media.parts)) + str(relative_to_media)
    for url in (
        f"/media/{document_file.file.name}",
        f"/media/{Path(document_file.file.name).name}",
        f"/media/{climbing}",
        f"/media/%2e%2e/{private.name}/{document_file.file.name}",
    ):
        assert client.get(url).status_code == 404, url
    with pytest.raises(ValueError):
        document_file.file.url  # private files have no URL at all


def test_the_private_root_is_never_below_a_public_folder(settings):
    from documents.checks_system import private_media_root_is_private

    assert private_media_root_is_private(None) == []
    settings.PORTAL_DOCUMENTS_ACCEL_REDIRECT_PREFIX = "_prive"
    assert [e.id for e in private_media_root_is_private(None)] == ["documents.E003"]
    settings.PORTAL_DOCUMENTS_ACCEL_REDIRECT_PREFIX = ""
    settings.PRIVATE_MEDIA_ROOT = Path(settings.MEDIA_ROOT) / "private"
    assert [e.id for e in private_media_root_is_private(None)] == ["documents.E002"]


def test_the_list_shows_states_reasons_and_files(client, family, certificate_type, address_type, make_document):
    import datetime

    make_document(family.household, certificate_type, child=family.child, status="rejected",
                  reason="Le certificat n'est pas signé.")
    make_document(family.household, address_type, status="accepted", valid_until=datetime.date(2020, 1, 1))
    make_document(family.household, certificate_type, child=family.other_child, status="accepted",
                  valid_until=datetime.date(2099, 1, 1))
    client.force_login(family.user)
    response = client.get(reverse("documents:list"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    body = text(response)
    assert "Refusée" in body and "Le certificat n'est pas signé." in body
    assert "Expirée : elle était valable jusqu'au 1 janvier 2020" in body
    assert "Validée, valable jusqu'au 1 janvier 2099" in body
    assert body.count("scan.pdf") == 3
    assert "<caption>" in body and 'scope="col"' in body


def test_the_list_query_count_does_not_grow(client, family, certificate_type, make_document,
                                            django_assert_max_num_queries):
    client.force_login(family.user)
    make_document(family.household, certificate_type, child=family.child)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("documents:list"))
    for child in (family.child, family.other_child):
        for status in ("accepted", "rejected"):
            make_document(family.household, certificate_type, child=child, status=status,
                          files=[("a.pdf", make_pdf()), ("b.pdf", make_pdf())])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("documents:list"))


def test_a_parent_deletes_a_pending_document_and_its_files(client, family, certificate):
    client.force_login(family.user)
    paths = [Path(f.file.path) for f in certificate.files.all()]
    assert client.get(reverse("documents:delete", args=[certificate.pk])).status_code == 200
    response = client.post(reverse("documents:delete", args=[certificate.pk]))
    assert response.status_code == 302
    assert not SupportingDocument.objects.filter(pk=certificate.pk).exists()
    assert not DocumentFile.objects.filter(document_id=certificate.pk).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOCUMENT_DELETION)
    assert event.actor == family.user and event.before["status"] == "pending" and event.after["reason"] == "parent"
    # The files go once the transaction commits (the test transaction never commits: done by hand).
    assert all(p.exists() for p in paths)


def test_files_leave_the_disk_when_the_deletion_commits(family, certificate, django_capture_on_commit_callbacks):
    from documents.uploads import delete_document

    paths = [Path(f.file.path) for f in certificate.files.all()]
    with django_capture_on_commit_callbacks(execute=True):
        delete_document(family.user, certificate)
    assert not any(p.exists() for p in paths)


def test_a_validated_document_cannot_be_deleted_by_the_parent(client, family, certificate_type, make_document):
    document = make_document(family.household, certificate_type, child=family.child, status="accepted")
    client.force_login(family.user)
    response = client.post(reverse("documents:delete", args=[document.pk]))
    assert response.status_code == 302
    assert SupportingDocument.objects.filter(pk=document.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOCUMENT_DELETION).exists()


def test_a_refused_document_can_be_deleted_by_the_parent(client, family, certificate_type, make_document):
    document = make_document(family.household, certificate_type, child=family.child, status="rejected")
    client.force_login(family.user)
    assert client.post(reverse("documents:delete", args=[document.pk])).status_code == 302
    assert not SupportingDocument.objects.filter(pk=document.pk).exists()


def test_the_space_links_to_the_documents(client, family):
    client.force_login(family.user)
    body = text(client.get(reverse("accounts:space")))
    assert f'href="{reverse("documents:list")}"' in body and "Mes justificatifs" in body
