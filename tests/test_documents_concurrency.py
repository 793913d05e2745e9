"""Races, with real parallel connections (PostgreSQL): two uploads at the same moment
cannot both pass the household quota nor both wait for validation in the same slot; two
agents cannot both decide on one document."""

import threading

import pytest
from django.db import connection, connections

from accounts.models import AuditEvent
from documents import uploads
from documents.models import SupportingDocument
from documents.review import ReviewRefused, accept_document
from documents.uploads import UploadRefused, upload_document
from tests.fixtures_documents import make_pdf, upload_file

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("real parallel connections need PostgreSQL (SQLite serialises writers; CI runs it there)")


def in_parallel(*calls):
    """Run the calls in threads started together; returns their results or exceptions."""
    results = [None] * len(calls)

    def run(index, call):
        try:
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test looks at
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@pytest.fixture
def together(monkeypatch):
    """Both uploads pass the checks made before the transaction, then race for it."""
    barrier = threading.Barrier(2, timeout=30)
    original = uploads._scan_and_check

    def checked_then_wait(files):
        result = original(files)
        barrier.wait()
        return result

    monkeypatch.setattr(uploads, "_scan_and_check", checked_then_wait)


def test_two_uploads_cannot_both_pass_the_quota(family, certificate_type, settings, together):
    pdf = make_pdf()
    settings.PORTAL_DOCUMENTS_HOUSEHOLD_QUOTA = len(pdf) * 3 // 2  # room for one file, not two

    def send(child):
        return lambda: upload_document(family.user, household=family.household, document_type=certificate_type,
                                       files=[upload_file("c.pdf", pdf)], child=child)

    results = in_parallel(send(family.child), send(family.other_child))
    assert sum(isinstance(r, SupportingDocument) for r in results) == 1
    assert sum(isinstance(r, UploadRefused) for r in results) == 1
    assert SupportingDocument.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DOCUMENT).count() == 1


def test_two_uploads_cannot_both_wait_in_the_same_slot(family, certificate_type, together):
    def send():
        return upload_document(family.user, household=family.household, document_type=certificate_type,
                               files=[upload_file("c.pdf", make_pdf())], child=family.child)

    results = in_parallel(send, send)
    assert sum(isinstance(r, SupportingDocument) for r in results) == 1
    assert sum(isinstance(r, UploadRefused) for r in results) == 1
    assert SupportingDocument.objects.filter(status="pending").count() == 1


def test_two_agents_cannot_both_accept(family, certificate_type, agent, make_document):
    document = make_document(family.household, certificate_type, child=family.child)
    copies = [SupportingDocument.objects.get(pk=document.pk) for _ in range(2)]
    results = in_parallel(*[lambda d=d: accept_document(d, agent) for d in copies])
    assert sum(isinstance(r, SupportingDocument) for r in results) == 1
    assert sum(isinstance(r, ReviewRefused) for r in results) == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DOCUMENT_VALIDATION).count() == 1
