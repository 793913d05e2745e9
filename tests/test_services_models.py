"""services.models: validation messages (in French), database constraints, halls."""

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from services.models import Activity, CalendarPeriod, DeadlineRule, Hall, SchoolYear, Service

D = dt.date
T = dt.time

pytestmark = pytest.mark.django_db


def errors_of(instance):
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


@pytest.fixture
def service():
    return Service.objects.create(code="s", name="S", shape=Service.Shape.DAILY)


def test_deadline_rule_requires_the_fields_of_its_kind():
    assert errors_of(DeadlineRule(name="a", kind="days_before", time=T(12, 0)))["days"] == [
        "Indiquez le nombre de jours."
    ]
    assert errors_of(DeadlineRule(name="b", kind="weekday_previous_week", time=T(12, 0)))["weekday"] == [
        "Choisissez le jour de la semaine."
    ]
    messages = errors_of(DeadlineRule(name="c", kind="weekday_week_minus_n", weekday=3, time=T(12, 0)))
    assert messages["weeks_before"] == ["Indiquez un nombre de semaines d'au moins 1."]
    messages = errors_of(DeadlineRule(name="d", kind="working_days_before", days=0, time=T(12, 0)))
    assert messages["days"] == ["Indiquez un nombre de jours ouvrés d'au moins 1."]
    messages = errors_of(
        DeadlineRule(name="e", kind="working_days_before", days=2, time=T(12, 0), skip_weekdays=[0, 1, 2, 3, 4])
    )
    assert messages["skip_weekdays"] == ["Il doit rester au moins un jour ouvré dans la semaine."]
    assert "time" in errors_of(DeadlineRule(name="f", kind="days_before", days=1))


def test_deadline_rule_fallback_validation():
    thursday = DeadlineRule.objects.create(name="jeudi", kind="weekday_previous_week", weekday=3, time=T(12, 0))
    messages = errors_of(DeadlineRule(name="g", kind="days_before", days=1, time=T(12, 0), fallback=thursday))
    assert messages["fallback"] == ["Une règle hors vacances ne s'utilise qu'avec une clôture par période."]
    period = DeadlineRule.objects.create(name="vacances", kind="period_close", days=15, time=T(0, 0))
    messages = errors_of(DeadlineRule(name="h", kind="period_close", days=10, time=T(0, 0), fallback=period))
    assert messages["fallback"] == ["La règle hors vacances ne peut pas être elle-même une clôture par période."]
    period.fallback = period
    assert "fallback" in errors_of(period)
    DeadlineRule(name="i", kind="period_close", days=15, time=T(0, 0), fallback=thursday).full_clean()


def test_deadline_rule_rejects_unknown_weekday_values():
    messages = errors_of(DeadlineRule(name="j", kind="working_days_before", days=2, time=T(12, 0),
                                      skip_weekdays=[9]))
    assert messages["skip_weekdays"] == ["Valeur(s) inconnue(s) : 9."]


def test_calendar_period_validation_and_constraint():
    messages = errors_of(CalendarPeriod(kind="closure", name="x", start_date=D(2026, 10, 2), end_date=D(2026, 10, 1)))
    assert messages["end_date"] == ["Le dernier jour doit être égal ou postérieur au premier jour."]
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarPeriod.objects.create(kind="closure", name="x", start_date=D(2026, 10, 2), end_date=D(2026, 10, 1))


def test_only_closures_belong_to_an_activity(service):
    canteen = Activity.objects.create(service=service, code="c", name="C", shape="daily")
    messages = errors_of(CalendarPeriod(kind="public_holiday", name="x", start_date=D(2026, 11, 11),
                                        end_date=D(2026, 11, 11), activity=canteen))
    assert messages["activity"] == ["Seule une fermeture peut concerner une activité précise."]


def test_school_year_validation():
    messages = errors_of(SchoolYear(label="2026-2027", start_date=D(2027, 7, 3), end_date=D(2026, 9, 1)))
    assert messages["end_date"] == ["La fin de l'année scolaire doit suivre la rentrée."]
    SchoolYear.objects.create(label="2026-2027", start_date=D(2026, 9, 1), end_date=D(2027, 7, 3))
    assert "label" in errors_of(SchoolYear(label="2026-2027", start_date=D(2026, 9, 1), end_date=D(2027, 7, 3)))


