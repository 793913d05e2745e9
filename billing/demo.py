"""Demo billing of the demo commune: one collection office, the tariffs of
``shared/design/domain.md`` (staff change them in the admin), and last month's invoices
of the demo households built and issued by the real monthly run from
``services.billable.month_facts`` (so they come from the demo bookings and attendance).

Idempotent: the office and tariffs are matched on their codes and labels; the run of
last month is made only once.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

D = Decimal
OFFICE = {"code": "01", "name": "Régie Enfance-Jeunesse", "address": "Mairie, place de la République",
          "opening_hours": "lundi au vendredi, 8h30-12h00 et 13h30-17h00", "payment_term_days": 30,
          "social_services_contact": "CCAS, mairie (ccas@example.org, 03 27 00 00 10)"}
KNOWN_SINCE = datetime.date(2025, 9, 1)  # the quotients held by the commune since the school year 2025-2026

# Restauration scolaire: QF brackets (T1..T6), a flat price for non-residents, the PAI
# basket, a surcharge for a presence without booking and for late bookings; no CESU.
CANTEEN_BRACKETS = [
    ("T1", D("0"), D("234"), D("0.13")), ("T2", D("235"), D("384"), D("0.85")),
    ("T3", D("385"), D("548"), D("1.62")), ("T4", D("549"), D("959"), D("2.28")),
    ("T5", D("960"), D("1370"), D("3.62")), ("T6", D("1371"), None, D("4.61")),
]
CANTEEN = {"unit": "repas", "method": "brackets", "non_resident_price": D("6.50"), "medical_plan_price": D("1.20"),
           "unbooked_price": D("5.05"), "late_surcharge_percent": D("50"), "accepts_cesu": False}
# Accueil périscolaire: price by the child's rank (3.77 / 3.42 / 3.10 / 2.82 €).
RANK_PRICES = [(1, D("3.77")), (2, D("3.42")), (3, D("3.10")), (4, D("2.82"))]
PERISCOLAIRE = {"unit": "séance", "method": "brackets", "unbooked_surcharge_percent": D("40"),
                "late_surcharge_percent": D("50"), "accepts_cesu": True, "childcare_costs": True}
# Centre de loisirs: effort rate 0.36 % of the QF, between 2.60 € and 4.50 €; CESU for the under-6s.
LEISURE = {"unit": "journée", "method": "effort_rate", "effort_rate_percent": D("0.36"),
           "effort_rate_minimum": D("2.60"), "effort_rate_maximum": D("4.50"), "non_resident_price": D("6.50"),
           "late_surcharge_percent": D("50"), "unbooked_surcharge_percent": D("50"), "accepts_cesu": True,
           "cesu_max_age": 6, "childcare_costs": True}

TARIFFS = {
    "cantine-jules-ferry": ("Repas 2025-2027", CANTEEN, "canteen"),
    "cantine-louise-michel": ("Repas 2025-2027", CANTEEN, "canteen"),
    "accueil-du-matin": ("Accueil du matin 2025-2027", PERISCOLAIRE, "rank"),
    "accueil-du-soir": ("Accueil du soir 2025-2027", PERISCOLAIRE, "rank"),
    "centre-mercredi-journee": ("Journée 2025-2027", LEISURE, None),
    "centre-mercredi-matin": ("Demi-journée 2025-2027", dict(LEISURE, effort_rate_minimum=D("1.30"),
                                                              effort_rate_maximum=D("2.25"),
                                                              effort_rate_percent=D("0.18"),
                                                              non_resident_price=D("3.25"), unit="demi-journée"),
                              None),
    "centre-mercredi-apres-midi": ("Demi-journée 2025-2027", dict(LEISURE, effort_rate_minimum=D("1.30"),
                                                                   effort_rate_maximum=D("2.25"),
                                                                   effort_rate_percent=D("0.18"),
                                                                   non_resident_price=D("3.25"),
                                                                   unit="demi-journée"), None),
    "centre-vacances-journee": ("Journée 2025-2027", LEISURE, None),
}


def _tariff(activity, label, fields, grid):
    from .models import Tariff, TariffBracket

    defaults = {"valid_from": KNOWN_SINCE, "valid_until": None, "effort_rate_percent": None,
                "effort_rate_minimum": None, "effort_rate_maximum": None, "non_resident_price": None,
                "medical_plan_price": None, "unbooked_price": None, "unbooked_surcharge_percent": D("0"),
                "late_surcharge_percent": D("0"), "accepts_cesu": False, "cesu_max_age": None,
                "childcare_costs": False, **fields}
    tariff, _created = Tariff.objects.update_or_create(activity=activity, label=label, defaults=defaults)
    tariff.brackets.all().delete()
    if grid == "canteen":
        rows = [TariffBracket(tariff=tariff, label=label_, qf_min=low, qf_max=high, price=price)
                for label_, low, high, price in CANTEEN_BRACKETS]
    elif grid == "rank":
        rows = [TariffBracket(tariff=tariff, label=f"Rang {rank}", min_rank=rank, price=price)
                for rank, price in RANK_PRICES]
    else:
        rows = []
    TariffBracket.objects.bulk_create(rows)
    return tariff


@transaction.atomic
def load(stdout=None, *, today=None):
    from accounts.demo import HOUSEHOLDS
    from services.models import Activity

    from . import invoicing
    from .models import CollectionOffice, Invoice, InvoicingRun, QuotientRecord

    office, _created = CollectionOffice.objects.update_or_create(code=OFFICE["code"], defaults=OFFICE)
    activities = {a.code: a for a in Activity.objects.filter(code__in=TARIFFS)}
    office.activities.set(list(activities.values()))
    tariffs = [_tariff(activities[code], label, fields, grid) for code, (label, fields, grid) in TARIFFS.items()
               if code in activities]

    # The demo households' quotients have been known since the start of the school year.
    for spec in HOUSEHOLDS:
        first = QuotientRecord.objects.filter(household__code=spec["code"]).order_by("applies_from", "id").first()
        if first is not None and first.applies_from > KNOWN_SINCE:
            QuotientRecord.objects.filter(pk=first.pk).update(applies_from=KNOWN_SINCE)

    # Last month's invoices, made and issued by the real run.
    today = today or timezone.localdate()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    issued = 0
    if not Invoice.objects.filter(office=office, year=last_month.year, month=last_month.month).exists():
        run = invoicing.start_run(office, last_month.year, last_month.month)
        if run.status == InvoicingRun.Status.DRAFTED:
            issued = invoicing.finalise_run(run)
    summary = {"offices": 1, "tariffs": len(tariffs), "invoices_issued": issued}
    if stdout is not None:
        stdout.write("Facturation : " + ", ".join(f"{k} {v}" for k, v in summary.items()) + "\n")
    return summary
