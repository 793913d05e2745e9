"""What the family API needed from the domain, added beside the existing functions:
stable codes on billing's payment refusals (``payment_refusal_reason``,
``PaymentRefused.code``) and on documents' ``UploadRefused.code``. The messages and the
behaviour of the site's screens are unchanged."""

import datetime as dt

import pytest

from accounts.models import Guardian
from billing import payments
from documents.uploads import IncomingFile, UploadRefused, upload_document
from tests.fixtures_api import make_api_invoice
from tests.fixtures_documents import make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def payer_invoice(api_family):
    guardian = Guardian.objects.get(user=api_family.parent)
    guardian.is_payer = True
    guardian.save()
    return make_api_invoice(api_family.household, guardian, api_family.child, api_family.canteen)


def test_payment_refusals_carry_a_stable_code_and_the_same_message(api_family, payer_invoice):
    parent = api_family.parent
    assert payments.payment_refusal_reason(parent, payer_invoice) is None
    assert payments.payment_refusal(parent, payer_invoice) is None
    api_family.household.paper_only = True
    api_family.household.save()
    payer_invoice.refresh_from_db()
    reason = payments.payment_refusal_reason(parent, payer_invoice)
    assert reason[0] == "paper_only" and reason[1] == payments.payment_refusal(parent, payer_invoice)
    assert "papier" in reason[1]
    with pytest.raises(payments.PaymentRefused) as error:
        payments.start_online_payment(parent, payer_invoice)
    assert error.value.code == "paper_only" and str(error.value) == reason[1]


@pytest.mark.parametrize("status, code", [("paid", "already_paid"), ("cancelled", "invoice_cancelled")])
def test_invoice_state_codes(api_family, payer_invoice, status, code):
    payer_invoice.status = status
    payer_invoice.save()
    assert payments.payment_refusal_reason(api_family.parent, payer_invoice)[0] == code


def test_the_regulation_gate_code(api_family, payer_invoice, monkeypatch):
    monkeypatch.setattr("billing.payments.acceptance_refusal", lambda user: "Acceptez le règlement.")
    assert payments.payment_refusal_reason(api_family.parent, payer_invoice) == (
        "regulation_not_accepted", "Acceptez le règlement.")


def test_unavailable_keeps_its_own_code():
    assert payments.PaymentUnavailable("x").code == "payment_unavailable"
    assert payments.PaymentRefused("x").code == "payment_refused"
    assert isinstance(payments.PaymentUnavailable("x"), payments.PaymentRefused)


def test_upload_refusals_carry_a_stable_code(api_family, api_document_type, monkeypatch):
    parent, household, child = api_family.parent, api_family.household, api_family.child
    pdf = [IncomingFile("a.pdf", make_pdf())]

    def refused(**kwargs):
        arguments = {"household": household, "document_type": api_document_type, "files": pdf, "child": child,
                     **kwargs}
        with pytest.raises(UploadRefused) as error:
            upload_document(parent, **arguments)
        return error.value.code

    assert refused(files=[]) == "file_refused"
    assert refused(files=[IncomingFile("a.pdf", b"<html>")]) == "file_refused"
    assert refused(document_type=None) == "invalid_document_type"
    assert refused(child=None) == "child_required"
    assert refused(issued_on=dt.date(2100, 1, 1)) == "invalid_date"
    upload_document(parent, household=household, document_type=api_document_type, files=pdf, child=child)
    assert refused() == "document_pending"
    monkeypatch.setattr("documents.uploads.acceptance_refusal", lambda user: "Acceptez le règlement.")
    assert refused() == "regulation_not_accepted"
    monkeypatch.setattr("documents.uploads.acceptance_refusal", lambda user: None)
    household.paper_only = True
    household.save()
    assert refused() == "paper_only"
    assert UploadRefused("x").code == "upload_refused"
