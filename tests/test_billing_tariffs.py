"""Each tariff rule, the quotient's timing, and the price_for contract."""

import datetime
from decimal import Decimal

import pytest

from billing import quotients
from billing.models import QuotientRecord, Tariff, TariffBracket
from billing.pricing import price_for
from billing.tariffs import child_rank, unit_price

D = Decimal
DAY = datetime.date(2026, 11, 5)


def price(tariff, quotient, *, resident=True, rank=1, medical_plan=False, unbooked=False, late=False):
    return unit_price(tariff, quotient=quotient, resident=resident, rank=rank, medical_plan=medical_plan,
                      unbooked=unbooked, late=late).unit_price


@pytest.mark.parametrize("quotient, expected", [
    (D("0"), D("0.13")), (D("234"), D("0.13")), (D("235"), D("0.85")), (D("384"), D("0.85")),
    (D("548"), D("1.62")), (D("549"), D("2.28")), (D("959"), D("2.28")), (D("960"), D("3.62")),
    (D("1370"), D("3.62")), (D("1371"), D("4.61")), (D("5000"), D("4.61")),
])
def test_qf_brackets(billing_world, quotient, expected):
    assert price(billing_world.canteen_tariff, quotient) == expected


def test_no_proof_of_income_means_the_highest_bracket(billing_world):
    assert price(billing_world.canteen_tariff, None) == D("4.61")


@pytest.mark.parametrize("quotient, expected", [
    (D("100"), D("2.60")),   # 0.36 % × 100 = 0.36 → the minimum
    (D("1000"), D("3.60")),  # 0.36 % × 1000
    (D("1111"), D("4.00")),  # 3.9996 rounded to the cent
    (D("2000"), D("4.50")),  # 7.20 → the maximum
    (None, D("4.50")),       # no proof: the maximum
])
def test_effort_rate_with_minimum_and_maximum(billing_world, quotient, expected):
    assert price(billing_world.leisure_tariff, quotient) == expected


def test_non_residents_pay_the_flat_price(billing_world):
    assert price(billing_world.canteen_tariff, D("100"), resident=False) == D("6.50")
    # Without a non-resident price, the grid applies to everybody.
    assert price(billing_world.leisure_tariff, D("1000"), resident=False) == D("3.60")


def test_child_rank_grid(billing_world):
    tariff = Tariff.objects.create(activity=billing_world.untariffed, label="Rangs", valid_from=DAY, method="brackets")
    for rank, amount in [(1, "3.77"), (2, "3.42"), (3, "3.10"), (4, "2.82")]:
        TariffBracket.objects.create(tariff=tariff, label=f"R{rank}", min_rank=rank, price=D(amount))
    tariff = Tariff.objects.prefetch_related("brackets").get(pk=tariff.pk)
    assert [price(tariff, D("500"), rank=r) for r in (1, 2, 3, 4, 7)] == [
        D("3.77"), D("3.42"), D("3.10"), D("2.82"), D("2.82")]


def test_rank_is_by_age_oldest_first_and_deterministic(billing_world):
    world = billing_world
    siblings = [world.hugo, world.lea]
    assert child_rank(world.lea, siblings) == 1
    assert child_rank(world.hugo, siblings) == 2
    from accounts.models import Child

    twin = Child.objects.create(household=world.couple, first_name="Zoé", last_name="Martin",
                                birth_date=world.hugo.birth_date)
    siblings = list(world.couple.children.all())
    # Twins: the older record first.
    assert [child_rank(c, siblings) for c in (world.lea, world.hugo, twin)] == [1, 2, 3]


def test_medical_plan_price_wins(billing_world):
    assert price(billing_world.canteen_tariff, D("820"), medical_plan=True) == D("1.20")
    assert price(billing_world.canteen_tariff, D("820"), medical_plan=True, resident=False) == D("1.20")


def test_present_without_booking_surcharge(billing_world):
    assert price(billing_world.canteen_tariff, D("820"), unbooked=True) == D("5.05")  # flat surcharge price
    assert price(billing_world.leisure_tariff, D("1000"), unbooked=True) == D("5.40")  # +50 % of 3.60


def test_late_booking_surcharge(billing_world):
    assert price(billing_world.canteen_tariff, D("820"), late=True) == D("3.42")  # 2.28 + 50 %
    assert price(billing_world.leisure_tariff, D("1000"), late=True) == D("3.60")  # no late surcharge set


