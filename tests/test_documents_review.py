"""Validation by agents in the Wagtail admin: the queue, the preview through the checked
view, accept (validity from the type, editable) or reject with a reason; the parent is
told by e-mail in their language; everything traced."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from documents.models import SupportingDocument
from documents.review import ReviewRefused, accept_document, reject_document
from tests.fixtures_documents import make_jpeg, make_pdf, upload_file
from tests.fixtures_accounts import login_staff

pytestmark = pytest.mark.django_db

QUEUE = "/admin/justificatifs/"


def text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def agent_client(client, agent):
    login_staff(client, agent)
    return client


@pytest.fixture
def pending(family, certificate_type, make_document):
    return make_document(family.household, certificate_type, child=family.child,
                         files=[("recto.jpg", make_jpeg()), ("verso.pdf", make_pdf())])


def test_the_queue_lists_documents_awaiting_validation_oldest_first(agent_client, family, certificate_type,
                                                                    make_document):
    now = timezone.now()
    older = make_document(family.household, certificate_type, child=family.child,
                          uploaded_at=now - datetime.timedelta(days=3))
    newer = make_document(family.household, certificate_type, child=family.other_child, uploaded_at=now)
    make_document(family.household, certificate_type, child=family.child, status="accepted")
    response = agent_client.get(QUEUE)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    body = response.content.decode()
    older_url = reverse("documents_admin:edit", args=[older.pk])
    newer_url = reverse("documents_admin:edit", args=[newer.pk])
    assert body.index(older_url) < body.index(newer_url)
    assert body.count('href="/admin/justificatifs/') >= 2
    assert "Validée, sans limite" not in text(response)
    assert "Validée, sans limite" in text(agent_client.get(QUEUE, {"status": "accepted"}))


def test_the_queue_query_count_does_not_grow(agent_client, family, certificate_type, make_document,
                                             django_assert_max_num_queries):
    make_document(family.household, certificate_type, child=family.child)
    with django_assert_max_num_queries(40) as few:
        agent_client.get(QUEUE)
    for _ in range(5):
        make_document(family.household, certificate_type, child=family.other_child)
    with django_assert_max_num_queries(len(few.captured_queries)):
        agent_client.get(QUEUE)


def test_the_admin_home_shows_the_pending_count(agent_client, pending):
    body = text(agent_client.get(reverse("wagtailadmin_home")))
    assert "Pièces en attente de validation : 1" in body


def test_the_review_page_previews_images_and_pdfs_through_the_checked_view(agent_client, pending):
    response = agent_client.get(reverse("documents_admin:edit", args=[pending.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    image, pdf = pending.files.order_by("position")
    image_url = reverse("documents_admin:file", args=[pending.pk, image.pk])
    pdf_url = reverse("documents_admin:file", args=[pending.pk, pdf.pk])
    assert f'<img src="{image_url}"' in body and f'<iframe src="{pdf_url}"' in body
    # The proposed end of validity: today + 365 days (the type's validity).
    expected = timezone.localdate() + datetime.timedelta(days=365)
    assert f'value="{expected:%Y-%m-%d}"' in body

    preview = agent_client.get(pdf_url)
    assert preview.status_code == 200 and preview["Content-Disposition"].startswith("inline; ")
    assert preview["X-Frame-Options"] == "SAMEORIGIN" and "frame-ancestors 'self'" in preview[
        "Content-Security-Policy"]
    assert "no-store" in preview["Cache-Control"] and preview["X-Content-Type-Options"] == "nosniff"
    download = agent_client.get(pdf_url, {"telecharger": "1"})
    assert download["Content-Disposition"].startswith("attachment; ")
    events = AuditEvent.objects.filter(action=AuditEvent.Action.DOCUMENT_DOWNLOAD)
    assert events.count() == 2 and all(e.acting_for_family for e in events)


def test_a_file_of_another_document_is_404_in_the_admin(agent_client, pending, family, certificate_type,
                                                       make_document):
    other = make_document(family.household, certificate_type, child=family.other_child)
    # (Django's LocaleMiddleware turns a 404 below /admin/ into a redirect to /fr/admin/..., a 404 too.)
    response = agent_client.get(reverse("documents_admin:file", args=[other.pk, pending.files.first().pk]),
                                follow=True)
    assert response.status_code == 404 and b"%PDF" not in response.content


def test_accepting_notifies_the_parent_and_is_traced(agent_client, agent, pending, family, mailoutbox,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(reverse("documents_admin:edit", args=[pending.pk]),
                                     {"action": "accept", "valid_until": "2027-06-30"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "accepted" and pending.valid_until == datetime.date(2027, 6, 30)
    assert pending.reviewed_by == agent and pending.reviewed_at is not None
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOCUMENT_VALIDATION)
    assert event.actor == agent and event.household == family.household
    assert event.before == {"status": "pending"} and event.after == {"status": "accepted",
                                                                     "valid_until": "2027-06-30"}
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [family.user.email]
    assert message.subject == "Pièce validée : Certificat médical"
    assert "30 juin 2027" in message.body and "/fr/justificatifs/" in message.body


def test_rejecting_notifies_the_parent_with_the_reason_in_english(agent_client, pending, family, mailoutbox,
                                                                  django_capture_on_commit_callbacks):
    family.user.preferred_language = "en"
    family.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(reverse("documents_admin:edit", args=[pending.pk]),
                                     {"action": "reject", "reason": "La signature du médecin manque."})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "rejected" and pending.rejection_reason == "La signature du médecin manque."
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "Document refused: Certificat médical"
    assert "La signature du médecin manque." in mailoutbox[0].body and "/en/justificatifs/" in mailoutbox[0].body
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOCUMENT_VALIDATION)
    assert event.after == {"status": "rejected", "reason": "La signature du médecin manque."}


def test_the_parent_reads_the_reason(client, agent, pending, family):
    reject_document(pending, agent, "Photo floue : reprenez-la à la lumière du jour.")
    client.force_login(family.user)
    assert "Photo floue : reprenez-la à la lumière du jour." in text(client.get(reverse("documents:list")))


def test_a_rejection_needs_a_reason(agent_client, pending, mailoutbox):
    response = agent_client.post(reverse("documents_admin:edit", args=[pending.pk]), {"action": "reject",
                                                                                     "reason": "   "})
    assert response.status_code == 400
    assert "Indiquez le motif du refus" in text(response)
    pending.refresh_from_db()
    assert pending.status == "pending" and not mailoutbox
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOCUMENT_VALIDATION).exists()


def test_a_past_end_of_validity_is_refused(agent, pending):
    with pytest.raises(ReviewRefused):
        accept_document(pending, agent, valid_until=timezone.localdate() - datetime.timedelta(days=1))
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_the_validity_comes_from_the_document_date(agent, family, address_type, make_document):
    document = make_document(family.household, address_type)
    document.issued_on = datetime.date(2026, 11, 1)
    document.save()
    accept_document(document, agent, now=timezone.make_aware(datetime.datetime(2026, 12, 1, 10)))
    document.refresh_from_db()
    assert document.valid_until == datetime.date(2026, 11, 1) + datetime.timedelta(days=90)


def test_two_agents_cannot_both_decide(agent, pending):
    accept_document(pending, agent)
    stale = SupportingDocument.objects.get(pk=pending.pk)
    stale.status = "pending"  # what the second agent's page still shows
    with pytest.raises(ReviewRefused):
        accept_document(stale, agent)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DOCUMENT_VALIDATION).count() == 1


def test_a_validated_document_can_be_refused_afterwards(agent, pending):
    accept_document(pending, agent)
    reject_document(pending, agent, "Document d'un autre enfant.")
    pending.refresh_from_db()
    assert pending.status == "rejected"
    with pytest.raises(ReviewRefused):
        reject_document(pending, agent, "Encore")


def test_staff_without_the_right_cannot_review(client, make_user, pending):
    from django.contrib.auth.models import Group

    from accounts.roles import CASHIERS, ensure_groups

    ensure_groups()
    cashier = make_user(email="caisse@example.org", is_staff=True)
    cashier.groups.add(Group.objects.get(name=CASHIERS))
    login_staff(client, cashier)
    assert client.get("/admin/").status_code == 200  # in the admin, second factor given
    # Wagtail turns the views' PermissionDenied into a redirect to the dashboard.
    for url in (QUEUE, reverse("documents_admin:file", args=[pending.pk, pending.files.first().pk])):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/"), url
    response = client.post(reverse("documents_admin:edit", args=[pending.pk]), {"action": "accept"})
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_parents_never_reach_the_admin_screens(client, family, pending):
    client.force_login(family.user)
    for url in (QUEUE, reverse("documents_admin:edit", args=[pending.pk]),
                reverse("documents_admin:file", args=[pending.pk, pending.files.first().pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/fr/compte/connexion/"), url
        assert b"%PDF" not in response.content


def test_an_agent_sends_a_paper_document_for_a_household_and_validates_it(agent_client, family, certificate_type,
                                                                         mailoutbox,
                                                                         django_capture_on_commit_callbacks):
    family.household.paper_only = True
    family.household.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(reverse("documents_admin:add"), {
            "household": family.household.pk, "child": family.child.pk, "type": certificate_type.pk,
            "files": [upload_file("scan.pdf", make_pdf())], "accept": "on", "valid_until": "2027-09-01",
        })
    assert response.status_code == 302
    document = SupportingDocument.objects.get()
    assert document.status == "accepted" and document.valid_until == datetime.date(2027, 9, 1)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {AuditEvent.Action.DOCUMENT, AuditEvent.Action.DOCUMENT_VALIDATION} <= actions
    assert AuditEvent.objects.get(action=AuditEvent.Action.DOCUMENT).acting_for_family


def test_the_agent_upload_screen_lists_the_chosen_households_children(agent_client, family, other_family):
    first = agent_client.get(reverse("documents_admin:add"))
    assert first.status_code == 200 and 'type="file"' not in first.content.decode()
    body = agent_client.get(reverse("documents_admin:add"), {"household": family.household.pk}).content.decode()
    assert f'<option value="{family.child.pk}">' in body and f'<option value="{other_family.child.pk}">' not in body
    assert 'accept="image/jpeg,image/png,application/pdf"' in body


def test_the_agent_upload_refuses_a_child_of_another_household(agent_client, family, other_family,
                                                               certificate_type):
    response = agent_client.post(reverse("documents_admin:add"), {
        "household": family.household.pk, "child": other_family.child.pk, "type": certificate_type.pk,
        "files": [upload_file("scan.pdf", make_pdf())],
    })
    assert response.status_code == 400 and not SupportingDocument.objects.exists()


def test_an_agent_deletes_a_document(agent_client, agent, pending):
    response = agent_client.post(reverse("documents_admin:delete", args=[pending.pk]))
    assert response.status_code == 302 and not SupportingDocument.objects.exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOCUMENT_DELETION)
    assert event.actor == agent and event.acting_for_family


def test_document_types_are_managed_in_the_admin(agent_client):
    from documents.models import DocumentType

    assert agent_client.get(reverse("documents_types:index")).status_code == 200
    response = agent_client.post(reverse("documents_types:add"), {
        "name": "Attestation d'assurance", "code": "assurance", "scope": "child", "required_for_hall_hire": "on",
        "is_active": "on",
    })
    assert response.status_code == 200  # a hall-hire document must concern the household
    assert "doit concerner le foyer" in text(response)
    response = agent_client.post(reverse("documents_types:add"), {
        "name": "Attestation d'assurance", "code": "assurance", "scope": "household", "validity_days": "365",
        "required_for_hall_hire": "on", "is_active": "on",
    })
    assert response.status_code == 302
    assert DocumentType.objects.get(code="assurance").required_for_hall_hire
