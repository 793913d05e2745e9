"""Backups: deploy/backup.sh dumps the database and copies the files; deploy/restore.sh
puts them into a new database and folders; a server started on the restored database
finds the same data (a logged-in page), and the audit trail's guard came back with it."""

import filecmp
import subprocess

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from accounts.audit import record
from accounts.models import AuditEvent, Household, User
from tests.fixtures_ops import REPO_DIR, PortalClient, database_url

pytestmark = pytest.mark.postgres

DEMO_PASSWORD = "demo-portail-2026"


def admin_connection():
    s = connection.settings_dict
    return psycopg.connect(host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, user=s["USER"],
                           password=s["PASSWORD"] or None, dbname="postgres", autocommit=True)


@pytest.fixture
def restored_database():
    name = f"{connection.settings_dict['NAME']}_restored"
    with admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(script, *args, env):
    return subprocess.run([str(REPO_DIR / "deploy" / script), *map(str, args)], cwd=REPO_DIR, env=env,
                          capture_output=True, text=True, timeout=300)


def test_backup_then_restore_into_a_new_database_gives_the_same_portal(
        postgres_only, live_db, portal_servers, restored_database, tmp_path):
    call_command("load_demo", verbosity=0)
    marie = User.objects.get(email="marie.martin@example.org")
    record(AuditEvent.Action.CONTACT_CHANGE, actor=marie, household=Household.objects.get(name__icontains="MARTIN"),
           summary="Téléphone modifié", before={"phone": "01"}, after={"phone": "02"})
    events = AuditEvent.objects.count()
    assert events > 0 and Household.objects.filter(name__icontains="MARTIN").exists()
    private = tmp_path / "live" / "private"
    (private / "foyers" / "1").mkdir(parents=True)
    (private / "foyers" / "1" / "attestation.pdf").write_bytes(b"%PDF-1.4 attestation CAF")
    media = tmp_path / "live" / "media"
    (media / "images").mkdir(parents=True)
    (media / "images" / "logo.png").write_bytes(b"\x89PNG logo")

    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": database_url(), "PRIVATE_MEDIA_ROOT": str(private),
           "MEDIA_ROOT": str(media), "BACKUP_DIR": str(tmp_path / "backups"), "BACKUP_KEEP_DAYS": "14"}
    done = run("backup.sh", env=env)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "backups" / done.stdout.strip().rsplit("/", 1)[-1]
    assert sorted(p.name for p in folder.iterdir()) == [
        "MANIFEST", "SHA256SUMS", "database.dump", "media.tar.gz", "private.tar.gz"]
    assert oct(folder.stat().st_mode & 0o777) == "0o700"  # personal data: for the portal user only

    restored = tmp_path / "restored"
    restore_env = {**env, "PRIVATE_MEDIA_ROOT": str(restored / "private"), "MEDIA_ROOT": str(restored / "media")}
    target = database_url(restored_database)
    done = run("restore.sh", folder, target, "--files", env=restore_env)
    assert done.returncode == 0, done.stderr
    assert filecmp.cmp(private / "foyers" / "1" / "attestation.pdf", restored / "private" / "foyers" / "1" / "attestation.pdf",
                       shallow=False)
    assert (restored / "media" / "images" / "logo.png").read_bytes() == b"\x89PNG logo"

    # Restoring over data is refused (the audit trail could not be rewritten anyway).
    again = run("restore.sh", folder, target, env=restore_env)
    assert again.returncode != 0 and "not empty" in again.stderr

    with psycopg.connect(target.replace("postgres://", "postgresql://")) as restored_db:
        assert restored_db.execute("select count(*) from accounts_auditevent").fetchone()[0] == events
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            restored_db.execute("update accounts_auditevent set summary = 'rewritten'")

    # A server on the restored database: ready, and a parent finds the household's file.
    (server,) = portal_servers(1, database=target)
    browser = PortalClient()
    assert browser.get(server, "/readyz").json()["status"] == "ok"
    browser.login(server, marie.email, DEMO_PASSWORD)
    page = browser.get(server, "/fr/compte/")
    assert page.status_code == 200
    assert "MARTIN" in page.text and marie.first_name in page.text


def test_a_damaged_backup_is_not_restored(postgres_only, live_db, restored_database, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": database_url(), "BACKUP_DIR": str(tmp_path / "b"),
           "PORTAL_VAR_DIR": str(tmp_path / "none")}
    done = run("backup.sh", tmp_path / "b" / "one", env=env)
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "b" / "one" / "database.dump", "r+b") as dump:
        dump.seek(100)
        dump.write(b"garbage")
    refused = run("restore.sh", tmp_path / "b" / "one", database_url(restored_database), env=env)
    assert refused.returncode != 0 and "damaged backup" in refused.stderr
    with psycopg.connect(database_url(restored_database).replace("postgres://", "postgresql://")) as db:
        assert db.execute("select count(*) from pg_tables where schemaname = 'public'").fetchone()[0] == 0
