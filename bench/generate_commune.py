"""A commune of N households for the services benchmarks, generated in bulk.

    from bench.generate_commune import generate
    commune = generate(households=5000, children=8000)   # Django set up, empty database

On top of the demo commune (``load_demo``: services, rules, school year 2026-2027,
zone B holidays, public holidays, pages and the regulation, tariffs), it adds:

- six more school restaurants (one canteen each, eight in all) and two more leisure
  centres (a Wednesday day and a holiday day each), with the demo's rules and tariffs;
- ``households`` households (codes ``B-000001``...) and ``children`` children over them:
  about half with one child, most of the others with two, a tenth with three; one or
  two guardians each, the first with a login (and, most of the time, the second),
  every right on their children (separated parents: the second only on the eldest),
  the regulation in force accepted; a few households chose paper;
- an active enrolment for the school year (to the end of the summer holidays) in each
  activity a child uses, and a school year of bookings: most children have the canteen
  four days a week (Monday, Tuesday, Thursday, Friday), others two or three fixed days
  or an irregular rhythm; morning and evening care for some; the leisure centre on
  Wednesdays and in the holidays within its places (the rest of the demand on the
  waiting list); about 3 % of canteen days cancelled;
- one ``PlaceCounter`` per occurrence that has bookings, ``taken`` equal to its booked
  rows, as the domain keeps it.

Everything it adds is seeded (``seed``): the same parameters give the same households,
children and bookings (the demo's own few bookings follow the day ``load_demo`` runs).
Rows are written with ``bulk_create`` in batches, the million bookings as plain tuples
(``insert_rows``: ``executemany`` on SQLite, ``COPY`` on PostgreSQL); no history line
unless ``history=True`` (the calendar and the weekly pattern do not read them). It expects a database where the
benchmark households do not exist yet (a fresh one).

Three households are set aside for the benchmark (``Commune``): one with three children
using every daily activity (canteen, morning and evening care, Wednesday and holiday
leisure centre), one with one child and the canteen only, and one with one child
enrolled in the canteen but without any booking (for the weekly pattern).
"""

import datetime as dt
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

BENCH_PASSWORD = "bench-portail-2026"
CODE_PREFIX = "B-"
EMAIL_DOMAIN = "bench.example.org"
FLUSH_EVERY = 20000
BATCH_SIZE = 2000

# (school, canteen activity code, canteen name or None when the demo has it)
SCHOOLS = [
    ("École Jules Ferry", "cantine-jules-ferry", None),
    ("École Louise Michel", "cantine-louise-michel", None),
    ("École Pasteur", "bench-cantine-pasteur", "Cantine école Pasteur"),
    ("École Jean Moulin", "bench-cantine-jean-moulin", "Cantine école Jean Moulin"),
    ("École Marie Curie", "bench-cantine-marie-curie", "Cantine école Marie Curie"),
    ("École Victor Hugo", "bench-cantine-victor-hugo", "Cantine école Victor Hugo"),
    ("École Jacques Prévert", "bench-cantine-jacques-prevert", "Cantine école Jacques Prévert"),
    ("École Paul Langevin", "bench-cantine-paul-langevin", "Cantine école Paul Langevin"),
]
# (site, Wednesday code, holiday code, Wednesday places, holiday places); the demo's own
# centre has a day, a morning and an afternoon on Wednesdays and a day and a half-day in
# the holidays.
CENTRES = [
    ("Centre de loisirs municipal", "centre-mercredi-journee", "centre-vacances-journee", None, None),
    ("Centre de loisirs Les Tilleuls", "bench-centre-tilleuls-mercredi", "bench-centre-tilleuls-vacances", 100, 150),
    ("Centre de loisirs du Rôleur", "bench-centre-roleur-mercredi", "bench-centre-roleur-vacances", 100, 150),
]
DEMO_HALF_DAYS = ["centre-mercredi-matin", "centre-mercredi-apres-midi", "centre-vacances-demi-journee"]
MORNING, EVENING = "accueil-du-matin", "accueil-du-soir"
SCHOOL_WEEK = [0, 1, 3, 4]

