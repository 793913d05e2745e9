"""The deployment files agree with each other and with the settings: the environment
example passes the deploy check, the units read /etc/portal.env and start real commands,
nginx keeps the private files internal, gunicorn's settings come from the environment."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"


def env_example():
    """The example as systemd's EnvironmentFile reads it (one KEY=VALUE a line, "#" comments,
    a value between double or single quotes taken without them)."""
    values = {}
    for line in (DEPLOY / "portal.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            values[key] = value
    return values


def test_a_shell_reads_the_environment_file_as_systemd_does():
    """cron lines, the backup script and the README's first start read /etc/portal.env with
    `set -a; . /etc/portal.env`: every value must come out as the units see it, silently."""
    result = subprocess.run(["bash", "-c", 'set -a; . "$0"; set +a; env -0', str(DEPLOY / "portal.env.example")],
                            env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    shell = dict(item.split("=", 1) for item in result.stdout.split("\0") if "=" in item)
    expected = env_example()
    assert {key: shell.get(key) for key in expected} == expected
    assert expected["DEFAULT_FROM_EMAIL"] == "Portail Famille <portail-famille@example.org>"


def test_the_environment_example_passes_the_deploy_check(tmp_path):
    # What the commune fills in: its secret key and the client number the DGFiP gave it.
    env = {**env_example(), "SECRET_KEY": "k" * 30 + "-Zq8x_unique_secret_for_the_check_9", "PATH": "/usr/bin:/bin",
           "PAYFIP_CLIENT_NUMBER": "012345",
           "PORTAL_VAR_DIR": str(tmp_path), "STATIC_ROOT": str(tmp_path / "static"),
           "MEDIA_ROOT": str(tmp_path / "media"), "PRIVATE_MEDIA_ROOT": str(tmp_path / "private")}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_variable_of_the_example_is_in_the_readme():
    readme = (REPO / "README.md").read_text()
    commented = re.findall(r"^#([A-Z][A-Z0-9_]+)=", (DEPLOY / "portal.env.example").read_text(), re.M)
    missing = [name for name in [*env_example(), *commented] if f"`{name}`" not in readme]
    assert not missing, f"not described in the README's Configuration: {missing}"


@pytest.mark.parametrize("unit, command", [
    ("portal-web.service", "/srv/portal/.venv/bin/gunicorn -c deploy/gunicorn.conf.py portal.wsgi:application"),
    ("portal-worker.service", "manage.py db_worker"),
    ("portal-scheduler.service", "manage.py run_periodic"),
    ("portal-backup.service", "/srv/portal/deploy/backup.sh"),
])
def test_units_read_the_environment_file_and_run_as_portal(unit, command):
    text = (DEPLOY / "systemd" / unit).read_text()
    assert "EnvironmentFile=/etc/portal.env" in text
    assert "User=portal" in text and "WorkingDirectory=/srv/portal" in text
    exec_start = re.search(r"^ExecStart=(.*)$", text, re.M).group(1)
    assert command in exec_start


def test_the_commands_the_units_start_exist():
    from django.core.management import get_commands

    commands = get_commands()
    assert {"db_worker", "run_periodic", "migrate", "collectstatic"} <= set(commands)
    assert (DEPLOY / "backup.sh").stat().st_mode & 0o111 and (DEPLOY / "restore.sh").stat().st_mode & 0o111


def test_nginx_keeps_private_files_internal_and_passes_the_request_id():
    conf = (DEPLOY / "nginx" / "portal.conf").read_text()
    prefix = env_example()["PRIVATE_MEDIA_X_ACCEL_PREFIX"]
    private = re.search(r"location %s \{(.*?)\}" % re.escape(prefix), conf, re.S).group(1)
    assert "internal;" in private and "alias /var/lib/portal/private/;" in private
    assert env_example()["PRIVATE_MEDIA_ROOT"] == "/var/lib/portal/private"
    assert "location /media/documents/ {\n        return 404;" in conf  # Wagtail checks document privacy
    assert "alias /var/lib/portal/static/;" in conf and "alias /var/lib/portal/media/;" in conf
    assert "proxy_set_header X-Request-ID $request_id;" in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    assert "request_id=$request_id" in conf  # in nginx's own log line too


def _nginx_or_skip():
    import os
    import shutil

    nginx = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
    if nginx and shutil.which("openssl"):
        return nginx
    reason = "nginx or openssl is not installed (apt-get install nginx-light openssl)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI installs them")
    pytest.skip(reason)


def test_debians_nginx_accepts_the_site(tmp_path):
    """`nginx -t` with Debian's own nginx (1.22 on Debian 12) on deploy/nginx/portal.conf,
    certificate and log paths pointed into a temporary folder."""
    nginx = _nginx_or_skip()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
                   check=True, capture_output=True, timeout=60)
    site = (DEPLOY / "nginx" / "portal.conf").read_text()
    site = (site.replace("/etc/letsencrypt/live/portail.example.org/fullchain.pem", str(tmp_path / "cert.pem"))
            .replace("/etc/letsencrypt/live/portail.example.org/privkey.pem", str(tmp_path / "key.pem"))
            .replace("/var/log/nginx/", f"{tmp_path}/"))
    (tmp_path / "portal.conf").write_text(site)
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{\n {mime}\n include {tmp_path}/portal.conf;\n}}\n")
    result = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"),
                             "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "[warn]" not in result.stderr and "[emerg]" not in result.stderr, result.stderr


def load_gunicorn_conf(monkeypatch, **env):
    for key in [k for k in __import__("os").environ if k.startswith("GUNICORN_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    namespace = {"__file__": str(DEPLOY / "gunicorn.conf.py")}
    exec(compile((DEPLOY / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), namespace)
    return namespace


def test_gunicorn_defaults_and_environment(monkeypatch):
    import multiprocessing

    conf = load_gunicorn_conf(monkeypatch)
    assert conf["bind"] == "127.0.0.1:8001"
    assert conf["workers"] == min(2 * multiprocessing.cpu_count() + 1, 12)
    assert conf["worker_class"] == "sync" and conf["timeout"] == 30
    assert conf["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert "request_id=%({x-request-id}o)s" in conf["access_log_format"]
    conf = load_gunicorn_conf(monkeypatch, GUNICORN_WORKERS="3", GUNICORN_THREADS="4", GUNICORN_BIND="unix:/run/portal.sock")
    assert (conf["workers"], conf["worker_class"], conf["bind"]) == (3, "gthread", "unix:/run/portal.sock")


def test_gunicorn_accepts_the_configuration():
    gunicorn = Path(sys.executable).with_name("gunicorn")
    result = subprocess.run([str(gunicorn), "-c", "deploy/gunicorn.conf.py", "--print-config", "portal.wsgi:application"],
                            cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert re.search(r"forwarded_allow_ips\s*=\s*\['127.0.0.1', '::1'\]", result.stdout)
