"""Shared pytest fixtures of the billing area (registered in conftest.py).

``billing_world`` builds a small commune of its own (faster than the demo): a canteen
and a leisure centre activity, one collection office, their tariffs, and two households
(a couple, separated parents) whose quotients are known since long ago. ``facts`` builds
``services.billable.BillableFact`` rows; ``run_month`` runs the real invoicing run on
them (the services' ``month_facts`` is not needed)."""

import datetime
import itertools
from decimal import Decimal
from types import SimpleNamespace

import pytest

D = Decimal
LONG_AGO = datetime.date(2020, 1, 1)
PASSWORD = "une-phrase-de-passe-solide"


def _brackets(tariff, rows):
    from billing.models import TariffBracket

    for label, low, high, price, *rank in rows:
        TariffBracket.objects.create(tariff=tariff, label=label, qf_min=low, qf_max=high, price=price,
                                     min_rank=rank[0] if rank else 1)


@pytest.fixture
def billing_world(db):
    from accounts.models import Child, Guardian, GuardianChildRight, Household, User
    from billing.models import CollectionOffice, QuotientRecord, Tariff
    from services.models import Activity, Service

    canteen_service = Service.objects.create(code="cantine", name="Restauration scolaire", shape="daily")
    leisure_service = Service.objects.create(code="loisirs", name="Centre de loisirs", shape="daily")
    canteen = Activity.objects.create(service=canteen_service, name="Cantine Jules Ferry", code="cantine-jf",
                                      shape="daily", weekdays=[0, 1, 3, 4])
    leisure = Activity.objects.create(service=leisure_service, name="Centre du mercredi", code="centre-mercredi",
                                      shape="daily", weekdays=[2])
    untariffed = Activity.objects.create(service=leisure_service, name="Sortie", code="sortie", shape="session")
    office = CollectionOffice.objects.create(code="01", name="Régie Enfance", payment_term_days=30,
                                             social_services_contact="CCAS, 03 27 00 00 10")
    office.activities.set([canteen, leisure, untariffed])
    canteen_tariff = Tariff.objects.create(
        activity=canteen, label="Repas", valid_from=LONG_AGO, method="brackets", non_resident_price=D("6.50"),
        medical_plan_price=D("1.20"), unbooked_price=D("5.05"), late_surcharge_percent=D("50"),
    )
    _brackets(canteen_tariff, [
        ("T1", D("0"), D("234"), D("0.13")), ("T2", D("235"), D("384"), D("0.85")),
        ("T3", D("385"), D("548"), D("1.62")), ("T4", D("549"), D("959"), D("2.28")),
        ("T5", D("960"), D("1370"), D("3.62")), ("T6", D("1371"), None, D("4.61")),
    ])
    leisure_tariff = Tariff.objects.create(
        activity=leisure, label="Journée", valid_from=LONG_AGO, method="effort_rate",
        effort_rate_percent=D("0.36"), effort_rate_minimum=D("2.60"), effort_rate_maximum=D("4.50"),
        unbooked_surcharge_percent=D("50"), accepts_cesu=True, cesu_max_age=6,
    )

    users = {}

    def user(email, first, last):
        users[email] = User.objects.create_user(email=email, password=PASSWORD, first_name=first, last_name=last)
        return users[email]

    # A couple: Marie pays, Julien does not; two children (Léa the elder, Hugo).
    couple = Household.objects.create(name="MARTIN", code="F-000901", is_resident=True, family_quotient=D("820"),
                                      family_quotient_source="caf", address_line1="12 rue Jean Jaurès",
                                      postcode="59300", city="Aulnoy")
    marie = Guardian.objects.create(household=couple, user=user("marie@example.org", "Marie", "Martin"),
                                    first_name="Marie", last_name="Martin", is_payer=True)
    julien = Guardian.objects.create(household=couple, user=user("julien@example.org", "Julien", "Martin"),
                                     first_name="Julien", last_name="Martin", is_payer=False)
    lea = Child.objects.create(household=couple, first_name="Léa", last_name="Martin",
                               birth_date=datetime.date(2019, 3, 14))
    hugo = Child.objects.create(household=couple, first_name="Hugo", last_name="Martin",
                                birth_date=datetime.date(2022, 9, 2))
    for guardian in (marie, julien):
        for child in (lea, hugo):
            GuardianChildRight.objects.create(guardian=guardian, child=child, can_view=True, can_book=True,
                                              can_pay=True)

    # Separated parents, both payers: Sophie holds rights on both children, Thomas on Chloé only.
    separated = Household.objects.create(name="BERNARD-PETIT", code="F-000902", is_resident=True,
                                         family_quotient=D("540"), family_quotient_source="caf")
    sophie = Guardian.objects.create(household=separated, user=user("sophie@example.org", "Sophie", "Bernard"),
                                     first_name="Sophie", last_name="Bernard", is_payer=True)
    thomas = Guardian.objects.create(household=separated, user=user("thomas@example.org", "Thomas", "Petit"),
                                     first_name="Thomas", last_name="Petit", is_payer=True)
    chloe = Child.objects.create(household=separated, first_name="Chloé", last_name="Petit",
                                 birth_date=datetime.date(2017, 6, 21))
    nathan = Child.objects.create(household=separated, first_name="Nathan", last_name="Petit",
                                  birth_date=datetime.date(2021, 11, 5))
    for child in (chloe, nathan):
        GuardianChildRight.objects.create(guardian=sophie, child=child, can_view=True, can_book=True, can_pay=True)
    GuardianChildRight.objects.create(guardian=thomas, child=chloe, can_view=True, can_book=True, can_pay=True)

    # The billing has known these quotients for years (the receiver wrote the first record).
    QuotientRecord.objects.filter(household__in=[couple, separated]).update(applies_from=LONG_AGO)

    return SimpleNamespace(
        office=office, canteen=canteen, leisure=leisure, untariffed=untariffed, canteen_tariff=canteen_tariff,
        leisure_tariff=leisure_tariff, couple=couple, separated=separated, marie=marie, julien=julien,
        sophie=sophie, thomas=thomas, lea=lea, hugo=hugo, chloe=chloe, nathan=nathan, users=users,
        password=PASSWORD,
    )


