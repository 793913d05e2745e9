"""The scheduler: runs the periodic jobs (``portal_periodic_jobs`` hook) at their interval.

    manage.py run_periodic              # loops (systemd unit portal-scheduler)
    manage.py run_periodic --once       # runs what is due and exits (a cron line)
    manage.py run_periodic --list       # the jobs, their last run and next slot
    manage.py run_periodic --force NAME # runs one job now, whatever its slot

Several schedulers may run at once: each job runs once per slot (see ops/scheduler.py).
"""

import signal
import time

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from ops import scheduler


class Command(BaseCommand):
    help = "Run the periodic jobs at their interval (--once for cron)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run the jobs that are due, then exit.")
        parser.add_argument("--interval", type=float, default=30.0,
                            help="Seconds between two looks at the jobs (default 30).")
        parser.add_argument("--job", action="append", dest="jobs", metavar="NAME",
                            help="Only this job (repeatable).")
        parser.add_argument("--force", metavar="NAME", help="Run this job now, whatever its slot, then exit.")
        parser.add_argument("--list", action="store_true", help="List the jobs and their state, then exit.")

    def handle(self, *, once, interval, jobs, force, list, **options):
        self.verbosity = options.get("verbosity", 1)
        try:
            if list:
                return self.list_jobs()
            if force:
                return self.force(force)
            owner = scheduler.scheduler_id()
            if once:
                self.run_once(owner, jobs)
                return
            self.loop(owner, jobs, interval)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error

    def run_once(self, owner, jobs):
        ran = scheduler.run_due_jobs(owner=owner, names=jobs)
        if self.verbosity >= 1 and ran:
            self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M:%S} ran: {', '.join(ran)}")

    def loop(self, owner, jobs, interval):
        scheduler.registered_jobs()  # a misconfigured job stops the scheduler at once
        self.running = True

        def stop(signum, frame):
            self.running = False

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        self.stdout.write(f"scheduler {owner} started, looking every {interval:g} s")
        try:
            self._loop(owner, jobs, interval)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write("scheduler stopped")

    def _loop(self, owner, jobs, interval):
        while self.running:
            close_old_connections()
            try:
                self.run_once(owner, jobs)
            except Exception as error:  # the database may be restarting: try again later
                self.stderr.write(f"scheduler: {error!r}")
            close_old_connections()
            deadline = time.monotonic() + interval
            while self.running and time.monotonic() < deadline:
                time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))

    def force(self, name):
        outcome = scheduler.force_run(name)
        if outcome is None:
            raise CommandError(f"{name} is running elsewhere (its lease is held): not started.")
        if not outcome:
            raise CommandError(f"{name} failed: see the log and the admin (File des tâches).")
        self.stdout.write(f"{name}: done")

    def list_jobs(self):
        states, orphans = scheduler.job_states()
        for state in states:
            row = state["row"]
            last = f"{timezone.localtime(row.last_started_at):%Y-%m-%d %H:%M} {row.last_outcome}" \
                if row and row.last_started_at else "never"
            self.stdout.write(f"{state['name']:40} every {state['every']}  last: {last}  "
                              f"next: {timezone.localtime(state['next_due']):%Y-%m-%d %H:%M}")
        for row in orphans:
            self.stdout.write(f"{row.name:40} (no longer registered)")
