"""Benchmark: the parent's month calendar and the weekly pattern, in a commune of 5,000
households and 8,000 children with a school year of bookings.

    .venv/bin/python bench/bench_bookings.py [--households 5000] [--children 8000] [--runs 15] [--keep]

It builds its own commune (``bench/generate_commune.py``) in a fresh database: a
temporary SQLite file, or the PostgreSQL database of DATABASE_URL (then use an empty,
throwaway database). Then it prints:

(a) for the parent's month calendar (the canteen ServicePage's ``espace/calendrier/
    ?mois=YYYY-MM``, through ``django.test.Client`` logged in as the parent): the number
    of SQL queries of one request and the median server time over ``--runs`` requests,
    for a household with three children, then for other cases (one child, another
    month, the services with more activities per child) to show that the number of
    queries does not grow with the children, the days or the activities;
(b) the time to apply a school-year weekly pattern (``services.bookings.apply_pattern``:
    the canteen on Monday, Tuesday, Thursday and Friday until the end of the school
    year) for one child, as a dry run (the preview) and for real.

The clock of the screens and of the pattern is fixed (``--now``, a Tuesday of December
2026 by default) so that the figures do not depend on the day the benchmark is run: the
demo school year is 2026-2027. It never fails on time: it prints figures.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_NOW = "2026-12-08T10:00"  # Paris time
CALENDAR_SERVICES = ["restauration-scolaire", "accueil-periscolaire", "centre-de-loisirs"]


def setup_django():
    var = tempfile.mkdtemp(prefix="bench-bookings-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ["PORTAL_VAR_DIR"] = var
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ.setdefault("PORTAL_LOG_LEVEL", "WARNING")  # no line per request
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")  # the confirmations
    os.makedirs(os.path.join(var, "static"), exist_ok=True)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    return var


def paris_moment(value):
    from services.calendars import PARIS

    return dt.datetime.fromisoformat(value).replace(tzinfo=PARIS)


def calendar_url(page, month, child_id=None):
    from django.urls import reverse

    if child_id is None:
        path = reverse("calendar", urlconf="services.urls_embedded")
    else:
        path = reverse("child_calendar", urlconf="services.urls_embedded", kwargs={"child_id": child_id})
    path = path.lstrip("/")
    return f"{page.url}{page.reverse_subpage('screens', kwargs={'screen_path': path})}?mois={month}"


def measure(client, url, runs):
    """(status, queries of each request, median and best time in ms); a first request
    warms the caches (templates, Wagtail's site and page lookups) and is not counted."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    queries, times = [], []
    for _run in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured.captured_queries))
    return response, queries, statistics.median(times), min(times)


def shown(response):
    """What the page shows: children, (child, activity) tables, days with a checkbox."""
    body = response.content.decode()
    children = body.count('aria-labelledby="month-child-')
    tables = body.count('<table class="booking-month')
    boxes = body.count('name="jour"')
    return (f"{children} {'child' if children == 1 else 'children'}, {tables} tables, {boxes} changeable days, "
            f"{len(body) // 1024} KB")