def test_tariff_validity_dates_and_overlap_refused(billing_world):
    from django.core.exceptions import ValidationError

    from billing.tariffs import tariff_for

    world = billing_world
    Tariff.objects.filter(pk=world.canteen_tariff.pk).update(valid_until=datetime.date(2026, 8, 31))
    new = Tariff.objects.create(activity=world.canteen, label="Repas 2026-2027", valid_from=datetime.date(2026, 9, 1),
                                method="brackets")
    TariffBracket.objects.create(tariff=new, label="Unique", price=D("3.00"))
    assert tariff_for(world.canteen, datetime.date(2026, 8, 31)).pk == world.canteen_tariff.pk
    assert tariff_for(world.canteen, datetime.date(2026, 9, 1)).pk == new.pk
    assert tariff_for(world.untariffed, DAY) is None
    overlapping = Tariff(activity=world.canteen, label="Doublon", valid_from=datetime.date(2026, 10, 1),
                         method="brackets")
    with pytest.raises(ValidationError) as error:
        overlapping.full_clean()
    assert "valid_from" in error.value.message_dict


def test_effort_rate_tariff_needs_its_numbers(billing_world):
    from django.core.exceptions import ValidationError

    tariff = Tariff(activity=billing_world.untariffed, label="Taux", valid_from=DAY, method="effort_rate",
                    effort_rate_percent=D("0.36"), effort_rate_minimum=D("5"), effort_rate_maximum=D("4"))
    with pytest.raises(ValidationError) as error:
        tariff.full_clean()
    assert "effort_rate_maximum" in error.value.message_dict


# --- The quotient's timing -----------------------------------------------------------------


def test_a_quotient_change_applies_from_the_next_month_never_before(billing_world):
    household = billing_world.couple
    quotients.record_change(household)  # nothing changed: nothing written
    assert QuotientRecord.objects.filter(household=household).count() == 1
    household.family_quotient = D("300")
    household.save()  # the receiver records it, applying from next month
    record = QuotientRecord.objects.filter(household=household).latest("id")
    assert record.quotient == D("300")
    from django.utils import timezone

    today = timezone.localdate()
    assert record.applies_from == quotients.first_of_next_month(today)
    book = quotients.QuotientBook([household.pk])
    assert book.quotient_for(household.pk, today) == D("820")  # this month: the old one
    assert book.quotient_for(household.pk, record.applies_from) == D("300")  # next month: the new one


def test_quotient_timing_with_fixed_dates(billing_world):
    household = billing_world.separated
    household.family_quotient = D("1500")
    quotients.record_change(household, today=datetime.date(2026, 10, 20))
    book = quotients.QuotientBook([household.pk])
    assert book.quotient_for(household.pk, datetime.date(2026, 10, 31)) == D("540")
    assert book.quotient_for(household.pk, datetime.date(2026, 11, 1)) == D("1500")
    # A change set in December never reaches November's invoice.
    household.family_quotient = D("100")
    quotients.record_change(household, today=datetime.date(2026, 12, 1))
    book = quotients.QuotientBook([household.pk])
    assert book.quotient_for(household.pk, datetime.date(2026, 11, 30)) == D("1500")


def test_an_expired_proof_means_no_quotient(billing_world):
    household = billing_world.couple
    household.family_quotient_valid_until = datetime.date(2026, 11, 15)
    quotients.record_change(household, today=datetime.date(2026, 9, 10))
    book = quotients.QuotientBook([household.pk])
    assert book.quotient_for(household.pk, datetime.date(2026, 11, 15)) == D("820")
    assert book.quotient_for(household.pk, datetime.date(2026, 11, 16)) is None


def test_a_household_unknown_to_the_billing_is_recorded_from_this_month(billing_world):
    household = billing_world.couple
    QuotientRecord.objects.filter(household=household).delete()
    from django.utils import timezone

    today = timezone.localdate()
    assert quotients.quotient_for(household, today) == D("820")
    record = QuotientRecord.objects.get(household=household)
    assert record.applies_from == today.replace(day=1)
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    assert quotients.QuotientBook([household.pk]).quotient_for(household.pk, last_month) is None


