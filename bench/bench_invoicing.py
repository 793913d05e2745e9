"""Benchmark: the monthly invoicing run for the commune of the bookings benchmark (5,000
households, 8,000 children, a school year of bookings), one month; and the parent's
invoice pages.

    .venv/bin/python bench/bench_invoicing.py [--households 5000] [--children 8000] [--month 2026-11]
                                              [--runs 15] [--no-memory] [--keep]

It builds the commune with ``bench/generate_commune.py`` (the same options as
``bench/bench_bookings.py``) in a fresh database: a temporary SQLite file, or the
PostgreSQL database of DATABASE_URL (then use an empty, throwaway database). Then:

(a) the attendance of the month (as the agents take it): most booked children present,
    a few absent, a few never marked, some who cancelled in time came all the same (a
    presence without booking), and a few late bookings, so that the run meets every
    case of ``services.billable``;
(b) the real monthly run of the demo's collection office (``billing.invoicing.execute_run``,
    which reads ``services.billable.month_facts``): time and peak Python memory
    (tracemalloc) of the drafts, then of the issue (``finalise_run``: numbering, audit
    trail, the payers' e-mails to the local memory backend), the invoices, lines and
    totals; then a re-run of the same month (nothing invoiced twice);
(c) the parent's invoice list and invoice detail (``/fr/factures/`` and
    ``/fr/factures/<id>/`` through ``django.test.Client`` logged in as the parent): the
    SQL queries of one request and the median time, for the household with three
    children when it has one month of invoices, then again once it has a year of them
    (the eleven other months of the school year invoiced by the same run function for
    that household only, most paid at the desk, one corrected by a credit note). The
    number of queries must not grow with the history.

It never fails on time: it prints figures. With tracemalloc on, Python code runs
slower: ``--no-memory`` gives the times without it.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_MONTH = "2026-11"  # "last month" for the bookings benchmark's clock (2026-12-08)


def setup_django():
    var = tempfile.mkdtemp(prefix="bench-invoicing-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ["PORTAL_VAR_DIR"] = var
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ.setdefault("PORTAL_LOG_LEVEL", "WARNING")  # no line per request
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")  # the payers' e-mails
    os.makedirs(os.path.join(var, "static"), exist_ok=True)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    return var


def month_bounds(year, month):
    first = dt.date(year, month, 1)
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return first, last


def take_attendance(year, month, seed):
    """The month's attendance of the generated households, written as plain rows in one
    transaction (in autocommit, SQLite would sync its journal after every row). Returns
    a Counter of what was written."""
    from django.db import transaction

    with transaction.atomic():
        return _take_attendance(year, month, seed)


def _take_attendance(year, month, seed):
    from bench.generate_commune import CODE_PREFIX, _adapters, _at, insert_rows
    from services.models import Attendance, Booking

    rng = random.Random(seed)
    first, last = month_bounds(year, month)
    date, moment = _adapters()
    rows, late, counts = [], [], Counter()
    bookings = (Booking.objects.filter(household__code__startswith=CODE_PREFIX, day__gte=first, day__lte=last,
                                       status__in=[Booking.Status.BOOKED, Booking.Status.CANCELLED])
                .order_by("pk").values_list("pk", "household_id", "child_id", "activity_id", "day", "status"))
    for pk, household_id, child_id, activity_id, day, status in bookings.iterator(chunk_size=5000):
        roll = rng.random()
        if status == Booking.Status.BOOKED:
            if roll < 0.02:
                late.append(pk)  # booked after the deadline: the late surcharge
            if roll < 0.93:
                mark, reason = Attendance.Status.PRESENT, ""
            elif roll < 0.97:
                mark, reason = Attendance.Status.ABSENT, rng.choice(["sick", "family", "unknown"])
            else:
                counts["not marked"] += 1
                continue
        elif roll < 0.25:  # cancelled in time, came all the same: a presence without booking
            mark, reason = Attendance.Status.PRESENT, ""
        else:
            continue
        counts[mark] += 1
        rows.append((household_id, child_id, activity_id, date(day), mark, reason, "", moment(_at(day, 12)), None))
    insert_rows(Attendance, ["household", "child", "activity", "day", "status", "absence_reason", "note",
                             "recorded_at", "recorded_by"], rows)
    for start in range(0, len(late), 500):
        Booking.objects.filter(pk__in=late[start:start + 500]).update(booked_late=True)
    counts["booked late"] = len(late)
    return counts


def measure(client, url, runs):
    """(response, queries of each request, median time in ms); a first request warms the
    caches and is not counted."""
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
    return response, queries, statistics.median(times)


def traced(function, memory):
    """(result, seconds, peak MB or None) of ``function()``."""
    if memory:
        tracemalloc.start()
    started = time.perf_counter()
    try:
        result = function()
    finally:
        seconds = time.perf_counter() - started
        peak = None
        if memory:
            peak = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
    return result, seconds, peak


def run(households=5000, children=8000, *, month=DEFAULT_MONTH, runs=15, seed=2026, memory=True, load_demo=True,
        out=sys.stdout):
    """Build the commune and print the figures (Django set up, empty database). Returns
    a dict of what the tests look at."""
    from django.core import mail
    from django.db import connection
    from django.db.models import Count, Sum
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from accounts.models import User
    from bench.generate_commune import CODE_PREFIX, generate
    from billing import demo as billing_demo
    from billing import invoicing
    from billing.models import CollectionOffice, Invoice, InvoiceLine, InvoicingRun, Payment
    from billing.payments import record_desk_payment
    from services import billable

    def say(message=""):
        out.write(message + "\n")
        out.flush()

    year, month_number = (int(part) for part in month.split("-"))
    started = time.perf_counter()
    commune = generate(households, children, seed=seed, load_demo=load_demo, stdout=out)
    counts = commune.counts
    say(f"commune: {counts['households']} households, {counts['children']} children, {counts['bookings']} "
        f"bookings ({time.perf_counter() - started:.1f} s to generate, demo included), database {connection.vendor}")

    # (a) attendance ---------------------------------------------------------------------
    started = time.perf_counter()
    marks = take_attendance(year, month_number, seed)
    say(f"(a) attendance of {month}: {marks['present']} present, {marks['absent']} absent, {marks['not marked']} "
        f"booked but not marked, {marks['booked late']} late bookings ({time.perf_counter() - started:.1f} s)")

    # (b) the run ------------------------------------------------------------------------
    office = CollectionOffice.objects.get(code=billing_demo.OFFICE["code"])
    month_invoices = Invoice.objects.filter(office=office, year=year, month=month_number)
    before = set(month_invoices.values_list("pk", flat=True))  # the demo's own, if it invoiced that month
    mail.outbox = []
    say()
    say(f"(b) monthly run, office {office.code} ({office.activities.count()} activities), {month}"
        + ("" if memory else ", tracemalloc off"))
    run_row = InvoicingRun.objects.create(office=office, year=year, month=month_number)
    totals, seconds, peak = traced(lambda: invoicing.execute_run(run_row.pk), memory)
    run_row.refresh_from_db()
    drafts = Invoice.objects.filter(run=run_row)
    amount = Decimal(drafts.aggregate(total=Sum("total"))["total"] or 0).quantize(Decimal("0.01"))
    lines = InvoiceLine.objects.filter(invoice__run=run_row)
    by_status = dict(lines.values_list("fact_status").annotate(n=Count("id")).order_by())
    memory_text = f", peak memory {peak:.1f} MB" if peak is not None else ""
    say(f"    drafts          {seconds:>7.2f} s{memory_text}: {run_row.progress_total} households with facts, "
        f"{run_row.invoices_created} invoices, {run_row.lines_created} lines, {amount} € in all, "
        f"{run_row.facts_without_tariff} facts without tariff, {run_row.facts_skipped} already invoiced")
    say("    lines by case   " + ", ".join(f"{status} {by_status.get(status, 0)}" for status in billable.STATUSES
                                           if by_status.get(status)))
    issued, seconds, peak = traced(lambda: invoicing.finalise_run(run_row), memory)
    run_row.refresh_from_db()
    numbers = Invoice.objects.filter(run=run_row).exclude(number="").order_by("sequence_number")
    first_number, last_number = numbers.first(), numbers.last()
    memory_text = f", peak memory {peak:.1f} MB" if peak is not None else ""
    say(f"    issue           {seconds:>7.2f} s{memory_text}: {issued} issued, "
        f"{first_number.number if first_number else '-'} to {last_number.number if last_number else '-'}, "
        f"{len(mail.outbox)} e-mails")
    rerun = InvoicingRun.objects.create(office=office, year=year, month=month_number)
    _totals, seconds, _peak = traced(lambda: invoicing.execute_run(rerun.pk), False)
    rerun.refresh_from_db()
    say(f"    re-run          {seconds:>7.2f} s: {rerun.invoices_created} new invoices, {rerun.lines_created} new "
        f"lines, {rerun.facts_skipped} facts already invoiced")

    # (c) the parent's pages -------------------------------------------------------------
    parent = User.objects.get(email=commune.three_children_parent_email)
    household_id = commune.three_children_household_id
    with translation.override("fr"):
        list_url = reverse("billing:invoices")
        month_invoice = Invoice.objects.get(run=run_row, household_id=household_id)
        detail_url = reverse("billing:invoice", args=[month_invoice.pk])
    client = Client()
    client.force_login(parent)
    say()
    say(f"(c) the parent's invoice pages, household with 3 children, {runs} requests each")
    say(f"    {'case':<52} {'queries':>7} {'median':>9}  shown")
    seen = {"list": set(), "detail": set()}  # the list, and the detail of the month's invoice

    def show(label, kind, url):
        response, queries, median = measure(client, url, runs)
        if kind in seen:
            seen[kind].update(queries)
        body = response.content.decode()
        status = "" if response.status_code == 200 else f"  HTTP {response.status_code}!"
        if kind == "list":
            shown = f"{body.count('/pdf/')} invoices listed"
        else:
            shown = f"{body.count('<td')} cells, {len(body) // 1024} KB"
        say(f"    {label:<52} {queries[-1]:>7} {median:>7.1f}ms  {shown}{status}")

    mine = Invoice.objects.filter(household_id=household_id).exclude(status=Invoice.Status.DRAFT)
    show(f"list, one month ({mine.count()} invoice)", "list", list_url)
    show(f"detail of {month}, one month of history", "detail", detail_url)

    # A year of history: the other months of the school year, same run function, this
    # household only; most paid at the desk, one corrected by a credit note.
    started = time.perf_counter()
    first_day, last_day = commune.school_year
    past = []
    day = first_day.replace(day=1)
    while day <= last_day:
        if (day.year, day.month) != (year, month_number):
            past.append((day.year, day.month))
        day = (day + dt.timedelta(days=32)).replace(day=1)

    def only_this_household(y, m, activity_ids=None):
        return (fact for fact in billable.month_facts(y, m, activity_ids=activity_ids)
                if fact.household_id == household_id)

    for y, m in past:
        history_run = InvoicingRun.objects.create(office=office, year=y, month=m)
        invoicing.execute_run(history_run.pk, facts_source=only_this_household)
        invoicing.finalise_run(history_run)
    history = list(mine.exclude(pk=month_invoice.pk).order_by("year", "month"))
    for invoice in history[:-2]:
        record_desk_payment(invoice, amount=invoice.total, method=Payment.Method.CASH, user=None,
                            note="banc d'essai")
    if history:
        invoicing.issue_credit_note(history[0], reason="Repas non servi (grève)", lines=[history[0].lines.first()])
    say(f"    ({len(history)} more invoices over {len(past)} months, {Payment.objects.filter(invoice__in=history).count()} "
        f"paid at the desk, 1 credit note: {time.perf_counter() - started:.1f} s)")
    show(f"list, a year of history ({mine.count()} invoices)", "list", list_url)
    show(f"detail of {month}, a year of history", "detail", detail_url)
    if history:
        with translation.override("fr"):
            show(f"detail of {history[0].month:02d}/{history[0].year} (paid, credit note)", "other",
                 reverse("billing:invoice", args=[history[0].pk]))
    same = {kind: "yes" if len(values) == 1 else f"no ({sorted(values)})" for kind, values in seen.items()}
    say(f"    same number of queries whatever the history: list {same['list']}, detail of {month} {same['detail']}")
    return {"commune": commune, "run": run_row, "rerun": rerun, "issued": issued, "demo_invoices": len(before),
            "history": len(history), "queries": seen}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=5000)
    parser.add_argument("--children", type=int, default=8000)
    parser.add_argument("--month", default=DEFAULT_MONTH, help="the month invoiced (YYYY-MM, school year 2026-2027)")
    parser.add_argument("--runs", type=int, default=15, help="requests measured per page (median)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-memory", action="store_true", help="time the run without tracemalloc")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (SQLite file)")
    args = parser.parse_args()
    started = time.perf_counter()
    var = setup_django()
    from django.db import connection

    print(f"database ready (migrations) in {time.perf_counter() - started:.1f} s")
    run(args.households, args.children, month=args.month, runs=args.runs, seed=args.seed, memory=not args.no_memory)
    if args.keep:
        print(f"kept: {var}")
    else:
        import shutil

        connection.close()
        shutil.rmtree(var, ignore_errors=True)  # the SQLite file (if any), e-mails, static


if __name__ == "__main__":
    main()
