"""The periodic-job scheduler: runs every job registered with the ``portal_periodic_jobs``
hook (``portal/hooks.py``) at its interval.

A job is a dict::

    {"name": "billing.poll_payfip",      # unique, stable (it names the lease row)
     "every": timedelta(minutes=15),     # the interval
     "run": callable(now),               # idempotent; manages its own transactions
     "offset": timedelta(hours=7),       # optional: slots start at 07:00 for daily jobs
     "timeout": timedelta(minutes=30)}   # optional: how long a run keeps its lease

Time is cut into slots of ``every`` (on the Europe/Paris wall clock, shifted by
``offset``): a job runs at most once per slot, whichever scheduler gets there first. A
scheduler that was stopped for a while runs a late job once, not once per missed slot.

Concurrency: several schedulers may run at once (two app servers, a cron line left over):
each run is claimed with one conditional UPDATE of the job's ``PeriodicJob`` row (slot
older than the current one and no live lease), which only one of them can win, on
PostgreSQL as on SQLite. The lease (``timeout``, one hour by default) keeps a slow run
from overlapping the next slot; a scheduler that dies mid-run frees the job when its lease
runs out. A failed run is recorded (admin: Paramètres > File des tâches) and the job runs
again at its next slot.
"""

import logging
import os
import socket
import time
import traceback
from datetime import datetime, timedelta

from django.core.exceptions import ImproperlyConfigured
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import get_random_string

from portal.hooks import PERIODIC_JOBS, collect

from .models import PeriodicJob

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = timedelta(hours=1)
# Slots are counted on the local wall clock from this moment (a Monday at midnight, so that
# weekly jobs start their week on Monday).
EPOCH = datetime(2024, 1, 1)


def registered_jobs():
    """Every job of the ``portal_periodic_jobs`` hook, checked, by name."""
    jobs = {}
    for returned in collect(PERIODIC_JOBS):
        for job in returned or []:
            name = job.get("name")
            every = job.get("every")
            if not name or not callable(job.get("run")):
                raise ImproperlyConfigured(f"Periodic job {job!r} needs a name and a callable 'run'.")
            if not isinstance(every, timedelta) or every <= timedelta(0):
                raise ImproperlyConfigured(f"Periodic job {name!r}: 'every' must be a positive timedelta.")
            if name in jobs:
                raise ImproperlyConfigured(f"Two periodic jobs are named {name!r}.")
            jobs[name] = {"offset": timedelta(0), "timeout": DEFAULT_TIMEOUT, **job}
    return jobs


def slot_start(job, now):
    """The start of the slot ``now`` falls in, as an aware datetime."""
    local = timezone.localtime(now).replace(tzinfo=None)
    origin = EPOCH + job["offset"]
    index = (local - origin) // job["every"]
    return timezone.make_aware(origin + index * job["every"])


def next_slot(job, now):
    return timezone.make_aware(timezone.make_naive(slot_start(job, now)) + job["every"])


def scheduler_id():
    return f"{socket.gethostname()}:{os.getpid()}:{get_random_string(6)}"


def claim(job, now, owner):
    """Take ``job``'s current slot for ``owner``: True when this call won it."""
    slot = slot_start(job, now)
    PeriodicJob.objects.get_or_create(name=job["name"])
    won = (
        PeriodicJob.objects.filter(name=job["name"])
        .filter(Q(last_slot__isnull=True) | Q(last_slot__lt=slot))
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .update(
            last_slot=slot,
            locked_until=now + job["timeout"],
            locked_by=owner[:100],
            last_started_at=now,
            last_outcome=PeriodicJob.Outcome.RUNNING,
        )
    )
    return won == 1


def _finish(job, owner, started, error):
    elapsed_ms = int((time.monotonic() - started) * 1000)
    failed = error is not None
    PeriodicJob.objects.filter(name=job["name"], locked_by=owner[:100]).update(
        locked_until=None,
        locked_by="",
        last_finished_at=timezone.now(),
        last_outcome=PeriodicJob.Outcome.FAILURE if failed else PeriodicJob.Outcome.SUCCESS,
        last_error=error or "",
        last_duration_ms=elapsed_ms,
        runs=F("runs") + 1,
        failures=F("failures") + (1 if failed else 0),
    )


def run_job(job, now, owner):
    """Run a claimed job; a failure is logged and recorded, never raised."""
    started = time.monotonic()
    error = None
    try:
        job["run"](now)
    except Exception as exc:  # noqa: BLE001 - one job's failure must not stop the others
        error = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:2000]
        logger.exception("periodic job %s failed", job["name"])
    else:
        logger.info("periodic job %s done", job["name"])
    _finish(job, owner, started, error)
    return error is None


def run_due_jobs(*, now=None, owner=None, names=None):
    """Run every due job once (those of ``names`` only, when given); return the names of
    the jobs this call ran."""
    owner = owner or scheduler_id()
    jobs = registered_jobs()
    if names:
        unknown = set(names) - set(jobs)
        if unknown:
            raise ImproperlyConfigured(f"Unknown periodic job(s): {', '.join(sorted(unknown))}.")
    ran = []
    for name, job in sorted(jobs.items()):
        if names and name not in names:
            continue
        moment = now or timezone.now()
        if claim(job, moment, owner):
            run_job(job, moment, owner)
            ran.append(name)
    return ran


def force_run(name, *, now=None, owner=None):
    """Run one job now, whatever its slot (still never while another run holds its lease)."""
    owner = owner or scheduler_id()
    job = registered_jobs().get(name)
    if job is None:
        raise ImproperlyConfigured(f"Unknown periodic job: {name}.")
    moment = now or timezone.now()
    PeriodicJob.objects.get_or_create(name=name)
    won = (
        PeriodicJob.objects.filter(name=name)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=moment))
        .update(locked_until=moment + job["timeout"], locked_by=owner[:100], last_started_at=moment,
                last_outcome=PeriodicJob.Outcome.RUNNING)
    )
    if won != 1:
        return None
    return run_job(job, moment, owner)


def job_states(now=None):
    """For the admin and ``run_periodic --list``: each registered job with its row and the
    next time it is due (rows of jobs no longer registered are listed apart)."""
    now = now or timezone.now()
    jobs = registered_jobs()
    rows = {row.name: row for row in PeriodicJob.objects.all()}
    states = []
    for name, job in sorted(jobs.items()):
        row = rows.pop(name, None)
        due = slot_start(job, now) if row is None or row.last_slot is None or row.last_slot < slot_start(job, now) \
            else next_slot(job, now)
        states.append({"name": name, "every": job["every"], "row": row, "next_due": due,
                       "lease_expired": bool(row and row.locked_until and row.locked_until <= now)})
    return states, list(rows.values())