def test_activity_validation(service):
    messages = errors_of(Activity(service=service, code="a", name="A", shape="daily", min_age=10, max_age=6,
                                  start_time=T(18, 0), end_time=T(16, 30), runs_in_school_periods=False))
    assert messages["max_age"] == ["L'âge maximum doit être supérieur ou égal à l'âge minimum."]
    assert messages["end_time"] == ["L'heure de fin doit suivre l'heure de début."]
    assert messages["runs_in_holidays"] == [
        "L'activité doit fonctionner en période scolaire, pendant les vacances, ou les deux."
    ]
    messages = errors_of(Activity(service=service, code="b", name="B", shape="daily", class_levels=["6e"]))
    assert messages["class_levels"] == ["Valeur(s) inconnue(s) : 6e."]
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.create(service=service, code="c", name="C", shape="daily", min_age=10, max_age=6)


def test_activity_eligibility_helpers(service):
    maternelle = Activity(service=service, code="m", name="M", shape="school_enrolment", min_age=2, max_age=6,
                          class_levels=["PS", "MS", "GS"])
    assert maternelle.admits_class_level("MS") and not maternelle.admits_class_level("CP")
    assert maternelle.admits_age(3) and not maternelle.admits_age(7)
    assert Activity(service=service, code="x", name="X", shape="daily").admits_class_level("CM2")


def test_weekdays_are_edited_as_check_boxes(service):
    form_class = forms.modelform_factory(Activity, fields=["weekdays", "class_levels"])
    form = form_class(data={"weekdays": ["0", "1", "3", "4"], "class_levels": ["CP"]})
    assert isinstance(form.fields["weekdays"].widget, forms.CheckboxSelectMultiple)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["weekdays"] == [0, 1, 3, 4]
    assert not form_class(data={"weekdays": ["8"]}).is_valid()


def test_effective_cancellation_rule(service):
    book = DeadlineRule.objects.create(name="r", kind="days_before", days=1, time=T(18, 0))
    cancel = DeadlineRule.objects.create(name="c", kind="days_before", days=0, time=T(7, 0))
    activity = Activity(service=service, code="a", name="A", shape="session", booking_rule=book)
    assert activity.effective_cancellation_rule == book
    activity.cancellation_rule = cancel
    assert activity.effective_cancellation_rule == cancel


@pytest.fixture
def hall():
    return Hall.objects.create(name="Nymphéas", capacity=200, resident_price=Decimal("300"),
                               non_resident_price=Decimal("660"), deposit=Decimal("550"))


def test_hall_cancellation_fees(hall):
    event = D(2027, 6, 12)
    assert hall.cancellation_fee(event_date=event, cancelled_on=D(2027, 5, 13), resident=True) == Decimal("0.00")
    assert hall.cancellation_fee(event_date=event, cancelled_on=D(2027, 5, 14), resident=True) == Decimal("150.00")
    assert hall.cancellation_fee(event_date=event, cancelled_on=D(2027, 6, 2), resident=False) == Decimal("330.00")
    assert hall.cancellation_fee(event_date=event, cancelled_on=D(2027, 6, 3), resident=False) == Decimal("660.00")
    assert hall.price_for(resident=True) == Decimal("300")


def test_hall_validation(hall):
    hall.second_cancellation_notice_days = 30
    hall.second_cancellation_fee_percent = Decimal("20")
    messages = errors_of(hall)
    assert messages["second_cancellation_notice_days"] == [
        "Le second palier doit être plus proche de la date que le premier."
    ]
    assert messages["second_cancellation_fee_percent"] == [
        "Les frais du second palier ne peuvent pas être inférieurs à ceux du premier."
    ]
    hall.second_cancellation_fee_percent = Decimal("120")
    assert "second_cancellation_fee_percent" in errors_of(hall)


def test_str():
    assert str(CalendarPeriod(name="Armistice", start_date=D(2026, 11, 11), end_date=D(2026, 11, 11))) == (
        "Armistice (11/11/2026)"
    )
    assert str(SchoolYear(label="2026-2027")) == "2026-2027"
