"""The periodic jobs: the reminder before expiry and the retention purge (traced)."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from wagtail import hooks

from accounts.models import AuditEvent
from documents.jobs import purge_expired, remind_expiring
from documents.models import DocumentFile, SupportingDocument

pytestmark = pytest.mark.django_db

D = datetime.date


def moment(day, hour=8):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


NOW = moment(D(2027, 5, 1))


def test_both_jobs_are_registered_for_the_scheduler():
    jobs = {job["name"]: job for fn in hooks.get_hooks("portal_periodic_jobs") for job in fn()}
    assert jobs["documents.remind_expiring"]["run"] is remind_expiring
    assert jobs["documents.purge_expired"]["run"] is purge_expired
    assert all(isinstance(jobs[n]["every"], datetime.timedelta) for n in jobs if n.startswith("documents."))


def test_a_reminder_before_expiry_once(family, certificate_type, address_type, make_document, mailoutbox,
                                       django_capture_on_commit_callbacks, settings):
    settings.PORTAL_DOCUMENTS_EXPIRY_REMINDER_DAYS = 30
    soon = make_document(family.household, certificate_type, child=family.child, status="accepted",
                         valid_until=D(2027, 5, 20))
    make_document(family.household, address_type, status="accepted", valid_until=D(2027, 5, 25))
    make_document(family.household, certificate_type, child=family.other_child, status="accepted",
                  valid_until=D(2027, 9, 1))  # not yet
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_expiring(NOW) == 1
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "Certificat médical (Camille DUPONT) : valable jusqu'au 20 mai 2027" in body
    assert "Justificatif de domicile (foyer DUPONT) : valable jusqu'au 25 mai 2027" in body
    soon.refresh_from_db()
    assert soon.expiry_reminded_at == NOW
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_expiring(NOW + datetime.timedelta(days=1)) == 0
    assert len(mailoutbox) == 1


def test_no_reminder_when_a_newer_document_replaces_it(family, certificate_type, make_document, mailoutbox,
                                                       django_capture_on_commit_callbacks):
    make_document(family.household, certificate_type, child=family.child, status="accepted",
                  valid_until=D(2027, 5, 20))
    make_document(family.household, certificate_type, child=family.child)  # a new one awaits validation
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_expiring(NOW) == 0
    assert not mailoutbox


def test_the_reminder_follows_the_parents_choice(family, certificate_type, make_document, mailoutbox,
                                                 monkeypatch, django_capture_on_commit_callbacks):
    make_document(family.household, certificate_type, child=family.child, status="accepted",
                  valid_until=D(2027, 5, 20))
    asked = []

    def wants_email(user, kind):
        asked.append((user, kind))
        return False

    monkeypatch.setattr("documents.jobs.wants_email", wants_email)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_expiring(NOW) == 0
    assert asked == [(family.user, "document_expiry")] and not mailoutbox


def test_refused_documents_are_purged_after_the_retention_period(family, certificate_type, make_document,
                                                                  settings, django_capture_on_commit_callbacks):
    settings.PORTAL_DOCUMENTS_RETENTION_DAYS = 30
    refused = make_document(family.household, certificate_type, child=family.child, status="rejected",
                            reviewed_at=moment(D(2027, 3, 1)))
    recent = make_document(family.household, certificate_type, child=family.other_child, status="rejected",
                           reviewed_at=moment(D(2027, 4, 20)))
    paths = [Path(f.file.path) for f in refused.files.all()]
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_expired(NOW) == 1
    assert not SupportingDocument.objects.filter(pk=refused.pk).exists()
    assert not DocumentFile.objects.filter(document_id=refused.pk).exists()
    assert not any(p.exists() for p in paths)
    assert SupportingDocument.objects.filter(pk=recent.pk).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOCUMENT_DELETION)
    assert event.actor is None and event.household == family.household and event.object_id == str(refused.pk)
    assert event.before["status"] == "rejected" and "conservation" in event.after["reason"]
    assert purge_expired(NOW) == 0  # idempotent


def test_expired_documents_are_purged_per_type(family, certificate_type, address_type, make_document, settings):
    settings.PORTAL_DOCUMENTS_RETENTION_DAYS = 365
    address_type.retention_days = 10
    address_type.save()
    old_address = make_document(family.household, address_type, status="accepted", valid_until=D(2027, 4, 1))
    old_certificate = make_document(family.household, certificate_type, child=family.child, status="accepted",
                                    valid_until=D(2027, 4, 1))
    assert purge_expired(NOW) == 1
    assert not SupportingDocument.objects.filter(pk=old_address.pk).exists()
    assert SupportingDocument.objects.filter(pk=old_certificate.pk).exists()  # kept 365 days


def test_a_replaced_document_is_purged_and_pending_or_unlimited_ones_are_kept(family, certificate_type,
                                                                               address_type, make_document, settings):
    settings.PORTAL_DOCUMENTS_RETENTION_DAYS = 30
    old = make_document(family.household, address_type, status="accepted", valid_until=None,
                        reviewed_at=moment(D(2026, 1, 1)))
    new = make_document(family.household, address_type, status="accepted", valid_until=None,
                        reviewed_at=moment(D(2027, 2, 1)))
    waiting = make_document(family.household, certificate_type, child=family.child,
                            uploaded_at=moment(D(2025, 1, 1)))
    assert purge_expired(NOW) == 1
    assert not SupportingDocument.objects.filter(pk=old.pk).exists()
    assert SupportingDocument.objects.filter(pk__in=[new.pk, waiting.pk]).count() == 2


def test_the_management_command_runs_both_jobs(family, certificate_type, make_document, settings):
    from django.core.management import call_command

    settings.PORTAL_DOCUMENTS_RETENTION_DAYS = 0
    make_document(family.household, certificate_type, child=family.child, status="rejected",
                  reviewed_at=timezone.now() - datetime.timedelta(days=2))
    call_command("documents_jobs", verbosity=0)
    assert not SupportingDocument.objects.exists()
