"""missing_documents(): the contract enrolments, bookings and hall requests rely on."""

import datetime

import pytest

from documents.rules import missing_documents, requirements, upload_url
from services.models import Activity, Service

pytestmark = pytest.mark.django_db

D = datetime.date
ON = D(2027, 3, 10)


@pytest.fixture
def activity(db):
    service = Service.objects.create(code="sport", name="Sport", shape="yearly_course")
    return Activity.objects.create(service=service, code="multisports", name="Multisports", shape="course",
                                   weekdays=[2])


@pytest.fixture
def required(activity, certificate_type, address_type):
    certificate_type.required_for_activities.add(activity)
    address_type.required_for_activities.add(activity)
    return activity


def test_nothing_required_nothing_missing(family, activity):
    assert missing_documents(family.household, family.child, activity, ON) == []


def test_missing_documents_are_named(family, required):
    assert missing_documents(family.household, family.child, required, ON) == [
        "Certificat médical", "Justificatif de domicile"
    ]


def test_a_validated_valid_document_satisfies(family, required, certificate_type, address_type, make_document):
    make_document(family.household, certificate_type, child=family.child, status="accepted",
                  valid_until=D(2027, 9, 1))
    make_document(family.household, address_type, status="accepted", valid_until=None)
    assert missing_documents(family.household, family.child, required, ON) == []


def test_the_document_must_be_the_childs(family, required, certificate_type, address_type, make_document):
    make_document(family.household, certificate_type, child=family.other_child, status="accepted")
    make_document(family.household, address_type, status="accepted")
    assert missing_documents(family.household, family.child, required, ON) == ["Certificat médical"]


def test_an_expired_document_blocks_on_the_date_asked(family, required, certificate_type, address_type,
                                                      make_document):
    make_document(family.household, certificate_type, child=family.child, status="accepted",
                  valid_until=D(2027, 3, 9))
    make_document(family.household, address_type, status="accepted")
    assert missing_documents(family.household, family.child, required, D(2027, 3, 9)) == []
    # A booking on the 10th: the certificate ended the day before.
    assert missing_documents(family.household, family.child, required, D(2027, 3, 10)) == [
        "Certificat médical (valable jusqu'au 9 mars 2027)"
    ]


def test_a_pending_document_is_not_enough_by_default(family, required, certificate_type, address_type,
                                                     make_document):
    make_document(family.household, certificate_type, child=family.child)
    make_document(family.household, address_type, status="accepted")
    assert missing_documents(family.household, family.child, required, ON) == [
        "Certificat médical (en attente de validation)"
    ]
    certificate_type.pending_is_enough = True
    certificate_type.save()
    assert missing_documents(family.household, family.child, required, ON) == []


def test_a_refused_document_blocks(family, required, certificate_type, address_type, make_document):
    make_document(family.household, certificate_type, child=family.child, status="rejected")
    make_document(family.household, address_type, status="accepted")
    assert missing_documents(family.household, family.child, required, ON) == [
        "Certificat médical (document refusé)"
    ]


def test_another_households_document_does_not_count(family, other_family, required, certificate_type,
                                                   address_type, make_document):
    make_document(other_family.household, address_type, status="accepted")
    assert "Justificatif de domicile" in missing_documents(family.household, family.child, required, ON)


def test_inactive_types_are_not_required(family, required, certificate_type, address_type):
    certificate_type.is_active = False
    certificate_type.save()
    assert missing_documents(family.household, family.child, required, ON) == ["Justificatif de domicile"]


def test_hall_hire_requirements(family, address_type, certificate_type, make_document):
    address_type.required_for_hall_hire = True
    address_type.save()
    assert missing_documents(family.household, None, None, ON, hall_hire=True) == ["Justificatif de domicile"]
    make_document(family.household, address_type, status="accepted", valid_until=D(2027, 12, 31))
    assert missing_documents(family.household, None, None, ON, hall_hire=True) == []


def test_without_child_only_household_requirements_apply(family, required):
    assert missing_documents(family.household, None, required, ON) == ["Justificatif de domicile"]


def test_a_datetime_is_taken_in_paris_time(family, required, certificate_type, address_type, make_document):
    from django.utils import timezone

    make_document(family.household, certificate_type, child=family.child, status="accepted",
                  valid_until=D(2027, 3, 9))
    make_document(family.household, address_type, status="accepted")
    late_evening = timezone.make_aware(datetime.datetime(2027, 3, 9, 23, 30))  # 22:30 UTC
    assert missing_documents(family.household, family.child, required, late_evening) == []


def test_two_queries_whatever_the_number_of_documents(family, required, certificate_type, address_type,
                                                      make_document, django_assert_num_queries):
    for _ in range(4):
        make_document(family.household, certificate_type, child=family.child, status="rejected")
    with django_assert_num_queries(2):
        states = requirements(family.household, family.child, required, ON)
    assert [r.state for r in states] == ["rejected", "missing"]


def test_the_upload_link_for_a_missing_document(family, certificate_type):
    assert upload_url(certificate_type, family.child, "/fr/reservations/") == (
        f"/fr/justificatifs/deposer/?type=certificat-test&child={family.child.pk}&next=%2Ffr%2Freservations%2F"
    )