def run(households=5000, children=8000, *, runs=15, now=DEFAULT_NOW, seed=2026, history=False, load_demo=True,
        out=sys.stdout):
    """Build the commune and print the figures (Django set up, empty database)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Child, User
    from bench.generate_commune import generate
    from home.models import ServicePage
    from services import bookings, clock
    from services.models import Activity, Booking, SchoolYear

    def say(message=""):
        out.write(message + "\n")
        out.flush()

    started = time.perf_counter()
    commune = generate(households, children, seed=seed, history=history, load_demo=load_demo, stdout=out)
    counts = commune.counts
    say(f"commune: {counts['households']} households, {counts['children']} children, {counts['logins']} logins, "
        f"{counts['enrolments']} enrolments, {counts['bookings']} bookings, {counts['place_counters']} place "
        f"counters ({time.perf_counter() - started:.1f} s to generate, demo included), "
        f"database {connection.vendor}")

    moment = paris_moment(now)
    original_now = clock.now
    clock.now = lambda: moment
    try:
        pages = {p.service.code: p for p in ServicePage.objects.live().filter(
            service__code__in=CALENDAR_SERVICES, locale__language_code="fr").select_related("service")}
        three = User.objects.get(email=commune.three_children_parent_email)
        one = User.objects.get(email=commune.one_child_parent_email)
        next_month = (moment.date().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        holiday_month = dt.date(2027, 2, 1)  # Wednesdays, school weeks and the winter holidays
        cases = [
            ("3 children, canteen", three, "restauration-scolaire", next_month),
            ("3 children, canteen, this month", three, "restauration-scolaire", moment.date()),
            ("3 children, canteen, holiday month", three, "restauration-scolaire", holiday_month),
            ("3 children, morning + evening care", three, "accueil-periscolaire", next_month),
            ("3 children, leisure centre (Wed + holidays)", three, "centre-de-loisirs", holiday_month),
            ("1 child, canteen", one, "restauration-scolaire", next_month),
        ]
        say()
        say(f"(a) parent's month calendar, {runs} requests each (clock fixed at {moment:%Y-%m-%d %H:%M} Paris)")
        say(f"    {'case':<44} {'month':<8} {'queries':>7} {'median':>9} {'best':>9}  shown")
        seen_queries = set()
        client = Client()
        for label, user, code, month in cases:
            client.force_login(user)
            url = calendar_url(pages[code], f"{month:%Y-%m}")
            response, queries, median, best = measure(client, url, runs)
            seen_queries.update(queries)
            status = "" if response.status_code == 200 else f"  HTTP {response.status_code}!"
            say(f"    {label:<44} {month:%Y-%m}  {queries[-1]:>7} {median:>7.1f}ms {best:>7.1f}ms  "
                f"{shown(response)}{status}")
        same = "yes" if len(seen_queries) == 1 else f"no ({sorted(seen_queries)})"
        say(f"    same number of queries in every case and every run: {same}")

        # (b) the weekly pattern ---------------------------------------------------------
        child = Child.objects.select_related("household").get(pk=commune.pattern_child_id)
        canteen = Activity.objects.get(code=commune.canteen_code)
        parent = User.objects.get(email=commune.pattern_parent_email)
        year = SchoolYear.objects.get(label="2026-2027")
        start, end = max(moment.date(), year.start_date), year.end_date
        say()
        say(f"(b) weekly pattern Mon/Tue/Thu/Fri, {canteen.name}, {start:%d/%m/%Y} to {end:%d/%m/%Y}, one child")
        for dry_run in (True, False):
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                result = bookings.apply_pattern(parent, child, canteen, [0, 1, 3, 4], start=start, end=end,
                                                now=moment, dry_run=dry_run)
                seconds = time.perf_counter() - began
            refused = ", ".join(f"{code} {len(items)}" for code, _message, items in result.refusals_by_reason())
            say(f"    {'dry run (preview)' if dry_run else 'applied':<18} {seconds * 1000:>8.0f} ms, "
                f"{len(captured.captured_queries)} queries: {len(result.booked)} booked, "
                f"{len(result.not_running)} days without canteen, refused: {refused or 'none'}")
        written = Booking.objects.filter(child=child, activity=canteen, status=Booking.Status.BOOKED).count()
        say(f"    bookings of that child now in the database: {written}")
    finally:
        clock.now = original_now
    return commune


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=5000)
    parser.add_argument("--children", type=int, default=8000)
    parser.add_argument("--runs", type=int, default=15, help="requests measured per case (median)")
    parser.add_argument("--now", default=DEFAULT_NOW, help="the screens' clock, Paris time (YYYY-MM-DDTHH:MM)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--history", action="store_true", help="also write one history line per booking")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (SQLite file)")
    args = parser.parse_args()
    started = time.perf_counter()
    var = setup_django()
    from django.db import connection

    print(f"database ready (migrations) in {time.perf_counter() - started:.1f} s")
    run(args.households, args.children, runs=args.runs, now=args.now, seed=args.seed, history=args.history)
    if args.keep:
        print(f"kept: {var}")
    else:
        import shutil

        connection.close()
        shutil.rmtree(var, ignore_errors=True)  # the SQLite file (if any), e-mails, static


if __name__ == "__main__":
    main()
