"""Publishing the regulation: only legal staff, through the legal workflow, scheduled
go-live with publish_scheduled, translations included."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Locale

from home.models import LegalTextVersion, RegulationPage
from home.permissions import LEGAL_WORKFLOW_NAME
from tests.fixtures_accounts import login_staff

pytestmark = pytest.mark.django_db


def version_numbers(page):
    return list(LegalTextVersion.objects.filter(page_id=page.pk).order_by("number").values_list("number", flat=True))


def test_every_legal_page_goes_through_the_legal_workflow(regulation):
    workflow = regulation.get_workflow()
    assert workflow.name == LEGAL_WORKFLOW_NAME and workflow.active
    (task,) = [t.specific for t in workflow.tasks.all()]
    assert [g.name for g in task.groups.all()] == ["Juridique"]


def test_communication_staff_cannot_publish_a_regulation_revision(client, regulation, comms_user):
    regulation.body += "<p>Ajout non autorisé.</p>"
    revision = regulation.save_revision()
    with pytest.raises(PermissionDenied):
        revision.publish(user=comms_user)
    login_staff(client, comms_user)
    response = client.post(f"/admin/pages/{regulation.pk}/edit/", {"title": regulation.title, "slug": "reglement",
                                                                   "body": "<p>x</p>", "action-publish": "1"})
    assert response.status_code in (302, 403)
    assert client.get(f"/admin/pages/{regulation.pk}/edit/").status_code in (302, 403)
    regulation.refresh_from_db()
    assert "Ajout non autorisé" not in regulation.body
    assert version_numbers(regulation) == [1]


def test_a_revision_written_by_someone_else_cannot_go_live_without_a_publisher(regulation, comms_user):
    """A revision saved by communication staff (e.g. through Localize) and published
    without a user is refused too."""
    regulation.body += "<p>Ajout</p>"
    revision = regulation.save_revision(user=comms_user)
    with pytest.raises(PermissionDenied):
        revision.publish()
    assert version_numbers(regulation) == [1]


def test_communication_staff_cannot_approve_the_legal_task(client, regulation, legal_user, comms_user):
    regulation.body += "<p>Article soumis.</p>"
    revision = regulation.save_revision(user=legal_user)
    workflow_state = regulation.get_workflow().start(regulation, legal_user)
    task_state = workflow_state.current_task_state
    assert not task_state.task.specific.user_can_access_editor(regulation, comms_user)
    assert task_state.task.specific.get_actions(regulation, comms_user) == []
    login_staff(client, comms_user)
    response = client.post(f"/admin/pages/workflow/action/{regulation.pk}/approve/{task_state.pk}/")
    assert response.status_code in (302, 403)
    assert task_state.__class__.objects.get(pk=task_state.pk).status == "in_progress"
    regulation.refresh_from_db()
    assert "Article soumis." not in regulation.body and revision.pk != regulation.live_revision_id


def test_legal_staff_approve_in_the_workflow_and_it_goes_live(client, regulation, legal_user, demo):
    from accounts.models import User

    # A second legal agent drafts and submits; the legal group approves.
    drafter = User.objects.create_user("redacteur@example.org", "une-phrase-de-passe-solide", is_staff=True)
    drafter.groups.add(*legal_user.groups.all())
    regulation.body += "<p>Article soumis au service juridique.</p>"
    regulation.change_summary = "Article 9"
    regulation.save_revision(user=drafter)
    regulation.get_workflow().start(regulation, drafter)
    regulation.refresh_from_db()
    assert "Article soumis" not in regulation.body  # not live yet
    workflow_state = regulation.current_workflow_state
    assert workflow_state is not None and workflow_state.status == "in_progress"
    task_state = workflow_state.current_task_state
    login_staff(client, legal_user)
    response = client.post(f"/admin/pages/workflow/action/{regulation.pk}/approve/{task_state.pk}/", {"comment": ""})
    assert response.status_code in (200, 302)
    regulation.refresh_from_db()
    assert "Article soumis au service juridique." in regulation.body
    assert version_numbers(regulation) == [1, 2]
    assert LegalTextVersion.objects.get(page_id=regulation.pk, number=2).change_summary == "Article 9"


def test_scheduled_go_live_makes_the_version_when_publish_scheduled_runs(regulation, legal_user):
    go_live = timezone.now() + datetime.timedelta(days=2)
    regulation.body += "<p>Article applicable dans deux jours.</p>"
    regulation.go_live_at = go_live
    revision = regulation.save_revision(user=legal_user)
    revision.publish(user=legal_user)
    regulation = RegulationPage.objects.get(pk=regulation.pk)
    assert "dans deux jours" not in regulation.body and version_numbers(regulation) == [1]
    call_command("publish_scheduled", verbosity=0)  # too early: nothing happens
    assert version_numbers(regulation) == [1]

    later = go_live + datetime.timedelta(minutes=3)
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled", verbosity=0)
    regulation = RegulationPage.objects.get(pk=regulation.pk)
    assert "dans deux jours" in regulation.body
    version = LegalTextVersion.objects.get(page_id=regulation.pk, number=2)
    assert version.published_at == later  # the actual go-live, not the time it was approved


def _translate(page, user=None):
    from wagtail_localize.models import TranslationSource

    source, _ = TranslationSource.get_or_create_from_instance(page)
    translation = source.translations.model.objects.create(
        uuid=__import__("uuid").uuid4(), source=source, target_locale=Locale.objects.get(language_code="en"),
    )
    return source, translation


def test_a_service_page_translated_with_localize(client, demo, comms_user, django_capture_on_commit_callbacks):
    from wagtail_localize.models import StringTranslation

    from home.models import ServicePage

    page = ServicePage.objects.get(slug="restauration-scolaire", locale__language_code="fr")
    source, translation = _translate(page)
    for segment in source.stringsegment_set.select_related("string"):
        StringTranslation.objects.create(
            translation_of=segment.string, locale=translation.target_locale, context=segment.context,
            data="School catering" if segment.string.data == page.title else f"EN {segment.string.data}",
        )
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(user=comms_user, publish=True)
    english = ServicePage.objects.get(translation_key=page.translation_key, locale__language_code="en")
    assert english.live and english.title == "School catering"
    response = client.get(english.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html and "School catering" in html
    # The switcher on the French page leads to the English page (the same page).
    french = client.get(page.url).content.decode()
    assert f'href="{english.url}" lang="en"' in french


def test_only_legal_staff_put_a_regulation_translation_live(client, regulation, legal_user, comms_user,
                                                            django_capture_on_commit_callbacks):
    source, translation = _translate(regulation)
    # Through Localize's "update translations" screen, publishing (communication staff).
    login_staff(client, comms_user)
    with pytest.raises(PermissionDenied), django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/localize/update/{source.pk}/", {"publish_translations": "on"})
    assert not RegulationPage.objects.filter(translation_key=regulation.translation_key, locale__language_code="en",
                                             live=True).exists()
    with pytest.raises(PermissionDenied), django_capture_on_commit_callbacks(execute=True):
        translation.save_target(user=comms_user, publish=True)
    assert not RegulationPage.objects.filter(translation_key=regulation.translation_key, locale__language_code="en",
                                             live=True).exists()
    # Legal staff publish it: it goes live with its own version 1; parents still accept the French text.
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(user=legal_user, publish=True)
    english = RegulationPage.objects.get(translation_key=regulation.translation_key, locale__language_code="en")
    assert english.live and version_numbers(english) == [1]
    from home.acceptance import current_version

    assert current_version().page_id == regulation.pk
