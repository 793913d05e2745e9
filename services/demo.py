"""Demo data for the services of Aulnoy-lez-Valenciennes.

``load()`` is idempotent: every row is matched on its natural key (a code, a name, a
label, a date) with ``update_or_create``, so running it again refreshes the data and
creates no duplicate. The rules are the commune's real ones (see
``shared/design/domain.md``); staff change them in the admin afterwards.

School holidays, zone B (Académie de Lille), 2026-2027. The Education ministry
publishes "fin des cours" (a Saturday) and "jour de reprise" (a Monday); a
``CalendarPeriod`` holds the days off, from the first day without school to the last
one, both included, so the Saturday "fin des cours" stays in the school year (like the
school year's own last day, Saturday 3 July 2027) and the Monday of return is not a
holiday:

=========  ======================  ====================  ===========================
period     fin des cours           reprise               days off (CalendarPeriod)
=========  ======================  ====================  ===========================
Toussaint  Sat 17 Oct 2026         Mon 2 Nov 2026        Sun 18 Oct – Sun 1 Nov 2026
Noël       Sat 19 Dec 2026         Mon 4 Jan 2027        Sun 20 Dec – Sun 3 Jan 2027
Hiver      Sat 20 Feb 2027         Mon 8 Mar 2027        Sun 21 Feb – Sun 7 Mar 2027
Printemps  Sat 17 Apr 2027         Mon 3 May 2027        Sun 18 Apr – Sun 2 May 2027
Été        Sat 3 Jul 2027          (rentrée 2027)        Sun 4 Jul – Tue 31 Aug 2027
=========  ======================  ====================  ===========================
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from .models import Activity, CalendarPeriod, DeadlineRule, Hall, SchoolYear, Service

D = dt.date
T = dt.time

SERVICES = [
    # code, name, shape, summary
    (
        "restauration-scolaire",
        "Restauration scolaire",
        Service.Shape.DAILY,
        "Le déjeuner des écoliers dans les deux restaurants scolaires de la ville, "
        "à réserver au plus tard sept jours avant.",
    ),
    (
        "accueil-periscolaire",
        "Accueil périscolaire",
        Service.Shape.DAILY,
        "L'accueil des enfants avant la classe de 7h30 à 8h30 et après la classe de 16h30 à 18h00, "
        "les jours d'école.",
    ),
    (
        "etablissements-scolaires",
        "Etablissements scolaires du premier degré",
        Service.Shape.SCHOOL_ENROLMENT,
        "L'inscription de votre enfant dans une école maternelle ou élémentaire de la commune.",
    ),
    (
        "centre-de-loisirs",
        "Centre de loisirs",
        Service.Shape.DAILY,
        "Des journées et demi-journées d'activités pour les enfants le mercredi et pendant les vacances scolaires.",
    ),
    (
        "quartier-libre",
        "Quartier Libre",
        Service.Shape.SESSIONS,
        "Des activités pour les jeunes, le mercredi, le samedi et pendant les vacances, en places limitées.",
    ),
    (
        "ecoles-municipales",
        "Ecoles municipales culturelles et de sport",
        Service.Shape.YEARLY_COURSE,
        "Des cours de musique et de sport toute l'année, sur inscription annuelle et dans la limite des places.",
    ),
    (
        "location-de-salle",
        "Location de salle",
        Service.Shape.HALL_HIRE,
        "La location de la salle des Nymphéas ou de la Salle de l'Union pour vos événements familiaux "
        "et associatifs.",
    ),
]

RULES = [
    # name, kind, fields
    ("Restauration : 7 jours avant, 23h59", DeadlineRule.Kind.DAYS_BEFORE, {"days": 7, "time": T(23, 59)}),
    (
        "Périscolaire : 2 jours ouvrés avant, 12h00",
        DeadlineRule.Kind.WORKING_DAYS_BEFORE,
        {"days": 2, "time": T(12, 0), "skip_weekdays": []},
    ),
    (
        "Mercredis : jeudi 12h00 de la semaine précédente",
        DeadlineRule.Kind.WEEKDAY_PREVIOUS_WEEK,
        {"weekday": 3, "time": T(12, 0)},
    ),
    (
        "Quartier Libre : la veille à 18h00",
        DeadlineRule.Kind.DAYS_BEFORE,
        {"days": 1, "time": T(18, 0)},
    ),
    (
        "Quartier Libre : annulation le jour même avant 7h00",
        DeadlineRule.Kind.DAYS_BEFORE,
        {"days": 0, "time": T(7, 0)},
    ),
    (
        "Séjours : 30 jours avant, 12h00",
        DeadlineRule.Kind.DAYS_BEFORE,
        {"days": 30, "time": T(12, 0)},
    ),
]
# Refers to the Wednesday rule above as its fallback outside the holidays.
HOLIDAY_RULE = (
    "Vacances : clôture 15 jours pleins avant la période",
    DeadlineRule.Kind.PERIOD_CLOSE,
    {"days": 15, "time": T(0, 0)},
)

SCHOOL_YEAR = ("2026-2027", D(2026, 9, 1), D(2027, 7, 3))

SCHOOL_HOLIDAYS = [
    ("Vacances de la Toussaint", D(2026, 10, 18), D(2026, 11, 1)),
    ("Vacances de Noël", D(2026, 12, 20), D(2027, 1, 3)),
    ("Vacances d'hiver (zone B)", D(2027, 2, 21), D(2027, 3, 7)),
    ("Vacances de printemps (zone B)", D(2027, 4, 18), D(2027, 5, 2)),
    ("Vacances d'été", D(2027, 7, 4), D(2027, 8, 31)),
]

PUBLIC_HOLIDAYS = [
    ("Toussaint", D(2026, 11, 1)),
    ("Armistice 1918", D(2026, 11, 11)),
    ("Noël", D(2026, 12, 25)),
    ("Jour de l'an", D(2027, 1, 1)),
    ("Lundi de Pâques", D(2027, 3, 29)),
    ("Fête du Travail", D(2027, 5, 1)),
    ("Ascension", D(2027, 5, 6)),
    ("Victoire 1945", D(2027, 5, 8)),
    ("Lundi de Pentecôte", D(2027, 5, 17)),
    ("Fête nationale", D(2027, 7, 14)),
    ("Assomption", D(2027, 8, 15)),
]

CANTEEN_DAYS = [0, 1, 3, 4]  # Monday, Tuesday, Thursday, Friday
SCHOOL_DAYS = [0, 1, 3, 4]
WEEKDAYS = [0, 1, 2, 3, 4]
NURSERY = ["TPS", "PS", "MS", "GS"]
PRIMARY = ["CP", "CE1", "CE2", "CM1", "CM2"]


def _activities(rules):
    canteen = rules["Restauration : 7 jours avant, 23h59"]
    periscolaire = rules["Périscolaire : 2 jours ouvrés avant, 12h00"]
    wednesday = rules["Mercredis : jeudi 12h00 de la semaine précédente"]
    holidays = rules[HOLIDAY_RULE[0]]
    youth_book = rules["Quartier Libre : la veille à 18h00"]
    youth_cancel = rules["Quartier Libre : annulation le jour même avant 7h00"]
    stay = rules["Séjours : 30 jours avant, 12h00"]
    season = {"start_date": D(2026, 9, 14), "end_date": D(2027, 6, 26)}
    return [
        # service code, activity code, fields
        ("restauration-scolaire", "cantine-jules-ferry", {
            "name": "Cantine école Jules Ferry", "shape": Activity.Shape.DAILY,
            "site": "Restaurant scolaire Jules Ferry",
            "description": "Déjeuner des élèves des écoles Jules Ferry (maternelle et élémentaire).",
            "weekdays": CANTEEN_DAYS, "start_time": T(11, 45), "end_time": T(13, 30),
            "booking_rule": canteen, "cancellation_rule": canteen,
            "same_day_sick_cancellation_until": T(9, 0), "class_levels": NURSERY + PRIMARY,
            "serves_meal": True,
        }),
        ("restauration-scolaire", "cantine-louise-michel", {
            "name": "Cantine école Louise Michel", "shape": Activity.Shape.DAILY,
            "site": "Restaurant scolaire Louise Michel",
            "description": "Déjeuner des élèves des écoles Louise Michel (maternelle et élémentaire).",
            "weekdays": CANTEEN_DAYS, "start_time": T(11, 45), "end_time": T(13, 30),
            "booking_rule": canteen, "cancellation_rule": canteen,
            "same_day_sick_cancellation_until": T(9, 0), "class_levels": NURSERY + PRIMARY,
            "serves_meal": True,
        }),
        ("accueil-periscolaire", "accueil-du-matin", {
            "name": "Accueil du matin", "shape": Activity.Shape.HALF_DAY, "site": "Accueil périscolaire",
            "description": "Accueil des enfants avant la classe.",
            "weekdays": SCHOOL_DAYS, "start_time": T(7, 30), "end_time": T(8, 30),
            "booking_rule": periscolaire,
        }),
        ("accueil-periscolaire", "accueil-du-soir", {
            "name": "Accueil du soir", "shape": Activity.Shape.HALF_DAY, "site": "Accueil périscolaire",
            "description": "Accueil et goûter après la classe ; tout quart d'heure de retard est facturé.",
            "weekdays": SCHOOL_DAYS, "start_time": T(16, 30), "end_time": T(18, 0),
            "booking_rule": periscolaire,
        }),
        ("etablissements-scolaires", "inscription-maternelle", {
            "name": "Inscription en école maternelle", "shape": Activity.Shape.SCHOOL_ENROLMENT,
            "description": "Demande d'inscription en maternelle : justificatif de domicile de moins de 3 mois, "
                           "livret de famille, carnet de vaccinations. L'école prononce ensuite l'admission.",
            "requires_validation": True, "min_age": 2, "max_age": 6, "class_levels": NURSERY,
        }),
        ("etablissements-scolaires", "inscription-elementaire", {
            "name": "Inscription en école élémentaire", "shape": Activity.Shape.SCHOOL_ENROLMENT,
            "description": "Demande d'inscription en élémentaire : justificatif de domicile de moins de 3 mois, "
                           "livret de famille, carnet de vaccinations. L'école prononce ensuite l'admission.",
            "requires_validation": True, "min_age": 5, "max_age": 12, "class_levels": PRIMARY,
        }),
        ("centre-de-loisirs", "centre-mercredi-journee", {
            "name": "Centre de loisirs du mercredi – journée", "shape": Activity.Shape.DAILY,
            "site": "Centre de loisirs municipal", "weekdays": [2],
            "start_time": T(8, 30), "end_time": T(17, 30), "capacity": 80, "min_age": 3, "max_age": 12,
            "booking_rule": wednesday,
        }),
        ("centre-de-loisirs", "centre-mercredi-matin", {
            "name": "Centre de loisirs du mercredi – matin", "shape": Activity.Shape.HALF_DAY,
            "site": "Centre de loisirs municipal", "weekdays": [2],
            "start_time": T(8, 30), "end_time": T(12, 0), "capacity": 20, "min_age": 3, "max_age": 12,
            "booking_rule": wednesday,
        }),
        ("centre-de-loisirs", "centre-mercredi-apres-midi", {
            "name": "Centre de loisirs du mercredi – après-midi", "shape": Activity.Shape.HALF_DAY,
            "site": "Centre de loisirs municipal", "weekdays": [2],
            "start_time": T(13, 30), "end_time": T(17, 30), "capacity": 20, "min_age": 3, "max_age": 12,
            "booking_rule": wednesday,
        }),
        ("centre-de-loisirs", "centre-vacances-journee", {
            "name": "Centre de loisirs des vacances – journée", "shape": Activity.Shape.DAILY,
            "site": "Centre de loisirs municipal", "weekdays": WEEKDAYS,
            "runs_in_school_periods": False, "runs_in_holidays": True,
            "start_time": T(8, 30), "end_time": T(17, 30), "capacity": 120, "min_age": 3, "max_age": 12,
            "booking_rule": holidays,
        }),
        ("centre-de-loisirs", "centre-vacances-demi-journee", {
            "name": "Centre de loisirs des vacances – demi-journée", "shape": Activity.Shape.HALF_DAY,
            "site": "Centre de loisirs municipal", "weekdays": WEEKDAYS,
            "runs_in_school_periods": False, "runs_in_holidays": True,
            "start_time": T(13, 30), "end_time": T(17, 30), "capacity": 30, "min_age": 3, "max_age": 12,
            "booking_rule": holidays,
        }),
        ("centre-de-loisirs", "sejour-ete-cote-opale", {
            "name": "Séjour d'été sur la Côte d'Opale", "shape": Activity.Shape.STAY,
            "site": "Centre de vacances, Berck-sur-Mer",
            "description": "Dix jours au bord de la mer ; le séjour est payé à la réservation.",
            "runs_in_school_periods": False, "runs_in_holidays": True,
            "start_date": D(2027, 7, 12), "end_date": D(2027, 7, 21),
            "capacity": 24, "min_age": 8, "max_age": 13, "prepayment_required": True,
            "requires_validation": True, "booking_rule": stay,
        }),
        ("quartier-libre", "quartier-libre-seances", {
            "name": "Quartier Libre – séances", "shape": Activity.Shape.SESSION,
            "site": "Espace jeunesse Quartier Libre",
            "description": "Sorties, sport et ateliers pour les 11-17 ans ; premier arrivé, premier servi.",
            "weekdays": [2, 5], "runs_in_school_periods": True, "runs_in_holidays": True,
            "start_time": T(14, 0), "end_time": T(17, 30), "capacity": 24, "min_age": 11, "max_age": 17,
            "booking_rule": youth_book, "cancellation_rule": youth_cancel,
        }),
        ("ecoles-municipales", "ecole-musique-piano", {
            "name": "École de musique – piano", "shape": Activity.Shape.COURSE,
            "site": "École municipale de musique",
            "description": "Cours individuel hebdomadaire ; cotisation annuelle appelée par trimestre.",
            "weekdays": [2], "start_time": T(14, 0), "end_time": T(18, 0), **season,
            "capacity": 12, "min_age": 7, "requires_validation": True,
        }),
        ("ecoles-municipales", "ecole-musique-formation-musicale", {
            "name": "École de musique – formation musicale", "shape": Activity.Shape.COURSE,
            "site": "École municipale de musique",
            "weekdays": [2], "start_time": T(10, 0), "end_time": T(11, 0), **season,
            "capacity": 20, "min_age": 6, "requires_validation": True,
        }),
        ("ecoles-municipales", "ecole-sports-multisports", {
            "name": "École municipale des sports – multisports", "shape": Activity.Shape.COURSE,
            "site": "Salle des sports municipale",
            "weekdays": [2], "start_time": T(9, 30), "end_time": T(11, 30), **season,
            "capacity": 24, "min_age": 6, "max_age": 11, "requires_validation": True,
        }),
        ("location-de-salle", "location-nympheas", {
            "name": "Location de la salle des Nymphéas", "shape": Activity.Shape.HALL_SLOT,
            "site": "Nymphéas", "weekdays": [4, 5, 6], "runs_in_holidays": True, "requires_validation": True,
        }),
        ("location-de-salle", "location-salle-union", {
            "name": "Location de la Salle de l'Union", "shape": Activity.Shape.HALL_SLOT,
            "site": "Salle de l'Union", "weekdays": [4, 5, 6], "runs_in_holidays": True,
            "requires_validation": True,
        }),
    ]


HALL_TERMS = {
    "resident_price": Decimal("300.00"),
    "non_resident_price": Decimal("660.00"),
    "deposit": Decimal("550.00"),
    "first_cancellation_notice_days": 30,
    "first_cancellation_fee_percent": Decimal("50.00"),
    "second_cancellation_notice_days": 10,
    "second_cancellation_fee_percent": Decimal("100.00"),
    "insurance_required": True,
    "is_active": True,
}
HALLS = [
    ("Nymphéas", {"capacity": 200, "description": "Grande salle avec cuisine équipée, pour 200 personnes."}),
    ("Salle de l'Union", {"capacity": 120, "description": "Salle de réception pour 120 personnes."}),
]


@transaction.atomic
def load(stdout=None):
    """Create or refresh the demo services, rules, calendar, activities and halls.
    Returns the number of rows of each kind that the demo holds."""
    services = {}
    for order, (code, name, shape, summary) in enumerate(SERVICES, start=1):
        services[code], _created = Service.objects.update_or_create(
            code=code, defaults={"name": name, "shape": shape, "summary": summary, "order": order, "is_active": True}
        )

    rules = {}
    for name, kind, fields in RULES:
        rules[name], _created = DeadlineRule.objects.update_or_create(
            name=name, defaults={"kind": kind, "weekday": None, "weeks_before": None, "fallback": None,
                                 "skip_weekdays": [], "days": None, **fields}
        )
    holiday_name, holiday_kind, holiday_fields = HOLIDAY_RULE
    rules[holiday_name], _created = DeadlineRule.objects.update_or_create(
        name=holiday_name,
        defaults={"kind": holiday_kind, "weekday": None, "weeks_before": None, "skip_weekdays": [],
                  "fallback": rules["Mercredis : jeudi 12h00 de la semaine précédente"], **holiday_fields},
    )

    label, start, end = SCHOOL_YEAR
    year, _created = SchoolYear.objects.update_or_create(label=label, defaults={"start_date": start, "end_date": end})

    periods = []
    for name, first, last in SCHOOL_HOLIDAYS:
        period, _created = CalendarPeriod.objects.update_or_create(
            kind=CalendarPeriod.Kind.SCHOOL_HOLIDAY, school_year=year, name=name, activity=None,
            defaults={"start_date": first, "end_date": last},
        )
        periods.append(period)
    for name, day in PUBLIC_HOLIDAYS:
        period, _created = CalendarPeriod.objects.update_or_create(
            kind=CalendarPeriod.Kind.PUBLIC_HOLIDAY, start_date=day, activity=None,
            defaults={"name": name, "end_date": day, "school_year": year},
        )
        periods.append(period)

    activities = []
    for service_code, code, fields in _activities(rules):
        defaults = {
            "service": services[service_code], "description": "", "site": "", "weekdays": [],
            "runs_in_school_periods": True, "runs_in_holidays": False, "start_date": None, "end_date": None,
            "start_time": None, "end_time": None, "capacity": None, "requires_validation": False,
            "min_age": None, "max_age": None, "class_levels": [], "prepayment_required": False,
            "booking_rule": None, "cancellation_rule": None, "same_day_sick_cancellation_until": None,
            "serves_meal": False, "is_active": True,
        }
        defaults.update(fields)
        activity, _created = Activity.objects.update_or_create(code=code, defaults=defaults)
        activities.append(activity)

    halls = []
    for name, fields in HALLS:
        hall, _created = Hall.objects.update_or_create(name=name, defaults={**HALL_TERMS, **fields})
        halls.append(hall)

    summary = {
        "services": len(services),
        "activities": len(activities),
        "deadline_rules": len(rules),
        "school_years": 1,
        "calendar_periods": len(periods),
        "halls": len(halls),
    }
    if stdout is not None:
        stdout.write("Services municipaux : " + ", ".join(f"{key} {value}" for key, value in summary.items()) + "\n")
    return summary


# The demo parents' enrolments (after the families, ``accounts.demo``) ------------------

FAMILY_ENROLMENTS = [
    # household code, child first name, activity code: Marie Martin's Léa eats at the
    # canteen and goes to the leisure centre on Wednesday mornings (the booking screens'
    # demo: the month calendar, the weekly pattern, the sick child).
    ("F-000101", "Léa", "cantine-jules-ferry"),
    ("F-000101", "Léa", "centre-mercredi-matin"),
]
ENROLMENT_PERIOD = (D(2026, 9, 1), D(2027, 8, 31))


@transaction.atomic
def load_families(stdout=None):
    """Active enrolments of the demo children for the 2026-2027 school year (kept when an
    open one already covers its first day). Returns how many were created."""
    from django.utils import timezone

    from accounts.models import Child

    from .models import Enrolment

    start, end = ENROLMENT_PERIOD
    created = 0
    for household_code, first_name, activity_code in FAMILY_ENROLMENTS:
        child = Child.objects.filter(household__code=household_code, first_name=first_name).first()
        activity = Activity.objects.filter(code=activity_code).first()
        if child is None or activity is None:
            continue
        if Enrolment.objects.filter(child=child, activity=activity, status__in=Enrolment.OPEN,
                                    start_date__lte=start, end_date__gte=start).exists():
            continue
        Enrolment.objects.create(household_id=child.household_id, child=child, activity=activity, start_date=start,
                                 end_date=end, status=Enrolment.Status.ACTIVE, requested_at=timezone.now())
        created += 1
    if stdout is not None:
        stdout.write(f"Inscriptions des familles de démonstration : {created}\n")
    return created
