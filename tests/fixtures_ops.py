"""Shared pytest fixtures of the ops area (registered in conftest.py).

- ``db_tasks``: the database task backend (django_tasks_db) instead of the immediate one;
  ``run_queued_tasks(now=None)`` then runs what ``manage.py db_worker`` would run.
- ``periodic_jobs(*jobs)``: registers jobs with the ``portal_periodic_jobs`` hook for one test.
- ``postgres_only``: skips on SQLite, with the reason (these tests need real connections
  from several processes; CI runs them in its PostgreSQL pass).
- ``portal_servers(count=2, database=None, **env)``: real gunicorn servers started with
  ``deploy/gunicorn.conf.py`` and the production settings, on free ports, against one
  PostgreSQL database (the test database by default, or one the test prepared, e.g. a
  restored backup). Use it with ``live_db`` (committed data, flushed afterwards) so that
  the servers see what the test wrote, and the test what they wrote. Each server is a
  ``PortalServer`` (``.url``, ``.port``, ``.stop()``, ``.access_log``); a ``PortalClient()``
  is a browser behind the load balancer: one cookie jar for all servers,
  ``.login(server, email, password)``, ``.get(server, path)``, ``.post(server, path, data)``
  (CSRF token and Referer sent).

  A concurrent test through both servers (e.g. the last place booked from both, once the
  booking screens exist) is::

      def test_last_place(postgres_only, live_db, portal_servers):
          ... prepare the activity and the parents with the ORM ...
          first, second = portal_servers(2)
          def book(index):
              browser = PortalClient()
              browser.login(first if index % 2 else second, parents[index].email, PASSWORD)
              return browser.post(second if index % 2 else first, booking_path, {...}).status_code
          with ThreadPoolExecutor(max_workers=8) as pool:
              statuses = list(pool.map(book, range(8)))
          ... assert with the ORM: exactly the capacity booked, one audit event per booking ...
"""

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db.models import Q
from django.test import override_settings

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
REPO_DIR = Path(__file__).resolve().parents[1]
HARNESS_SECRET_KEY = "ops-harness-secret-key-not-for-production-0123456789abcdef"


@pytest.fixture
def db_tasks(db):
    with override_settings(TASKS=DATABASE_TASKS):
        yield


@pytest.fixture
def run_queued_tasks():
    """Run the tasks that are due (at ``now``, default the real time), as the worker does,
    in this process and transaction (the real worker's loop closes the database
    connection, which a test transaction cannot allow)."""
    from django.utils import timezone
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult, get_date_max

    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="test-worker", excluded_queue_names=[])

    def run(now=None, limit=50):
        moment = now or timezone.now()
        ran = 0
        while ran < limit:
            row = (
                DBTaskResult.objects.filter(status="READY")
                .filter(Q(run_after=get_date_max()) | Q(run_after__lte=moment))
                .order_by("enqueued_at")
                .first()
            )
            if row is None:
                return ran
            row.claim(worker.worker_id)
            worker.run_task(row)
            ran += 1
        raise AssertionError("the queue did not drain")

    return run


@pytest.fixture
def periodic_jobs(monkeypatch):
    """``register(*jobs, only=True)``: registers ``jobs`` with the ``portal_periodic_jobs``
    hook for this test; with ``only`` the scheduler sees those jobs alone (not the other
    apps' real jobs)."""
    from wagtail import hooks

    from portal.hooks import PERIODIC_JOBS

    stack = contextlib.ExitStack()
    mine = []

    def register(*jobs, only=True):
        def fn():
            return list(jobs)

        mine.append(fn)
        stack.enter_context(hooks.register_temporarily(PERIODIC_JOBS, fn))
        if only:
            monkeypatch.setattr("ops.scheduler.collect",
                                lambda name, *args: [f(*args) for f in hooks.get_hooks(name) if f in mine])

    with stack:
        yield register


