"""Sending a document: the upload screen, its limits and checks, the regulation gate, the
audit trail; nothing half-written when something is refused."""

import datetime
import html
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from accounts.models import AuditEvent
from documents.models import DocumentFile, SupportingDocument
from documents.uploads import UploadRefused, upload_document
from tests.fixtures_documents import make_jpeg, make_pdf, make_png, upload_file

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/fr/justificatifs/deposer/"


@pytest.fixture
def parent_client(client, family):
    client.force_login(family.user)
    return client


def text(response):
    return html.unescape(response.content.decode())


def post_upload(client, document_type, *files, child=None, **extra):
    data = {"type": document_type.code, "files": list(files), **extra}
    if child is not None:
        data["child"] = child.pk
    return client.post(UPLOAD_URL, data)


def test_the_upload_url_has_the_contract_name():
    assert reverse("documents:upload") == UPLOAD_URL


def test_the_screen_offers_the_camera_and_several_files(parent_client, family, certificate_type):
    response = parent_client.get(UPLOAD_URL, {"type": certificate_type.code, "child": family.child.pk,
                                              "next": "/fr/compte/"})
    assert response.status_code == 200
    assert response["Cache-Control"].count("no-store")
    body = text(response)
    assert 'accept="image/jpeg,image/png,application/pdf"' in body
    assert " multiple" in body and 'enctype="multipart/form-data"' in body
    # On a phone, a second input opens the camera (back camera) and adds its photo to the
    # same field: one more page of the document.
    assert ('<input type="file" name="files" id="id_camera" accept="image/jpeg,image/png" capture="environment"'
            in body)
    assert '<label for="id_camera">' in body and body.count('name="files"') == 2
    assert f'<option value="{certificate_type.code}" selected>' in body
    assert f'<option value="{family.child.pk}" selected>' in body
    assert 'name="next" value="/fr/compte/"' in body
    assert "Certificat médical" in body


def test_a_parent_sends_a_certificate_of_two_pages(parent_client, family, certificate_type):
    response = post_upload(parent_client, certificate_type, upload_file("page1.jpg", make_jpeg()),
                           upload_file("page 2.png", make_png()), child=family.child, next="/fr/compte/",
                           issued_on="2026-11-20")
    assert response.status_code == 302 and response["Location"] == "/fr/compte/"
    document = SupportingDocument.objects.get()
    assert (document.household, document.child, document.status) == (family.household, family.child, "pending")
    assert document.uploaded_by == family.user and document.issued_on == datetime.date(2026, 11, 20)
    files = list(document.files.order_by("position"))
    assert [(f.position, f.original_name, f.content_type) for f in files] == [
        (1, "page1.jpg", "image/jpeg"), (2, "page 2.png", "image/png")
    ]
    for f in files:
        path = Path(f.file.path)
        assert path.is_file() and path.stat().st_size == f.size
        # Server-generated name, under the private folder, never under MEDIA_ROOT.
        assert "page" not in path.name and len(path.stem) == 32
        assert Path(django_settings.PRIVATE_MEDIA_ROOT) in path.parents
        assert Path(django_settings.MEDIA_ROOT) not in path.parents
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOCUMENT)
    assert event.actor == family.user and event.household == family.household
    assert event.object_id == str(document.pk) and event.after["files"] == 2


def test_a_household_document_ignores_the_child(parent_client, family, address_type):
    response = post_upload(parent_client, address_type, upload_file("facture.pdf", make_pdf()), child=family.child)
    assert response.status_code == 302 and response["Location"] == reverse("documents:list")
    assert SupportingDocument.objects.get().child is None


def test_a_child_document_needs_the_child(parent_client, certificate_type):
    response = post_upload(parent_client, certificate_type, upload_file("c.pdf", make_pdf()))
    assert response.status_code == 400
    assert "Choisissez l'enfant concerné" in text(response)
    assert not SupportingDocument.objects.exists()


@pytest.mark.parametrize("name, content, message", [
    ("page.pdf", b"<html><script>alert(1)</script></html>", "ni un PDF"),
    ("image.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "ni un PDF"),
    ("photo.jpg", make_jpeg() + b"%PDF-1.4 hidden", "contient aussi un document PDF"),
], ids=["html-renamed-pdf", "svg", "jpeg-pdf-polyglot"])
def test_refused_files_change_nothing(parent_client, family, certificate_type, name, content, message):
    response = post_upload(parent_client, certificate_type, upload_file(name, content), child=family.child)
    assert response.status_code == 400
    body = text(response)
    assert message in body and "Le document n'a pas été envoyé" in body
    assert 'aria-invalid="true"' in body and 'aria-describedby="id_files-aide id_files-erreurs"' in body
    assert not SupportingDocument.objects.exists() and not DocumentFile.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOCUMENT).exists()