FIRST_NAMES = ["Emma", "Louis", "Jade", "Gabriel", "Louise", "Raphaël", "Alice", "Jules", "Chloé", "Arthur",
               "Lina", "Adam", "Rose", "Léo", "Mia", "Lucas", "Anna", "Hugo", "Inès", "Nathan", "Léna", "Paul",
               "Zoé", "Sacha", "Manon", "Noah", "Lou", "Tom", "Eva", "Maël"]
LAST_NAMES = ["DUBOIS", "LEROY", "MOREAU", "SIMON", "LAURENT", "LEFEBVRE", "MICHEL", "GARCIA", "DAVID", "BERTRAND",
              "ROUX", "VINCENT", "FOURNIER", "MOREL", "GIRARD", "ANDRE", "MERCIER", "DUPONT", "LAMBERT", "BONNET",
              "FRANCOIS", "MARTINEZ", "LEGRAND", "GARNIER", "FAURE", "ROUSSEAU", "BLANC", "GUERIN", "MULLER",
              "HENRY"]
# Birth year (school year 2026-2027) -> class level.
LEVELS = {2023: "PS", 2022: "MS", 2021: "GS", 2020: "CP", 2019: "CE1", 2018: "CE2", 2017: "CM1", 2016: "CM2"}


@dataclass
class Commune:
    """What the benchmark needs from the generated commune."""

    counts: dict = field(default_factory=dict)
    seconds: float = 0.0
    three_children_household_id: int | None = None
    three_children_parent_email: str = ""
    one_child_household_id: int | None = None
    one_child_parent_email: str = ""
    pattern_child_id: int | None = None
    pattern_parent_email: str = ""
    canteen_code: str = ""  # the pattern child's canteen
    school_year: tuple = ()  # (first day, last day of the enrolments)


def household_sizes(households, children, rng):
    """Children per household: a tenth with three, the rest with one or two, ``children``
    in all; shuffled. At least one household of one and one of three children."""
    if households < 3:
        raise ValueError("Au moins 3 foyers.")
    threes = max(1, round(households * 0.1))
    twos = children - households - 2 * threes
    ones = households - threes - twos
    if twos < 0 or ones < 1:
        raise ValueError(f"{children} enfants pour {households} foyers : il en faut entre "
                         f"{households + 2 * threes} et {2 * households - 1}.")
    sizes = [1] * ones + [2] * twos + [3] * threes
    rng.shuffle(sizes)
    # The benchmark households come first: three children, then one, then one.
    for position, wanted in enumerate((3, 1, 1)):
        index = sizes.index(wanted, position)
        sizes[position], sizes[index] = sizes[index], sizes[position]
    return sizes


def _at(day, hour=9):
    from services.calendars import PARIS

    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=PARIS)


def _clone_activity(source, code, **fields):
    from services.models import Activity

    values = {f.name: getattr(source, f.name) for f in Activity._meta.concrete_fields
              if f.name not in ("id", "code")}
    values.update(fields)
    activity, _created = Activity.objects.update_or_create(code=code, defaults=values)
    return activity


def _extra_activities():
    """The school restaurants and leisure centres the demo does not have, with tariffs."""
    from billing import demo as billing_demo
    from billing.models import CollectionOffice
    from services.models import Activity

    canteen = Activity.objects.get(code="cantine-jules-ferry")
    wednesday = Activity.objects.get(code="centre-mercredi-journee")
    holidays = Activity.objects.get(code="centre-vacances-journee")
    created = []
    for school, code, name in SCHOOLS:
        if name:
            created.append(_clone_activity(canteen, code, name=name, site=f"Restaurant scolaire {school[6:]}",
                                           description=f"Déjeuner des élèves de l'{school.lower()}."))
    for site, wednesday_code, holiday_code, wednesday_places, holiday_places in CENTRES:
        if wednesday_places is None:
            continue
        created.append(_clone_activity(wednesday, wednesday_code, name=f"{site} – mercredi", site=site,
                                       capacity=wednesday_places))
        created.append(_clone_activity(holidays, holiday_code, name=f"{site} – vacances", site=site,
                                       capacity=holiday_places))
    for activity in created:
        source = "cantine-jules-ferry" if "cantine" in activity.code else "centre-vacances-journee"
        label, fields, grid = billing_demo.TARIFFS[source]
        billing_demo._tariff(activity, label, fields, grid)
    office = CollectionOffice.objects.filter(code=billing_demo.OFFICE["code"]).first()
    if office is not None:
        office.activities.add(*created)
    return created


