"""A real ``manage.py db_worker`` (production settings, PostgreSQL, the database task
backend) sends the e-mails the application queued."""

import email
import signal
import subprocess
import sys
import time

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from portal.notifications import notify
from tests.fixtures_ops import DATABASE_TASKS, REPO_DIR, database_url, server_env

pytestmark = pytest.mark.postgres


def wait_for(predicate, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_worker_sends_the_queued_emails(postgres_only, live_db, sample_email, tmp_path):
    mail_dir = tmp_path / "mail"
    env = server_env(database_url(), TASKS_BACKEND="django_tasks_db.DatabaseBackend", PORTAL_VAR_DIR=tmp_path,
                     EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", EMAIL_FILE_PATH=mail_dir)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload",
         "--queue-name", "*"],
        cwd=REPO_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        with override_settings(TASKS=DATABASE_TASKS):
            french = notify("marie.martin@example.org", "sample", {"child": "Léa", "recipient_name": "Marie"},
                            language="fr")
            english = notify(["sam.smith@example.org"], "sample", {"child": "Sam"}, language="en")
        assert DBTaskResult.objects.filter(pk__in=[french.id, english.id], status="READY").count() == 2

        def both_done():
            return DBTaskResult.objects.filter(pk__in=[french.id, english.id], status="SUCCESSFUL").count() == 2

        assert wait_for(both_done), "the worker did not send the queued e-mails within two minutes"
        files = sorted(mail_dir.iterdir())
        messages = [email.message_from_bytes(path.read_bytes()) for path in files]
        by_recipient = {message["To"]: message for message in messages}
        assert set(by_recipient) == {"marie.martin@example.org", "sam.smith@example.org"}
        marie = by_recipient["marie.martin@example.org"]
        parts = {part.get_content_type(): part.get_payload(decode=True).decode() for part in marie.walk()
                 if not part.is_multipart()}
        assert parts["text/plain"].startswith("Bonjour Marie,")
        assert '<html lang="fr">' in parts["text/html"]
        sam = by_recipient["sam.smith@example.org"]
        assert "Hello," in [p for p in sam.walk() if p.get_content_type() == "text/plain"][0].get_payload(decode=True).decode()
        assert marie["From"] == "Portail Famille <portail-famille@example.org>"
    finally:
        # systemd's stop: SIGTERM; the worker finishes (nothing running here) and exits 0.
        worker.send_signal(signal.SIGTERM)
        try:
            output, _ = worker.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert worker.returncode == 0, output
    assert "Task id=" in output  # the worker's log names each task it ran


def test_the_worker_is_the_production_default():
    code = ("import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'portal.settings.production');"
            "import django; django.setup(); from django.conf import settings; print(settings.TASKS['default']['BACKEND'])")
    env = server_env("postgres://u@127.0.0.1:5432/x")
    env.pop("TASKS_BACKEND", None)
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_DIR, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "django_tasks_db.DatabaseBackend"