_keys = itertools.count(1)


@pytest.fixture
def fact():
    """fact(child, activity, day, status="booked_present", **extra) -> BillableFact."""
    from services.billable import BOOKED_PRESENT, BillableFact

    def make(child, activity, day, status=BOOKED_PRESENT, *, key=None, **extra):
        return BillableFact(key=key or f"test:{next(_keys)}", household_id=child.household_id, child_id=child.pk,
                            activity_id=activity.pk, day=day, status=status, **extra)

    return make


@pytest.fixture
def run_month():
    """run_month(office, year, month, facts, finalise=False) -> the run, through the task
    (``services.billable.month_facts`` replaced by the given facts for the call)."""
    from billing import invoicing

    def run(office, year, month, facts, *, finalise=False, user=None, now=None):
        def source(y, m, *, activity_ids=None):
            assert (y, m) == (year, month)
            return [f for f in facts if activity_ids is None or f.activity_id in activity_ids]

        import services.billable as billable

        original = billable.month_facts
        billable.month_facts = source
        try:
            result = invoicing.start_run(office, year, month, user=user)
        finally:
            billable.month_facts = original
        if finalise:
            invoicing.finalise_run(result, user=user, now=now)
            result.refresh_from_db()
        return result

    return run


# --- the billing area's URLs in the access matrix (tests/access_matrix.py) --------------

def _matrix_invoice(world):
    from billing.models import CollectionOffice, Invoice

    office, _ = CollectionOffice.objects.get_or_create(code="99", defaults={"name": "Régie de la matrice"})
    rank = Invoice.objects.filter(office=office).count() + 1
    invoice = Invoice.objects.create(
        office=office, household=world.victim_household, payer=world.victim_guardian, payer_name="Victime Matrice",
        year=2026, month=10, number=f"F99-26-10-{rank:07d}", sequence_number=rank, status=Invoice.Status.ISSUED,
        total=D("12.40"), due_date=datetime.date(2026, 11, 30),
    )
    return {"pk": invoice.pk}


def _register_matrix():
    from tests.access_matrix import exempt, object_url

    object_url("billing:invoice", methods=("get",))(_matrix_invoice)
    object_url("billing:invoice_pdf", methods=("get",))(_matrix_invoice)
    object_url("billing:invoice_pay", methods=("post",))(_matrix_invoice)
    exempt("billing:certificate", "une année, pas un identifiant d'objet : seules les factures du parent y entrent")
    exempt("payfip:notification", "jeton aléatoire propre à la transaction, appelé par PayFiP")
    exempt("payfip:return", "jeton aléatoire propre à la transaction, retour du navigateur")


_register_matrix()
