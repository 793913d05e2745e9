"""A required document that is missing or expired blocks, for real, the services' own
booking and enrolment functions (no stand-in for documents.rules), with its reason."""

import datetime as dt

import pytest

from documents.models import DocumentType
from services import enrolments
from services.bookings import book
from services.models import Booking, Enrolment
from services.rules import Refusal

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def insurance(catalogue):
    kind = DocumentType.objects.create(code="assurance-test", name="Attestation d'assurance", scope="child",
                                       validity_days=365)
    kind.required_for_activities.add(catalogue["cantine-jules-ferry"], catalogue["accueil-du-soir"])
    return kind


def test_expiry_blocks_a_booking_with_its_reason(catalogue, make_family, enrol, make_document, insurance, paris):
    canteen = catalogue["cantine-jules-ferry"]
    household = make_family("ASSURE")
    parent, child = household.users[0], household.kids[0]
    enrol(child, canteen)
    make_document(household, insurance, child=child, status="accepted", valid_until=D(2026, 11, 20))
    now = paris(2026, 11, 5, 10)
    assert book(parent, child, canteen, D(2026, 11, 19), now=now).ok  # still valid that day
    refused = book(parent, child, canteen, D(2026, 11, 23), now=now)
    assert (refused.ok, refused.code) == (False, "document_missing")
    assert "Attestation d'assurance" in refused.message and "20 novembre 2026" in refused.message
    assert list(Booking.objects.values_list("day", flat=True)) == [D(2026, 11, 19)]
    # A newer certificate, validated: the booking goes through.
    make_document(household, insurance, child=child, status="accepted", valid_until=D(2027, 11, 20))
    assert book(parent, child, canteen, D(2026, 11, 23), now=now).ok


def test_a_missing_document_blocks_an_enrolment_request(catalogue, make_family, insurance, paris):
    household = make_family("SANSPIECE")
    parent, child = household.users[0], household.kids[0]
    with pytest.raises(Refusal) as refusal:
        enrolments.request_enrolment(parent, child, catalogue["accueil-du-soir"], now=paris(2026, 11, 5, 10))
    assert refusal.value.code == "document_missing" and "Attestation d'assurance" in refusal.value.message
    assert not Enrolment.objects.filter(child=child, activity=catalogue["accueil-du-soir"]).exists()
