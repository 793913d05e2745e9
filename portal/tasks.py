"""Background tasks that are tried again when they fail.

django_tasks runs a task once: when it raises, its result is FAILED and nothing else
happens. ``retrying_task`` wraps a task function so that a failure re-enqueues it, later
(backoff), up to ``max_attempts`` attempts in all:

    @retrying_task(max_attempts=5)
    def send_invoice(invoice_id): ...

    send_invoice.enqueue(42)      # as with @task()

Each attempt is one row of the task queue (database backend). An attempt that failed and
was re-enqueued ends with ``RetryScheduled`` (its traceback carries the real error); the
last attempt ends with the real error: that is a *definitive* failure, the one staff see in
the admin's task queue (ops), from where a superuser can enqueue it again.

The attempt number travels as the keyword argument ``_attempt`` (JSON, like every task
argument). Backends that cannot delay a task (the immediate backend of development and
tests) get no retry: the error is the task's result at once, as without this wrapper.
"""

import functools
import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

ATTEMPT_KWARG = "_attempt"
DEFAULT_MAX_ATTEMPTS = 5
# 1 min, 4 min, 16 min, 64 min... (capped at 6 h): a mail server down for an hour or so
# does not lose a message.
DEFAULT_BASE_DELAY = timedelta(minutes=1)
DEFAULT_FACTOR = 4
MAX_DELAY = timedelta(hours=6)


class RetryScheduled(Exception):
    """Ends an attempt that failed and was enqueued again (raised from the real error)."""


def retry_delay(attempt, *, base=DEFAULT_BASE_DELAY, factor=DEFAULT_FACTOR):
    """How long to wait after failed attempt number ``attempt`` (1 for the first)."""
    return min(base * (factor ** (attempt - 1)), MAX_DELAY)


def retrying_task(*, max_attempts=DEFAULT_MAX_ATTEMPTS, base_delay=DEFAULT_BASE_DELAY,
                  factor=DEFAULT_FACTOR, retry_on=(Exception,), **task_options):
    """Like ``django_tasks.task(**task_options)``, with retries (see the module's doc)."""
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")

    def decorator(func):
        # wraps() keeps the function's module and qualified name: the queue stores that
        # path and the worker imports it, which gives back the Task defined below.
        @functools.wraps(func)
        def run(*args, **kwargs):
            attempt = int(kwargs.pop(ATTEMPT_KWARG, 1))
            try:
                return func(*args, **kwargs)
            except retry_on as error:
                backend = the_task.get_backend()
                if attempt >= max_attempts or not backend.supports_defer:
                    logger.error("task %s failed for good (attempt %s of %s): %r",
                                 the_task.name, attempt, max_attempts, error)
                    raise
                delay = retry_delay(attempt, base=base_delay, factor=factor)
                the_task.using(run_after=timezone.now() + delay).enqueue(
                    *args, **kwargs, **{ATTEMPT_KWARG: attempt + 1}
                )
                logger.warning("task %s failed (attempt %s of %s), next attempt in %s: %r",
                               the_task.name, attempt, max_attempts, delay, error)
                raise RetryScheduled(
                    f"attempt {attempt} of {max_attempts} failed ({type(error).__name__}); "
                    f"next attempt in {int(delay.total_seconds())} s"
                ) from error

        run.max_attempts = max_attempts
        the_task = task(**task_options)(run)
        return the_task

    return decorator


def attempt_of(db_result):
    """The attempt number of a database task result (1 when it is the first)."""
    kwargs = (db_result.args_kwargs or {}).get("kwargs") or {}
    try:
        return int(kwargs.get(ATTEMPT_KWARG, 1))
    except (TypeError, ValueError):
        return 1
