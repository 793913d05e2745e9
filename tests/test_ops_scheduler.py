"""The scheduler runs every registered periodic job once per slot, whichever of several
schedulers gets there first; failures are recorded and retried at the next slot."""

import io
import os
import signal
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from ops import scheduler
from ops.models import PeriodicJob

PARIS = ZoneInfo("Europe/Paris")
T0 = datetime(2026, 3, 10, 9, 2, tzinfo=PARIS)


def recorder(calls, name="x"):
    return lambda now: calls.append((name, now))


def test_a_job_runs_once_per_slot(db, periodic_jobs):
    calls = []
    periodic_jobs({"name": "test.every_15", "every": timedelta(minutes=15), "run": recorder(calls)})
    assert scheduler.run_due_jobs(now=T0) == ["test.every_15"]
    assert scheduler.run_due_jobs(now=T0 + timedelta(minutes=5)) == []  # same slot (09:00-09:15)
    assert scheduler.run_due_jobs(now=T0 + timedelta(minutes=13)) == ["test.every_15"]  # 09:15
    assert [now for _, now in calls] == [T0, T0 + timedelta(minutes=13)]
    row = PeriodicJob.objects.get(name="test.every_15")
    assert row.runs == 2 and row.failures == 0 and row.last_outcome == "success"
    assert row.locked_until is None and row.locked_by == ""
    assert row.last_slot == datetime(2026, 3, 10, 9, 15, tzinfo=PARIS)


def test_a_late_scheduler_runs_a_missed_job_once_not_once_per_missed_slot(db, periodic_jobs):
    calls = []
    periodic_jobs({"name": "test.hourly", "every": timedelta(hours=1), "run": recorder(calls)})
    scheduler.run_due_jobs(now=T0)
    assert scheduler.run_due_jobs(now=T0 + timedelta(hours=5)) == ["test.hourly"]
    assert scheduler.run_due_jobs(now=T0 + timedelta(hours=5, minutes=1)) == []
    assert len(calls) == 2


def test_daily_jobs_follow_the_paris_wall_clock_across_daylight_saving(db, periodic_jobs):
    job = {"name": "test.daily", "every": timedelta(days=1), "offset": timedelta(hours=7), "run": print,
           "timeout": timedelta(hours=1)}
    # Winter (UTC+1) and summer (UTC+2, after 29 March 2026): the slot starts at 07:00 in Paris.
    assert scheduler.slot_start(job, datetime(2026, 3, 28, 6, 59, tzinfo=PARIS)) == datetime(2026, 3, 27, 7, 0, tzinfo=PARIS)
    assert scheduler.slot_start(job, datetime(2026, 3, 28, 7, 0, tzinfo=PARIS)) == datetime(2026, 3, 28, 7, 0, tzinfo=PARIS)
    summer = scheduler.slot_start(job, datetime(2026, 3, 30, 8, 0, tzinfo=ZoneInfo("UTC")))
    assert summer == datetime(2026, 3, 30, 7, 0, tzinfo=PARIS)
    assert summer.utcoffset() == timedelta(hours=2)


def test_a_failing_job_is_recorded_does_not_stop_the_others_and_runs_again_next_slot(db, periodic_jobs):
    calls = []

    def broken(now):
        calls.append("broken")
        raise RuntimeError("PayFiP ne répond pas")

    periodic_jobs(
        {"name": "test.a_broken", "every": timedelta(minutes=10), "run": broken},
        {"name": "test.b_fine", "every": timedelta(minutes=10), "run": recorder(calls, "fine")},
    )
    assert scheduler.run_due_jobs(now=T0) == ["test.a_broken", "test.b_fine"]
    row = PeriodicJob.objects.get(name="test.a_broken")
    assert row.last_outcome == "failure" and row.failures == 1
    assert row.last_error == "RuntimeError: PayFiP ne répond pas"
    assert row.locked_until is None  # the lease is released after a failure too
    assert scheduler.run_due_jobs(now=T0 + timedelta(minutes=1)) == []  # same slot: not again
    assert scheduler.run_due_jobs(now=T0 + timedelta(minutes=10)) == ["test.a_broken", "test.b_fine"]
    assert calls.count("broken") == 2