BOOKING_COLUMNS = ["household", "child", "activity", "day", "status", "booked_at", "booked_by", "booked_late",
                   "waiting_since", "cancelled_at", "cancelled_late", "cancelled_sick", "changed_at", "changed_by",
                   "changed_by_agent"]


def _adapters():
    """(date, moment): a day and an aware moment as the database driver takes them
    (cached: a school year has a few hundred of each)."""
    import functools

    from django.db import connection

    ops = connection.ops
    return (functools.lru_cache(maxsize=None)(ops.adapt_datefield_value),
            functools.lru_cache(maxsize=None)(ops.adapt_datetimefield_value))


def insert_rows(model, fields, rows):
    """Insert plain tuples (values already adapted, in the order of ``fields``) with
    ``executemany`` in batches (SQLite) or ``COPY`` (PostgreSQL): ``bulk_create`` spends
    most of its time building and compiling model instances, which for a million
    bookings takes minutes."""
    from django.db import connection

    if not rows:
        return
    meta = model._meta
    columns = ", ".join(connection.ops.quote_name(meta.get_field(name).column) for name in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: several times faster than executemany
            with cursor.cursor.copy(f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start:start + 5000])


def _history_from_bookings():
    """One history line per generated booking (as the family made it), in one statement."""
    from django.db import connection

    from accounts.models import Household
    from services.models import Booking, BookingChange

    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(BookingChange._meta.db_table)} (booking_id, household_id, child_id, activity_id, day, "
            "at, actor_id, actor_label, acting_for_family, action, before_status, after_status, override, note) "
            "SELECT b.id, b.household_id, b.child_id, b.activity_id, b.day, COALESCE(b.booked_at, b.waiting_since), "
            "b.booked_by_id, '', b.changed_by_agent, "
            "CASE WHEN b.status = 'waiting' THEN 'waiting' ELSE 'booked' END, '', "
            "CASE WHEN b.status = 'waiting' THEN 'waiting' ELSE 'booked' END, %s, '' "
            f"FROM {q(Booking._meta.db_table)} b JOIN {q(Household._meta.db_table)} h ON h.id = b.household_id "
            "WHERE h.code LIKE %s",
            [False, f"{CODE_PREFIX}%"])
        return cursor.rowcount


def _flush(model, rows, counts, key):
    if rows:
        model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        counts[key] += len(rows)
        rows.clear()


def generate(households=5000, children=8000, *, seed=2026, history=False, load_demo=True, stdout=None):
    """Build the commune (see the module's docstring) in one transaction; returns a
    ``Commune``. ``load_demo=False`` when the demo commune is already loaded."""
    from django.core.management import call_command
    from django.db import transaction

    started = time.perf_counter()
    if load_demo:
        call_command("load_demo", verbosity=0)
    with transaction.atomic():
        commune = _generate(households, children, seed=seed, history=history, stdout=stdout)
    commune.seconds = time.perf_counter() - started
    return commune


