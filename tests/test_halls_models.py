"""halls.models: slots and their times, closures, terms, identifiers, database guards."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from halls.identifiers import is_valid_association_number, is_valid_siret, normalize_association_number
from halls.models import HallClosure, HallHireTerms, HallSlot, occupancy_units, terms_for
from tests.fixtures_halls import PARIS

pytestmark = pytest.mark.django_db


def test_a_slot_ending_the_next_day_covers_the_night(slots):
    start, end = slots["evening"].interval(dt.date(2027, 6, 18))
    assert start == dt.datetime(2027, 6, 18, 18, 0, tzinfo=PARIS)
    assert end == dt.datetime(2027, 6, 19, 2, 0, tzinfo=PARIS)
    assert slots["evening"].last_day(dt.date(2027, 6, 18)) == dt.date(2027, 6, 19)
    assert str(slots["evening"]) == "Soirée (18:00–02:00 (le lendemain))"
    assert slots["day"].times_label == "09:00–18:00"


def test_a_slot_starts_only_on_its_weekdays(slots):
    saturday, sunday = dt.date(2027, 6, 19), dt.date(2027, 6, 20)
    assert slots["weekend"].starts_on(saturday) and not slots["weekend"].starts_on(sunday)
    assert slots["day"].starts_on(sunday)


def test_units_cover_the_slot_in_30_minute_steps_in_utc(slots):
    units = occupancy_units(*slots["day"].interval(dt.date(2027, 6, 19)))
    assert units[0] == dt.datetime(2027, 6, 19, 7, 0, tzinfo=dt.timezone.utc)
    assert units[-1] == dt.datetime(2027, 6, 19, 15, 30, tzinfo=dt.timezone.utc)
    assert len(units) == 18


def test_unaligned_times_still_collide_with_their_neighbours():
    start = dt.datetime(2027, 6, 19, 17, 45, tzinfo=PARIS)
    end = dt.datetime(2027, 6, 19, 18, 15, tzinfo=PARIS)
    assert occupancy_units(start, end) == [dt.datetime(2027, 6, 19, 15, 30, tzinfo=dt.timezone.utc),
                                           dt.datetime(2027, 6, 19, 16, 0, tzinfo=dt.timezone.utc)]


@pytest.mark.parametrize("fields, field", [
    ({"start_time": dt.time(9, 15)}, "start_time"),
    ({"end_time": dt.time(18, 10)}, "end_time"),
    ({"end_time": dt.time(8, 0)}, "end_time"),  # same day, ends before it starts
    ({"weekdays": []}, "weekdays"),
    ({"weekdays": [7]}, "weekdays"),
])
def test_slot_validation_gives_french_messages(hall, fields, field):
    values = {"hall": hall, "name": "Essai", "start_time": dt.time(9), "end_time": dt.time(18), "weekdays": [5]}
    values.update(fields)
    with pytest.raises(ValidationError) as caught:
        HallSlot(**values).full_clean()
    assert field in caught.value.message_dict


def test_the_database_refuses_a_slot_ending_before_it_starts_or_too_long(hall):
    with pytest.raises(IntegrityError), transaction.atomic():
        HallSlot.objects.create(hall=hall, name="A", start_time=dt.time(18), end_time=dt.time(9), weekdays=[5])
    with pytest.raises(IntegrityError), transaction.atomic():
        HallSlot.objects.create(hall=hall, name="B", start_time=dt.time(9), end_time=dt.time(9), end_day_offset=4,
                                weekdays=[5])
    HallSlot.objects.create(hall=hall, name="C", start_time=dt.time(18), end_time=dt.time(9), end_day_offset=1,
                            weekdays=[5])


def test_slot_names_are_unique_per_hall(hall, other_hall):
    HallSlot.objects.create(hall=hall, name="Journée", start_time=dt.time(9), end_time=dt.time(18), weekdays=[5])
    HallSlot.objects.create(hall=other_hall, name="Journée", start_time=dt.time(9), end_time=dt.time(18),
                            weekdays=[5])
    with pytest.raises(IntegrityError), transaction.atomic():
        HallSlot.objects.create(hall=hall, name="Journée", start_time=dt.time(8), end_time=dt.time(12), weekdays=[1])


def test_closure_validation_and_label(hall):
    with pytest.raises(ValidationError) as caught:
        HallClosure(hall=hall, start_date=dt.date(2027, 8, 10), end_date=dt.date(2027, 8, 1), reason="x").full_clean()
    assert "end_date" in caught.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        HallClosure.objects.create(hall=hall, start_date=dt.date(2027, 8, 10), end_date=dt.date(2027, 8, 1),
                                   reason="x")
    closure = HallClosure.objects.create(hall=None, start_date=dt.date(2027, 7, 14), end_date=dt.date(2027, 7, 14),
                                         reason="Fête nationale")
    assert str(closure) == "Fête nationale — toutes les salles (14/07/2027)"


def test_terms_default_when_staff_set_none_and_are_validated(hall):
    terms = terms_for(hall)
    assert terms.pk is None and (terms.min_notice_days, terms.max_advance_days, terms.hold_days) == (15, 365, 15)
    with pytest.raises(ValidationError) as caught:
        HallHireTerms(hall=hall, min_notice_days=30, max_advance_days=20, hold_days=5).full_clean()
    assert "max_advance_days" in caught.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        HallHireTerms.objects.create(hall=hall, min_notice_days=30, max_advance_days=20, hold_days=5)


@pytest.mark.parametrize("value, valid", [
    ("W595001234", True),
    ("W2A1234567", True),  # Corsica
    ("73282932000074", True),  # a real SIRET with its Luhn key
    ("73282932000075", False),  # wrong key
    ("35600000000001", True),  # La Poste: sum of digits divisible by 5
    ("1234567890", False),
    ("W59500123", False),
    ("", False),
])
def test_association_numbers(value, valid):
    assert is_valid_association_number(value) is valid


def test_association_numbers_are_normalised():
    assert normalize_association_number(" 732 829 320.00074 ") == "73282932000074"
    assert normalize_association_number("w595-001-234") == "W595001234"
    assert is_valid_siret("73282932000074")