def test_new_household_quotient_applies_next_month(db):
    from django.utils import timezone

    from accounts.models import Household

    household = Household.objects.create(name="NOUVEAU", family_quotient=D("500"), family_quotient_source="caf")
    record = QuotientRecord.objects.get(household=household)
    assert record.applies_from == quotients.first_of_next_month(timezone.localdate())


# --- price_for (the booking screens' contract) ------------------------------------------------


def test_price_for_uses_the_same_rules(billing_world):
    world = billing_world
    assert price_for(world.couple, world.lea, world.canteen, DAY) == D("2.28")
    assert price_for(world.couple, world.lea, world.canteen, DAY, late=True) == D("3.42")
    assert price_for(world.separated, world.chloe, world.canteen, DAY) == D("1.62")
    assert price_for(world.couple, world.lea, world.untariffed, DAY) is None
    world.lea.has_medical_plan = True
    assert price_for(world.couple, world.lea, world.canteen, DAY) == D("1.20")
    world.couple.is_resident = False
    world.lea.has_medical_plan = False
    assert price_for(world.couple, world.lea, world.canteen, DAY) == D("6.50")


def test_the_simulator_is_refused_in_production_mode(settings):
    from billing.checks import payfip_configuration

    settings.DEBUG = True
    settings.PAYFIP = dict(settings.PAYFIP, MODE="W", URL="simulator", SIMULATOR=True)
    ids = {problem.id for problem in payfip_configuration()}
    assert "billing.E001" in ids and "billing.W001" in ids
    from billing import simulator

    assert not simulator.enabled()
    settings.PAYFIP = dict(settings.PAYFIP, MODE="T", CLIENT_NUMBER="12")
    assert {problem.id for problem in payfip_configuration()} == {"billing.E003"}


def test_the_deploy_check_refuses_the_simulator_on_a_deployed_site(settings):
    """With DEBUG off (a deployed site), the simulator's page would let anybody mark an
    invoice paid: the deploy check fails until PayFiP itself is configured."""
    from billing import simulator
    from billing.checks import payfip_configuration

    settings.DEBUG = False
    settings.PAYFIP = dict(settings.PAYFIP, URL="simulator", MODE="T", CLIENT_NUMBER="000000", SIMULATOR=True)
    assert simulator.enabled()
    assert {problem.id for problem in payfip_configuration()} == {"billing.E004"}
    # The simulator turned off but PayFiP not configured: online payment cannot work.
    settings.PAYFIP = dict(settings.PAYFIP, SIMULATOR=False)
    assert {problem.id for problem in payfip_configuration()} == {"billing.W002"}
    # The real PayFiP in production mode with the commune's number: clean.
    settings.PAYFIP = dict(settings.PAYFIP, URL="https://www.payfip.gouv.fr/tpa/services/securite", MODE="W",
                           CLIENT_NUMBER="012345", SIMULATOR=False)
    assert payfip_configuration() == []
    assert not simulator.enabled()


def test_demo_billing_is_idempotent_and_prices_the_demo_households(demo):
    from django.core.management import call_command

    from accounts.models import Child, Household
    from billing.models import CollectionOffice, InvoicingRun
    from services.models import Activity

    call_command("load_demo", verbosity=0)  # twice: nothing duplicated
    office = CollectionOffice.objects.get(code="01")
    assert Tariff.objects.count() == 8 and office.activities.count() == 8
    assert InvoicingRun.objects.filter(office=office, status="finalised").exists()  # last month's run, made for real
    martin = Household.objects.get(code="F-000101")
    lea = Child.objects.get(household=martin, first_name="Léa")  # PAI: the basket price
    hugo = Child.objects.get(household=martin, first_name="Hugo")
    canteen = Activity.objects.get(code="cantine-jules-ferry")
    evening = Activity.objects.get(code="accueil-du-soir")
    assert price_for(martin, lea, canteen, DAY) == D("1.20")
    assert price_for(martin, hugo, canteen, DAY) == D("2.28")  # QF 820: T4
    assert price_for(martin, hugo, evening, DAY) == D("3.42")  # second child
    durand = Household.objects.get(code="F-000103")  # non-resident, no proof of income
    ines = durand.children.get()
    assert price_for(durand, ines, canteen, DAY) == D("6.50")