def _generate(households_count, children_count, *, seed, history, stdout):
    from django.contrib.auth.hashers import make_password
    from django.db.models import Max, Q

    from accounts.models import Child, Guardian, GuardianChildRight, Household, User
    from billing.models import QuotientRecord
    from home.acceptance import current_version
    from home.models import RegulationAcceptance
    from services.calendars import Calendar
    from services.models import Activity, Booking, Enrolment, PlaceCounter, SchoolYear

    if Household.objects.filter(code__startswith=CODE_PREFIX).exists():
        raise RuntimeError("La commune du banc d'essai existe déjà dans cette base : partez d'une base vide.")
    rng = random.Random(seed)
    counts = Counter()
    started = time.perf_counter()

    def say(message):
        if stdout is not None:
            stdout.write(message + "\n")
            stdout.flush()

    # Activities and the school year ----------------------------------------------------
    _extra_activities()
    codes = [code for _s, code, _n in SCHOOLS] + [MORNING, EVENING] + DEMO_HALF_DAYS
    codes += [c for site in CENTRES for c in site[1:3]]
    activities = {a.code: a for a in Activity.objects.filter(code__in=codes)}
    year = SchoolYear.objects.filter(label="2026-2027").annotate(
        last_holiday=Max("periods__end_date", filter=Q(periods__kind="school_holiday"))).get()
    first_day, last_day = year.start_date, max(year.end_date, year.last_holiday or year.end_date)
    calendar = Calendar.load(start=first_day, end=last_day)
    occurrences = {code: calendar.occurrence_dates(activity, first_day, last_day)
                   for code, activity in activities.items()}
    school_days = occurrences[SCHOOLS[0][1]]  # Monday, Tuesday, Thursday, Friday of school weeks
    wednesdays = occurrences["centre-mercredi-journee"]
    holiday_days = occurrences["centre-vacances-journee"]
    pattern_booked_at = _at(first_day - dt.timedelta(days=10))

    # Households, logins, guardians, children, rights -----------------------------------
    sizes = household_sizes(households_count, children_count, rng)
    households = []
    for number, _size in enumerate(sizes, start=1):
        name = rng.choice(LAST_NAMES)
        quotient = Decimal(rng.randint(150, 2400)) if rng.random() < 0.85 else None
        households.append(Household(
            code=f"{CODE_PREFIX}{number:06d}", name=f"{name} {number}", address_line1=f"{number} rue de la Paix",
            postcode="59300", city="Aulnoy-lez-Valenciennes", phone_mobile=f"06 {number:08d}"[:14],
            email=f"foyer{number}@{EMAIL_DOMAIN}", family_situation=rng.choice(["married", "pacsed", "cohabiting",
                                                                               "single", "separated"]),
            is_resident=rng.random() < 0.92, family_quotient=quotient,
            family_quotient_source="caf" if quotient is not None else "none",
            family_quotient_valid_until=dt.date(2027, 12, 31) if quotient is not None else None,
            paper_only=number > 3 and rng.random() < 0.02))
    Household.objects.bulk_create(households, batch_size=BATCH_SIZE)
    households = list(Household.objects.filter(code__startswith=CODE_PREFIX).order_by("code"))
    counts["households"] = len(households)
    QuotientRecord.objects.bulk_create([
        QuotientRecord(household=h, quotient=h.family_quotient, source=h.family_quotient_source,
                       valid_until=h.family_quotient_valid_until, applies_from=dt.date(2025, 9, 1))
        for h in households], batch_size=BATCH_SIZE)

    password = make_password(BENCH_PASSWORD)  # one hash for every login: hashing is slow on purpose
    joined = _at(dt.date(2025, 9, 1))
    users, guardians, separated = [], [], set()
    for h in households:
        two = h.family_situation != "single" and rng.random() < 0.75
        if h.family_situation == "separated" and two:
            separated.add(h.code)
        for rank in (1, 2) if two else (1,):
            email = f"parent{h.code[2:]}-{rank}@{EMAIL_DOMAIN}"
            has_login = not h.paper_only and (rank == 1 or rng.random() < 0.6)
            if has_login:
                users.append(User(email=email, password=password, first_name=f"Parent{rank}",
                                  last_name=h.name.split()[0].title(), date_joined=joined, email_verified_at=joined))
            guardians.append((h, rank, email if has_login else None))
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    user_ids = dict(User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").values_list("email", "pk"))
    counts["logins"] = len(user_ids)
    Guardian.objects.bulk_create([
        Guardian(household=h, user_id=user_ids.get(email) if email else None, first_name=f"Parent{rank}",
                 last_name=h.name.split()[0].title(), email=email or "", relationship="mère" if rank == 1 else "père",
                 is_payer=rank == 1 or h.code in separated)
        for h, rank, email in guardians], batch_size=BATCH_SIZE)
    counts["guardians"] = len(guardians)

    child_rows = []
    for h, size in zip(households, sizes):
        names = rng.sample(FIRST_NAMES, size)
        years = sorted(rng.sample(sorted(LEVELS), size))
        for name, year_of_birth in zip(names, years):
            child_rows.append(Child(
                household=h, first_name=name, last_name=h.name.split()[0].title(),
                birth_date=dt.date(year_of_birth, rng.randint(1, 12), rng.randint(1, 28)),
                sex=rng.choice("FM"), class_level=LEVELS[year_of_birth],
                diet=rng.choice(["standard"] * 8 + ["without_pork", "vegetarian"]),
                has_medical_plan=rng.random() < 0.03))
    Child.objects.bulk_create(child_rows, batch_size=BATCH_SIZE)
    children = list(Child.objects.filter(household__code__startswith=CODE_PREFIX)
                    .order_by("household__code", "birth_date", "pk"))
    counts["children"] = len(children)
    by_household = {}
    for child in children:
        by_household.setdefault(child.household_id, []).append(child)
    guardian_rows = list(Guardian.objects.filter(household__code__startswith=CODE_PREFIX)
                         .order_by("household_id", "pk").values_list("pk", "household_id", "user_id"))
    rights = []
    seen = set()
    household_by_id = {h.pk: h for h in households}
    parent_of = {}  # household id -> the first guardian's user id (or None)
    for guardian_id, household_id, user_id in guardian_rows:
        h = household_by_id[household_id]
        second = household_id in seen
        seen.add(household_id)
        if not second:
            parent_of[household_id] = user_id
        own = by_household[household_id]
        if second and h.code in separated:
            own = own[:1]  # the other parent holds rights on the eldest only
        rights += [GuardianChildRight(guardian_id=guardian_id, child=c, can_view=True, can_book=True, can_pay=True)
                   for c in own]
    GuardianChildRight.objects.bulk_create(rights, batch_size=BATCH_SIZE)
    counts["rights"] = len(rights)

    version = current_version()
    if version is not None:
        RegulationAcceptance.objects.bulk_create([
            RegulationAcceptance(user_id=user_id, user_label=email, version=version, text_hash=version.text_hash,
                                 accepted_at=joined)
            for email, user_id in user_ids.items()], batch_size=BATCH_SIZE)
        counts["acceptances"] = len(user_ids)
    say(f"  households, logins, guardians, children, rights: {time.perf_counter() - started:.1f} s")

    # Plans: who uses what ----------------------------------------------------------------
    three = households[0]
    one = households[1]
    pattern = households[2]
    school_of = {}
    for h in households:
        school_of[h.pk] = rng.randrange(len(SCHOOLS))
    centre_of = {h.pk: rng.randrange(len(CENTRES)) for h in households}

    enrolments, bookings = [], []
    date, moment = _adapters()
    taken = Counter()  # (activity id, day) -> booked rows
    wednesday_demand, holiday_demand = {}, {}  # activity code -> [(child, user id)]

    def enrol(child, activity, user_id):
        enrolments.append(Enrolment(
            household_id=child.household_id, child=child, activity=activity, start_date=first_day,
            end_date=last_day, status=Enrolment.Status.ACTIVE, requested_at=pattern_booked_at,
            requested_by_id=user_id, decided_at=pattern_booked_at))

    def add(child, activity, day, user_id, status="booked", booked_at=None, cancelled=False):
        booked_at = booked_at or pattern_booked_at
        cancelled_at = None
        if cancelled:
            status = Booking.Status.CANCELLED
            cancelled_at = _at(day - dt.timedelta(days=rng.randint(8, 20)), 20)
        elif status == Booking.Status.BOOKED:
            taken[(activity.pk, day)] += 1
        waiting = status == Booking.Status.WAITING
        bookings.append((child.household_id, child.pk, activity.pk, date(day), status,
                         None if waiting else moment(booked_at), user_id, False,
                         moment(booked_at) if waiting else None, moment(cancelled_at), False, False,
                         moment(cancelled_at or booked_at), user_id, user_id is None))
        if len(bookings) >= FLUSH_EVERY:
            flush_bookings()

    def flush_bookings():
        insert_rows(Booking, BOOKING_COLUMNS, bookings)
        counts["bookings"] += len(bookings)
        bookings.clear()

    for h in households:
        user_id = parent_of.get(h.pk)
        full = h.pk == three.pk
        for child in by_household[h.pk]:
            canteen = activities[SCHOOLS[school_of[h.pk]][1]]
            roll = rng.random()
            if h.pk == pattern.pk:
                enrol(child, canteen, user_id)  # enrolled, no booking yet: the weekly pattern books
                continue
            if full or h.pk == one.pk or roll < 0.70:
                weekdays = SCHOOL_WEEK
            elif roll < 0.82:
                weekdays = sorted(rng.sample(SCHOOL_WEEK, rng.choice([2, 3])))
            elif roll < 0.90:
                weekdays = None  # irregular: about one day in two
            else:
                weekdays = []
            if weekdays != []:
                enrol(child, canteen, user_id)
                for day in school_days:
                    if (weekdays is None and rng.random() < 0.5) or (weekdays and day.weekday() in weekdays):
                        add(child, canteen, day, user_id, cancelled=rng.random() < 0.03)
            if h.pk == one.pk:
                continue
            for code, share in ((MORNING, 0.20), (EVENING, 0.35)):
                if full or rng.random() < share:
                    care = activities[code]
                    enrol(child, care, user_id)
                    days = SCHOOL_WEEK if full or rng.random() < 0.6 else rng.sample(SCHOOL_WEEK, 2)
                    for day in occurrences[code]:
                        if day.weekday() in days:
                            add(child, care, day, user_id, cancelled=rng.random() < 0.02)
            _site, wednesday_code, holiday_code, _w, _h = CENTRES[centre_of[h.pk]]
            if full or rng.random() < 0.12:
                if not full and wednesday_code == "centre-mercredi-journee" and rng.random() < 0.3:
                    wednesday_code = rng.choice(DEMO_HALF_DAYS[:2])
                enrol(child, activities[wednesday_code], user_id)
                wednesday_demand.setdefault(wednesday_code, []).append((child, user_id, full))
            if full or rng.random() < 0.10:
                enrol(child, activities[holiday_code], user_id)
                holiday_demand.setdefault(holiday_code, []).append((child, user_id, full))
        if len(enrolments) >= FLUSH_EVERY // 4:
            _flush(Enrolment, enrolments, counts, "enrolments")

    # The leisure centres: first come, first served within the places; the rest waits.
    for demand, days, chance in ((wednesday_demand, wednesdays, 0.7), (holiday_demand, holiday_days, 0.45)):
        for code, wanting in sorted(demand.items()):
            activity = activities[code]
            for day in days:
                asking = [w for w in wanting if w[2] or rng.random() < chance]
                asking.sort(key=lambda w: (not w[2], rng.random()))  # the benchmark household asked first
                booked_at = _at(day - dt.timedelta(days=rng.randint(20, 40)))
                for position, (child, user_id, _full) in enumerate(asking):
                    if activity.capacity is None or position < activity.capacity:
                        add(child, activity, day, user_id, booked_at=booked_at + dt.timedelta(minutes=position))
                    elif position < activity.capacity + 5:
                        add(child, activity, day, user_id, status=Booking.Status.WAITING,
                            booked_at=booked_at + dt.timedelta(minutes=position))
    flush_bookings()
    _flush(Enrolment, enrolments, counts, "enrolments")
    if history:
        counts["history"] = _history_from_bookings()
    say(f"  enrolments and bookings: {time.perf_counter() - started:.1f} s")

    # Places: one counter per occurrence with bookings (the demo's own are added to).
    existing = {(c.activity_id, c.day): c for c in PlaceCounter.objects.filter(
        scope=PlaceCounter.Scope.BOOKING, activity_id__in=[a.pk for a in activities.values()],
        day__gte=first_day, day__lte=last_day)}
    capacity = {a.pk: a.capacity for a in activities.values()}
    new = []
    for (activity_id, day), count in sorted(taken.items()):
        counter = existing.get((activity_id, day))
        if counter is not None:
            PlaceCounter.objects.filter(pk=counter.pk).update(taken=counter.taken + count)
        else:
            new.append(PlaceCounter(activity_id=activity_id, scope=PlaceCounter.Scope.BOOKING, day=day,
                                    capacity=capacity[activity_id], taken=count))
    _flush(PlaceCounter, new, counts, "place_counters")

    commune = Commune(counts=dict(counts), school_year=(first_day, last_day))
    user_email = {pk: email for email, pk in user_ids.items()}
    commune.three_children_household_id = three.pk
    commune.three_children_parent_email = user_email[parent_of[three.pk]]
    commune.one_child_household_id = one.pk
    commune.one_child_parent_email = user_email[parent_of[one.pk]]
    commune.pattern_child_id = by_household[pattern.pk][0].pk
    commune.pattern_parent_email = user_email[parent_of[pattern.pk]]
    commune.canteen_code = SCHOOLS[school_of[pattern.pk]][1]
    return commune

