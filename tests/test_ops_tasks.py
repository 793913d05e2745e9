"""Background tasks: failed attempts are enqueued again with a growing delay, up to a
limit; the definitive failures are what staff see, and can put back in the queue."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ops import queue
from portal.notifications import send_email
from portal.tasks import RetryScheduled, attempt_of, retry_delay, retrying_task


class FlakyBackend(LocmemBackend):
    """Fails the first ``failures`` sends (class attribute set by the test), then delivers."""

    failures = 0
    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            import smtplib

            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky_mail():
    def configure(failures):
        FlakyBackend.failures, FlakyBackend.calls = failures, 0

    with override_settings(EMAIL_BACKEND="tests.test_ops_tasks.FlakyBackend"):
        yield configure


@retrying_task(max_attempts=3, retry_on=(ConnectionError,))
def picky_task(value):
    raise ValueError(f"bad value {value}")


def rows():
    return list(DBTaskResult.objects.order_by("enqueued_at"))


def test_the_delay_grows_and_is_capped():
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 4, 16, 64)]
    assert retry_delay(10) == timedelta(hours=6)


def test_an_email_that_fails_twice_is_sent_on_the_third_attempt(db_tasks, flaky_mail, run_queued_tasks):
    flaky_mail(failures=2)
    start = timezone.now()
    notify_result = send_email.enqueue(["parent@example.org"], "Sujet", "Texte")
    assert notify_result.status == "READY" and not mail.outbox

    assert run_queued_tasks() == 1  # attempt 1 fails; attempt 2 waits one minute
    first, second = rows()
    assert first.status == "FAILED" and first.exception_class_path == "portal.tasks.RetryScheduled"
    assert "SMTPServerDisconnected" in first.traceback  # the real error is kept with the attempt
    assert second.status == "READY" and attempt_of(second) == 2
    assert timedelta(seconds=55) < second.run_after - start < timedelta(seconds=70)
    assert run_queued_tasks() == 0  # not yet due

    assert run_queued_tasks(now=start + timedelta(minutes=2)) == 1  # attempt 2 fails: 4 minutes
    third = rows()[2]
    assert attempt_of(third) == 3 and third.run_after - start > timedelta(minutes=4)

    assert run_queued_tasks(now=start + timedelta(minutes=10)) == 1
    assert [r.status for r in rows()] == ["FAILED", "FAILED", "SUCCESSFUL"]
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Sujet"
    assert mail.outbox[0].to == ["parent@example.org"]


def test_after_five_attempts_the_failure_is_definitive_and_shown(db_tasks, flaky_mail, run_queued_tasks):
    flaky_mail(failures=100)
    start = timezone.now()
    send_email.enqueue(["parent@example.org"], "Sujet", "Texte")
    for minutes in (0, 2, 10, 30, 120, 600):
        run_queued_tasks(now=start + timedelta(minutes=minutes))
    results = rows()
    assert len(results) == 5  # no sixth attempt
    assert [attempt_of(r) for r in results] == [1, 2, 3, 4, 5]
    assert all(r.status == "FAILED" for r in results)
    assert results[-1].exception_class_path == "smtplib.SMTPServerDisconnected"
    assert not mail.outbox

    state = queue.queue_state()
    assert state["definitive_failures"] == 1 and state["retried_attempts"] == 4
    assert state["failed"][0]["error"] == "smtplib.SMTPServerDisconnected: Connection unexpectedly closed"
    assert state["failed"][0]["attempt"] == 5 and state["failed"][0]["task"] == "send_email"


def test_a_definitive_failure_can_be_put_back_once(db_tasks, flaky_mail, run_queued_tasks):
    flaky_mail(failures=100)
    start = timezone.now()
    send_email.enqueue(["parent@example.org"], "Sujet", "Texte")
    for minutes in (0, 2, 10, 30, 120):
        run_queued_tasks(now=start + timedelta(minutes=minutes))
    failed = DBTaskResult.objects.get(exception_class_path="smtplib.SMTPServerDisconnected")
    retried = DBTaskResult.objects.filter(exception_class_path="portal.tasks.RetryScheduled").first()

    with pytest.raises(queue.NotRequeueable):  # an intermediate attempt is not a failure to relaunch
        queue.requeue_failed(retried.pk)
    new = queue.requeue_failed(failed.pk)
    assert not DBTaskResult.objects.filter(pk=failed.pk).exists()
    with pytest.raises(queue.NotRequeueable):  # a double click enqueues it once
        queue.requeue_failed(failed.pk)

    row = DBTaskResult.objects.get(pk=new.id)
    assert row.status == "READY" and attempt_of(row) == 1
    assert row.args_kwargs["args"][0] == ["parent@example.org"]
    flaky_mail(failures=0)  # the mail server is back
    run_queued_tasks(now=start + timedelta(hours=3))
    assert DBTaskResult.objects.get(pk=new.id).status == "SUCCESSFUL" and len(mail.outbox) == 1


def test_an_error_that_is_not_retried_fails_at_once(db_tasks, run_queued_tasks):
    result = picky_task.enqueue(7)
    run_queued_tasks()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "FAILED" and row.exception_class_path == "builtins.ValueError"
    assert DBTaskResult.objects.count() == 1  # nothing enqueued again


def test_the_immediate_backend_does_not_retry(db, flaky_mail):
    flaky_mail(failures=1)
    result = send_email.enqueue(["parent@example.org"], "Sujet", "Texte")
    assert result.status == "FAILED" and FlakyBackend.calls == 1
    assert result.errors[0].exception_class_path == "smtplib.SMTPServerDisconnected"
    assert not DBTaskResult.objects.exists()


def test_retry_scheduled_keeps_the_real_error_as_its_cause(db_tasks, flaky_mail, run_queued_tasks):
    flaky_mail(failures=1)
    send_email.enqueue(["parent@example.org"], "Sujet", "Texte")
    run_queued_tasks()
    first = rows()[0]
    assert "The above exception was the direct cause" in first.traceback
    assert RetryScheduled.__name__ in first.traceback.splitlines()[-1]