def test_a_live_lease_blocks_the_job_and_an_expired_one_is_taken_over(db, periodic_jobs):
    calls = []
    job = {"name": "test.leased", "every": timedelta(minutes=5), "run": recorder(calls),
           "timeout": timedelta(minutes=30)}
    periodic_jobs(job)
    # Another scheduler took the 09:00 slot and died while running it.
    PeriodicJob.objects.create(name="test.leased", last_slot=T0 - timedelta(minutes=2),
                               locked_until=T0 + timedelta(minutes=28), locked_by="other:1")
    assert scheduler.run_due_jobs(now=T0 + timedelta(minutes=5)) == []  # next slot, lease still held
    assert scheduler.force_run("test.leased", now=T0 + timedelta(minutes=6)) is None
    assert scheduler.run_due_jobs(now=T0 + timedelta(minutes=29)) == ["test.leased"]  # lease over
    assert len(calls) == 1
    states, orphans = scheduler.job_states(now=T0 + timedelta(minutes=29))
    assert [s["name"] for s in states] == ["test.leased"] and not orphans


def test_two_schedulers_at_the_same_moment_run_the_job_once(db, periodic_jobs):
    calls = []
    periodic_jobs({"name": "test.once", "every": timedelta(minutes=5), "run": recorder(calls)})
    job = scheduler.registered_jobs()["test.once"]
    assert scheduler.claim(job, T0, "first") is True
    assert scheduler.claim(job, T0, "second") is False
    assert scheduler.run_due_jobs(now=T0, owner="third") == []


@pytest.mark.postgres
def test_two_schedulers_racing_on_postgresql_run_the_job_once(postgres_only, live_db, periodic_jobs):
    """Real parallel connections: eight schedulers wake up together, one job slot."""
    calls = []
    lock = threading.Lock()

    def job(now):
        with lock:
            calls.append(threading.get_ident())

    periodic_jobs({"name": "test.raced", "every": timedelta(minutes=5), "run": job})
    barrier = threading.Barrier(8)
    errors = []

    def scheduler_process(index):
        try:
            barrier.wait(timeout=10)
            scheduler.run_due_jobs(now=T0, owner=f"scheduler-{index}")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler_process, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert len(calls) == 1
    assert PeriodicJob.objects.get(name="test.raced").runs == 1


@pytest.mark.parametrize("jobs, message", [
    ([{"name": "a", "every": timedelta(0), "run": print}], "positive timedelta"),
    ([{"name": "a", "every": 60, "run": print}], "positive timedelta"),
    ([{"every": timedelta(minutes=1), "run": print}], "needs a name"),
    ([{"name": "a", "every": timedelta(minutes=1), "run": print}] * 2, "Two periodic jobs"),
])
def test_misconfigured_jobs_are_refused(db, periodic_jobs, jobs, message):
    periodic_jobs(*jobs)
    with pytest.raises(ImproperlyConfigured, match=message):
        scheduler.registered_jobs()
    with pytest.raises(CommandError, match=message):
        call_command("run_periodic", "--once")


def test_the_ops_jobs_are_registered():
    jobs = scheduler.registered_jobs()
    assert {"ops.publish_scheduled", "ops.clear_expired_sessions", "ops.prune_task_results"} <= set(jobs)
    assert jobs["ops.publish_scheduled"]["every"] == timedelta(minutes=5)