def stored_files():
    return {p for p in Path(django_settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file()}


def test_one_bad_page_refuses_the_whole_document(parent_client, family, certificate_type):
    before = stored_files()
    response = post_upload(parent_client, certificate_type, upload_file("ok.pdf", make_pdf()),
                           upload_file("bad.pdf", b"<html>"), child=family.child)
    assert response.status_code == 400 and "« bad.pdf »" in text(response)
    assert not SupportingDocument.objects.exists() and not DocumentFile.objects.exists()
    assert stored_files() == before


def test_an_oversize_file_is_refused_while_it_is_received(parent_client, family, certificate_type, settings):
    settings.PORTAL_DOCUMENTS_MAX_FILE_SIZE = 50_000
    big = make_pdf() + b"\n" * 60_000  # a valid PDF, made heavier
    response = post_upload(parent_client, certificate_type, upload_file("gros.pdf", big), child=family.child)
    assert response.status_code == 400
    # The handler's message (the file was skipped while received, the domain never saw it).
    assert "« gros.pdf » est trop lourd : 48,8\xa0Kio au plus par fichier." in text(response)
    assert not SupportingDocument.objects.exists()


def test_the_size_limit_holds_in_the_domain_function_too(family, certificate_type, settings):
    settings.PORTAL_DOCUMENTS_MAX_FILE_SIZE = 1000
    with pytest.raises(UploadRefused) as info:
        upload_document(family.user, household=family.household, document_type=certificate_type,
                        files=[upload_file("a.pdf", make_pdf() + b"\n" * 2000)], child=family.child)
    assert "trop lourd" in info.value.messages[0]


def test_too_many_files_are_refused(parent_client, family, certificate_type, settings):
    settings.PORTAL_DOCUMENTS_MAX_FILES = 2
    pdf = make_pdf()
    response = post_upload(parent_client, certificate_type, *[upload_file(f"{i}.pdf", pdf) for i in range(3)],
                           child=family.child)
    assert response.status_code == 400 and "2 fichiers au plus" in text(response)
    assert not SupportingDocument.objects.exists()


def test_the_household_quota_is_enforced(family, certificate_type, address_type, settings):
    pdf = make_pdf()
    settings.PORTAL_DOCUMENTS_HOUSEHOLD_QUOTA = len(pdf) * 3
    upload_document(family.user, household=family.household, document_type=address_type,
                    files=[upload_file("a.pdf", pdf), upload_file("b.pdf", pdf)])
    with pytest.raises(UploadRefused) as info:
        upload_document(family.user, household=family.household, document_type=certificate_type,
                        files=[upload_file("c.pdf", pdf), upload_file("d.pdf", pdf)], child=family.child)
    assert "L'espace réservé à votre foyer est plein" in info.value.messages[0]
    assert SupportingDocument.objects.count() == 1


def test_uploads_per_hour_are_limited(family, certificate_type, settings):
    settings.PORTAL_DOCUMENTS_UPLOADS_PER_HOUR = 2
    for child in (family.child, family.other_child):
        upload_document(family.user, household=family.household, document_type=certificate_type,
                        files=[upload_file("c.pdf", make_pdf())], child=child)
    SupportingDocument.objects.all().delete()  # deleting does not give the uploads back
    with pytest.raises(UploadRefused) as info:
        upload_document(family.user, household=family.household, document_type=certificate_type,
                        files=[upload_file("c.pdf", make_pdf())], child=family.child)
    assert "dans l'heure" in info.value.messages[0]


def test_one_pending_document_per_type_and_child(family, certificate_type):
    upload_document(family.user, household=family.household, document_type=certificate_type,
                    files=[upload_file("c.pdf", make_pdf())], child=family.child)
    with pytest.raises(UploadRefused) as info:
        upload_document(family.user, household=family.household, document_type=certificate_type,
                        files=[upload_file("c.pdf", make_pdf())], child=family.child)
    assert "attend déjà d'être examinée" in info.value.messages[0]
    # Another child is another slot.
    upload_document(family.user, household=family.household, document_type=certificate_type,
                    files=[upload_file("c.pdf", make_pdf())], child=family.other_child)


def test_the_regulation_gate_comes_first(parent_client, family, certificate_type, monkeypatch):
    message = "Vous devez accepter la nouvelle version du règlement avant toute démarche."
    monkeypatch.setattr("documents.uploads.acceptance_refusal", lambda user: message)
    monkeypatch.setattr("documents.views.acceptance_refusal", lambda user: message)
    page = parent_client.get(UPLOAD_URL)
    assert message in page.content.decode() and 'type="file"' not in page.content.decode()
    response = post_upload(parent_client, certificate_type, upload_file("c.pdf", make_pdf()), child=family.child)
    assert response.status_code == 400
    assert not SupportingDocument.objects.exists()


def test_a_paper_household_sends_nothing_online(parent_client, family, certificate_type):
    family.household.paper_only = True
    family.household.save()
    assert "démarches papier" in parent_client.get(UPLOAD_URL).content.decode()
    response = post_upload(parent_client, certificate_type, upload_file("c.pdf", make_pdf()), child=family.child)
    assert response.status_code == 400
    assert not SupportingDocument.objects.exists()


def test_another_households_child_gives_404_and_changes_nothing(parent_client, other_family, certificate_type):
    assert parent_client.get(UPLOAD_URL, {"child": other_family.child.pk}).status_code == 404
    response = post_upload(parent_client, certificate_type, upload_file("c.pdf", make_pdf()), child=other_family.child)
    assert response.status_code == 404
    assert not SupportingDocument.objects.exists()


def test_a_child_without_view_right_is_not_reachable(parent_client, family, certificate_type):
    family.guardian.child_rights.filter(child=family.other_child).update(can_view=False, can_book=False,
                                                                           can_pay=False)
    response = post_upload(parent_client, certificate_type, upload_file("c.pdf", make_pdf()),
                           child=family.other_child)
    assert response.status_code == 404
    assert not SupportingDocument.objects.exists()


def test_posted_extra_fields_change_nothing(parent_client, family, other_family, certificate_type):
    response = post_upload(parent_client, certificate_type, upload_file("c.pdf", make_pdf()), child=family.child,
                           status="accepted", household=other_family.household.pk, valid_until="2099-01-01",
                           uploaded_by=other_family.user.pk, accept="on")
    assert response.status_code == 302
    document = SupportingDocument.objects.get()
    assert document.status == "pending" and document.valid_until is None
    assert document.household == family.household and document.uploaded_by == family.user


def test_a_parent_cannot_validate_through_the_domain_function(family, certificate_type):
    with pytest.raises(UploadRefused):
        upload_document(family.user, household=family.household, document_type=certificate_type,
                        files=[upload_file("c.pdf", make_pdf())], child=family.child, accept=True)
    assert not SupportingDocument.objects.exists()


def test_next_must_stay_on_the_site(parent_client, family, address_type):
    for evil in ("https://evil.example.org/", "//evil.example.org/", "javascript:alert(1)"):
        response = post_upload(parent_client, address_type, upload_file("a.pdf", make_pdf()), next=evil)
        assert response.status_code == 302 and response["Location"] == reverse("documents:list"), evil
        SupportingDocument.objects.all().delete()


def test_anonymous_users_go_to_the_login_page(client, certificate_type):
    response = client.get(UPLOAD_URL)
    assert response.status_code == 302 and "/fr/compte/connexion/" in response["Location"]
    response = client.post(UPLOAD_URL, {"type": certificate_type.code})
    assert response.status_code == 302 and not SupportingDocument.objects.exists()


def test_the_upload_needs_the_csrf_token(family, certificate_type):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(family.user)
    response = post_upload(client, certificate_type, upload_file("c.pdf", make_pdf()), child=family.child)
    assert response.status_code == 403
    assert not SupportingDocument.objects.exists()


def test_the_files_of_a_failed_transaction_are_removed(family, certificate_type, monkeypatch):
    from accounts import audit

    def broken_record(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(audit, "record", broken_record)
    before = stored_files()
    with pytest.raises(RuntimeError):
        upload_document(family.user, household=family.household, document_type=certificate_type,
                        files=[upload_file("c.pdf", make_pdf())], child=family.child)
    assert not SupportingDocument.objects.exists()
    assert stored_files() == before


def test_the_english_screen(parent_client, family):
    response = parent_client.get("/en/justificatifs/deposer/")
    assert response.status_code == 200
    body = text(response)
    assert "Send a supporting document" in body and "Document type" in body
