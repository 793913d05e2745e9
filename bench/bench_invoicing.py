"""Benchmark: the monthly invoicing run for a commune of 5,000 households, one month.

    .venv/bin/python bench/bench_invoicing.py [--households 5000] [--keep]

Prints the time and the peak Python memory (tracemalloc) of the run (drafts) and of the
issue (numbering). It builds its own commune in a fresh database: a temporary SQLite
file, or the PostgreSQL database of DATABASE_URL (then use a throwaway database).
It never fails on time: it prints figures.

The facts come from a small generator of this file (``generate_facts``): about 1.6
children per household, canteen four days a week and the evening care twice a week,
with absences, justified absences, unbooked presences and late bookings. When the
services' commune generator lands in bench/, the integrator replaces ``generate_facts``
by ``services.billable.month_facts`` on that generated commune.
"""

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(keep):
    var = tempfile.mkdtemp(prefix="bench-invoicing-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ["PORTAL_VAR_DIR"] = var
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    return var


def build_commune(households_count, seed=2026):
    from decimal import Decimal

    from accounts.models import Child, Guardian, GuardianChildRight, Household
    from billing.models import CollectionOffice, QuotientRecord, Tariff, TariffBracket
    from services.models import Activity, Service

    rng = random.Random(seed)
    service = Service.objects.create(code="bench-cantine", name="Restauration", shape="daily")
    canteen = Activity.objects.create(service=service, name="Cantine", code="bench-cantine", shape="daily")
    evening = Activity.objects.create(service=service, name="Accueil du soir", code="bench-soir", shape="half_day")
    office = CollectionOffice.objects.create(code="01", name="Régie")
    office.activities.set([canteen, evening])
    since = datetime.date(2020, 1, 1)
    tariff = Tariff.objects.create(activity=canteen, label="Repas", valid_from=since, non_resident_price=Decimal("6.50"),
                                   unbooked_price=Decimal("5.05"), late_surcharge_percent=Decimal("50"))
    for label, low, high, price in [("T1", 0, 234, "0.13"), ("T2", 235, 384, "0.85"), ("T3", 385, 548, "1.62"),
                                    ("T4", 549, 959, "2.28"), ("T5", 960, 1370, "3.62"), ("T6", 1371, None, "4.61")]:
        TariffBracket.objects.create(tariff=tariff, label=label, qf_min=low, qf_max=high, price=Decimal(price))
    Tariff.objects.create(activity=evening, label="Soir", valid_from=since, method="effort_rate",
                          effort_rate_percent=Decimal("0.36"), effort_rate_minimum=Decimal("2.60"),
                          effort_rate_maximum=Decimal("4.50"))

    households = [Household(code=f"B-{i:06d}", name=f"FAMILLE {i}", is_resident=rng.random() < 0.9,
                            family_quotient=(Decimal(rng.randint(100, 2500)) if rng.random() < 0.85 else None),
                            family_quotient_source="caf") for i in range(households_count)]
    for h in households:
        if h.family_quotient is None:
            h.family_quotient_source = "none"
    Household.objects.bulk_create(households, batch_size=1000)  # bulk_create: no signal, records below
    households = list(Household.objects.filter(code__startswith="B-").order_by("id"))
    QuotientRecord.objects.bulk_create([
        QuotientRecord(household=h, quotient=h.family_quotient, source=h.family_quotient_source, applies_from=since)
        for h in households], batch_size=1000)
    guardians, children = [], []
    for h in households:
        guardians.append(Guardian(household=h, first_name="Parent", last_name=h.name, is_payer=True))
        for n in range(1 if rng.random() < 0.5 else 2 if rng.random() < 0.8 else 3):
            children.append(Child(household=h, first_name=f"Enfant{n}", last_name=h.name,
                                  birth_date=datetime.date(2014 + rng.randint(0, 8), rng.randint(1, 12), 1 + n)))
    Guardian.objects.bulk_create(guardians, batch_size=1000)
    Child.objects.bulk_create(children, batch_size=1000)
    guardian_by_household = {g.household_id: g.pk for g in Guardian.objects.all()}
    children = list(Child.objects.all().only("pk", "household_id"))
    GuardianChildRight.objects.bulk_create([
        GuardianChildRight(guardian_id=guardian_by_household[c.household_id], child_id=c.pk, can_view=True,
                           can_book=True, can_pay=True) for c in children], batch_size=2000)
    return office, canteen, evening, children


def generate_facts(children, canteen, evening, year, month, seed=7):
    from services import billable

    rng = random.Random(seed)
    first = datetime.date(year, month, 1)
    days = [first + datetime.timedelta(days=i) for i in range(31) if (first + datetime.timedelta(days=i)).month == month]
    statuses = ([billable.BOOKED_PRESENT] * 85 + [billable.BOOKED_ABSENT] * 4 + [billable.BOOKED_ABSENT_JUSTIFIED] * 4
                + [billable.CANCELLED_IN_TIME] * 4 + [billable.PRESENT_UNBOOKED] * 2 + [billable.CANCELLED_LATE])
    facts = []
    for child in children:
        for day in days:
            if day.weekday() in (0, 1, 3, 4):
                facts.append(billable.BillableFact(
                    key=f"c:{child.pk}:{day}", household_id=child.household_id, child_id=child.pk,
                    activity_id=canteen.pk, day=day, status=rng.choice(statuses), booked_late=rng.random() < 0.02))
            if day.weekday() in (1, 4) and child.pk % 3 == 0:
                facts.append(billable.BillableFact(
                    key=f"s:{child.pk}:{day}", household_id=child.household_id, child_id=child.pk,
                    activity_id=evening.pk, day=day, status=rng.choice(statuses)))
    return facts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=5000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    var = setup_django(args.keep)
    from django.db import connection

    from billing import invoicing
    from billing.models import Invoice, InvoiceLine, InvoicingRun

    started = time.perf_counter()
    office, canteen, evening, children = build_commune(args.households)
    facts = generate_facts(children, canteen, evening, 2026, 11)
    print(f"commune: {args.households} households, {len(children)} children, {len(facts)} facts "
          f"({time.perf_counter() - started:.1f} s to generate), database {connection.vendor}")

    run = InvoicingRun.objects.create(office=office, year=2026, month=11)
    tracemalloc.start()
    started = time.perf_counter()
    invoicing.execute_run(run.pk, facts_source=lambda y, m, activity_ids=None: facts)
    run_time = time.perf_counter() - started
    _current, run_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    issued = invoicing.finalise_run(run)
    issue_time = time.perf_counter() - started
    _current, issue_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"run (drafts): {run_time:.2f} s, peak memory {run_peak / 1e6:.1f} MB, "
          f"{Invoice.objects.count()} invoices, {InvoiceLine.objects.count()} lines")
    print(f"issue (numbering, audit): {issue_time:.2f} s, peak memory {issue_peak / 1e6:.1f} MB, {issued} issued")
    started = time.perf_counter()
    rerun = InvoicingRun.objects.create(office=office, year=2026, month=11)
    invoicing.execute_run(rerun.pk, facts_source=lambda y, m, activity_ids=None: facts)
    rerun.refresh_from_db()
    print(f"re-run of the same month: {time.perf_counter() - started:.2f} s, {rerun.lines_created} new lines, "
          f"{rerun.facts_skipped} facts already invoiced")
    if not args.keep and connection.vendor == "sqlite":
        import shutil

        connection.close()
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