def test_command_once_list_and_force(db, periodic_jobs):
    calls = []
    periodic_jobs({"name": "test.cmd", "every": timedelta(hours=1), "run": recorder(calls)},
                  {"name": "test.cmd_broken", "every": timedelta(hours=1),
                   "run": lambda now: (_ for _ in ()).throw(OSError("disque plein"))})
    out = io.StringIO()
    call_command("run_periodic", "--once", "--job", "test.cmd", stdout=out)
    assert "ran: test.cmd" in out.getvalue() and len(calls) == 1
    call_command("run_periodic", "--once", "--job", "test.cmd", stdout=io.StringIO())
    assert len(calls) == 1  # same slot
    call_command("run_periodic", "--force", "test.cmd", stdout=io.StringIO())
    assert len(calls) == 2  # forced, whatever the slot
    with pytest.raises(CommandError, match="failed"):
        call_command("run_periodic", "--force", "test.cmd_broken", stdout=io.StringIO())
    with pytest.raises(CommandError, match="Unknown periodic job"):
        call_command("run_periodic", "--once", "--job", "nope", stdout=io.StringIO())
    out = io.StringIO()
    call_command("run_periodic", "--list", stdout=out)
    assert "test.cmd " in out.getvalue() and "success" in out.getvalue() and "failure" in out.getvalue()


def test_the_loop_runs_the_jobs_and_stops_on_sigterm(db, periodic_jobs, monkeypatch):
    # The loop closes stale connections between two looks; the test's transaction must stay.
    monkeypatch.setattr("ops.management.commands.run_periodic.close_old_connections", lambda: None)
    calls = []

    def job_then_stop(now):
        calls.append(now)
        os.kill(os.getpid(), signal.SIGTERM)  # what systemd sends on "systemctl stop"

    periodic_jobs({"name": "test.loop", "every": timedelta(hours=1), "run": job_then_stop})
    previous = signal.getsignal(signal.SIGTERM)
    out = io.StringIO()
    call_command("run_periodic", "--interval", "0.1", stdout=out)
    assert len(calls) == 1 and "scheduler stopped" in out.getvalue()
    assert signal.getsignal(signal.SIGTERM) == previous  # handlers restored


def test_prune_task_results_keeps_recent_and_unfinished_ones(db):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from ops.jobs import prune_task_results

    now = timezone.now()

    def result(status, days_ago, error=""):
        return DBTaskResult.objects.create(
            status=status, args_kwargs={"args": [], "kwargs": {}}, task_path="portal.notifications.send_email",
            backend_name="default", run_after=now, finished_at=None if status == "READY" else now - timedelta(days=days_ago),
            exception_class_path=error,
        )

    old_ok, recent_ok = result("SUCCESSFUL", 15), result("SUCCESSFUL", 13)
    old_failed, kept_failed = result("FAILED", 91, "smtplib.SMTPException"), result("FAILED", 30, "smtplib.SMTPException")
    old_retried = result("FAILED", 15, "portal.tasks.RetryScheduled")
    recent_retried = result("FAILED", 13, "portal.tasks.RetryScheduled")
    waiting = result("READY", 0)
    prune_task_results(now)
    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert left == {recent_ok.pk, kept_failed.pk, recent_retried.pk, waiting.pk}
    assert not {old_ok.pk, old_failed.pk, old_retried.pk} & left


def test_clear_expired_sessions_removes_only_expired_ones(db):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from ops.jobs import clear_expired_sessions

    Session.objects.create(session_key="a" * 32, session_data="x", expire_date=timezone.now() - timedelta(days=1))
    Session.objects.create(session_key="b" * 32, session_data="x", expire_date=timezone.now() + timedelta(days=1))
    clear_expired_sessions(timezone.now())
    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]


def test_publish_scheduled_puts_a_page_live_at_its_go_live_date(db, periodic_jobs):
    from django.utils import timezone
    from wagtail.models import Page

    from home.models import StandardPage

    root = Page.get_first_root_node()
    page = root.add_child(instance=StandardPage(title="Avis de fermeture", slug="avis-fermeture", live=False))
    revision = page.save_revision()
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
    revision.save()
    assert not Page.objects.get(pk=page.pk).live
    assert "ops.publish_scheduled" in scheduler.run_due_jobs(names=["ops.publish_scheduled"])
    assert Page.objects.get(pk=page.pk).live