@pytest.fixture
def postgres_only():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (several processes on one shared database): "
                    "DATABASE_URL=postgres://... (CI runs it in its PostgreSQL pass)")


@pytest.fixture
def _emptied_database(django_db_setup, django_db_blocker):
    """Empties the database before the serialized data is restored into it: a previous
    transactional test without serialized rollback may have left rows the migrations'
    data would collide with (its flush re-runs post_migrate: staff groups, a new root
    collection, content types with new ids). The content-type cache is then set to the
    restored ids (the restore builds Wagtail's GroupApprovalTask, which looks its content
    type up: with a cold or stale cache it would insert one, and the restore collide)."""
    import json

    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection

    with django_db_blocker.unblock():
        # Sequences kept (as Django's own flush between tests): the restored rows keep their ids.
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True, reset_sequences=False)
    ContentType.objects.clear_cache()
    for row in json.loads(getattr(connection, "_test_serialized_contents", None) or "[]"):
        if row["model"] == "contenttypes.contenttype":
            ContentType.objects._add_to_cache(connection.alias, ContentType(pk=row["pk"], **row["fields"]))


@pytest.fixture
def live_db(request, _emptied_database, transactional_db, django_db_serialized_rollback):
    """Committed data, visible to other processes (servers, workers, pg_dump). Like the
    browser tests' ``live_demo``: the database is flushed afterwards, and what the
    migrations created (Wagtail's root page, locales...) is restored before the test.

    Prefer it to a bare ``transactional_db``: that one's flush re-runs the post_migrate
    handlers (staff groups, the root collection with a new id), which breaks the restore of
    the next serialized-rollback test of the worker (``live_db`` empties the database
    first, so it does not suffer from such a predecessor)."""
    request.addfinalizer(_warm_content_type_cache)


def _warm_content_type_cache():
    # See tests/browser/conftest.py: the restore of the serialized data needs a warm cache.
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models(), for_concrete_models=False)


@pytest.fixture
def sample_email(tmp_path):
    """An e-mail ``sample`` written the way every area writes theirs (extending the base
    layout), in a template folder of its own for this test."""
    import copy

    from django.conf import settings

    folder = tmp_path / "email-templates" / "emails"
    folder.mkdir(parents=True)
    (folder / "sample.subject.txt").write_text(
        "{% load i18n %}{% trans 'Réservation confirmée' %} – {{ child }}\n", encoding="utf-8")
    (folder / "sample.txt").write_text(
        '{% extends "emails/base.txt" %}{% load i18n %}{% block content %}'
        "{% blocktrans %}La réservation de {{ child }} est confirmée.{% endblocktrans %}{% endblock %}",
        encoding="utf-8")
    (folder / "sample.html").write_text(
        '{% extends "emails/base.html" %}{% load i18n %}{% block content %}'
        "<p>{% blocktrans %}La réservation de {{ child }} est confirmée.{% endblocktrans %}</p>{% endblock %}",
        encoding="utf-8")
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [folder.parent, *templates[0]["DIRS"]]
    with override_settings(TEMPLATES=templates):
        yield


# --- The real servers ------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(name=None):
    """The URL of the test database (or of database ``name`` on the same server)."""
    from django.db import connection

    s = connection.settings_dict
    auth = s["USER"] or ""
    if s.get("PASSWORD"):
        auth += f":{s['PASSWORD']}"
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name or s['NAME']}"


def server_env(database, **extra):
    """Production settings, as /etc/portal.env would give them, for a local harness."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "PYTEST_", "TEST_DATABASE", "GUNICORN_")) and k != "DATABASE_URL"}
    env.update({
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": HARNESS_SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database,
        "SECURE_SSL_REDIRECT": "false",
        "PYTHONUNBUFFERED": "1",
    })
    env.update({k: str(v) for k, v in extra.items()})
    return env


def collect_static(static_root):
    env = server_env("postgres://postgres@127.0.0.1:5432/unused", STATIC_ROOT=static_root)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=REPO_DIR, env=env,
                   check=True, capture_output=True, timeout=300)
    return static_root


class PortalServer:
    def __init__(self, port, process, log_path, access_log):
        self.port, self.process, self.log_path, self.access_log = port, process, log_path, access_log
        self.url = f"http://127.0.0.1:{port}"

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def wait_ready(self, timeout=120):
        import requests

        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn on {self.port} exited ({self.process.returncode}):\n{self.log()[-4000:]}")
            try:
                last = requests.get(self.url + "/readyz", timeout=5)
                if last.status_code == 200:
                    return last
            except requests.RequestException as error:
                last = error
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn on {self.port} not ready: {last!r}\n{self.log()[-4000:]}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


class PortalClient:
    """A browser behind the load balancer: one cookie jar for every server (same host), the
    TLS proxy's X-Forwarded-Proto, the CSRF cookie sent back with each POST."""

    def __init__(self):
        import requests

        self.http = requests.Session()
        self.http.headers["X-Forwarded-Proto"] = "https"

    def _unsecure_cookies(self):
        # The cookies are Secure (production): the real proxy speaks TLS, this one does not.
        for cookie in self.http.cookies:
            cookie.secure = False

    def get(self, server, path, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 30)
        response = self.http.get(server.url + path, **kwargs)
        self._unsecure_cookies()
        return response

    def post(self, server, path, data=None, **kwargs):
        if "csrftoken" not in self.http.cookies:
            self.get(server, "/fr/compte/connexion/")
        data = {**(data or {}), "csrfmiddlewaretoken": self.http.cookies["csrftoken"]}
        headers = {"Referer": f"https://127.0.0.1:{server.port}{path}", **kwargs.pop("headers", {})}
        response = self.http.post(server.url + path, data=data, headers=headers, allow_redirects=False,
                                  timeout=kwargs.pop("timeout", 30), **kwargs)
        self._unsecure_cookies()
        return response

    def login(self, server, email, password):
        response = self.post(server, "/fr/compte/connexion/", {"username": email, "password": password})
        assert response.status_code == 302, (response.status_code, response.text[:500])
        return response


def start_servers(count, *, database=None, static_root, var_dir, extra_env=None, workers=1, threads=4):
    var_dir = Path(var_dir)
    var_dir.mkdir(parents=True, exist_ok=True)
    servers = []
    try:
        for index in range(count):
            port = free_port()
            log_path = var_dir / f"gunicorn-{index}.log"
            access_log = var_dir / f"access-{index}.log"
            env = server_env(
                database or database_url(),
                STATIC_ROOT=static_root,
                PORTAL_VAR_DIR=var_dir,  # shared by the servers, as the files' storage must be
                EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
                EMAIL_FILE_PATH=var_dir / "mail",
                GUNICORN_BIND=f"127.0.0.1:{port}",
                GUNICORN_WORKERS=workers,
                GUNICORN_THREADS=threads,
                GUNICORN_ACCESSLOG=access_log,
                GUNICORN_ERRORLOG="-",
                **(extra_env or {}),
            )
            with open(log_path, "wb") as log:
                process = subprocess.Popen(
                    [str(Path(sys.executable).with_name("gunicorn")), "-c", "deploy/gunicorn.conf.py",
                     "portal.wsgi:application"],
                    cwd=REPO_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                )
            servers.append(PortalServer(port, process, log_path, access_log))
        for server in servers:
            server.wait_ready()
    except BaseException:
        for server in servers:
            server.stop()
        raise
    return servers


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """collectstatic once per test worker, for servers on the production settings."""
    return collect_static(tmp_path_factory.mktemp("static"))


@pytest.fixture
def portal_servers(postgres_only, collected_static, tmp_path):
    started = []

    def start(count=2, database=None, **env):
        servers = start_servers(count, database=database, static_root=collected_static,
                                var_dir=tmp_path / "var", extra_env=env)
        started.extend(servers)
        return servers

    yield start
    for server in started:
        server.stop()
