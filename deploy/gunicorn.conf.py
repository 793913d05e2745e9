"""gunicorn configuration for the portal (systemd unit deploy/systemd/portal-web.service).

    gunicorn -c deploy/gunicorn.conf.py portal.wsgi:application

Every value can be changed through the environment (/etc/portal.env):
GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT,
GUNICORN_FORWARDED_ALLOW_IPS, GUNICORN_ACCESSLOG, GUNICORN_ERRORLOG, GUNICORN_MAX_REQUESTS.
"""

import multiprocessing
import os


def _env(name, default):
    value = os.environ.get(name)
    return default if value in (None, "") else value


# nginx proxies to this address (a Unix socket works too: "unix:/run/portal/gunicorn.sock").
bind = _env("GUNICORN_BIND", "127.0.0.1:8001")
# Synchronous workers: 2 per core plus one, at most 12 (each holds a database connection).
workers = int(_env("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 12)))
threads = int(_env("GUNICORN_THREADS", 1))
worker_class = "gthread" if threads > 1 else "sync"
# A request that takes longer than this is cut (and logged): PayFiP calls time out before.
timeout = int(_env("GUNICORN_TIMEOUT", 30))
graceful_timeout = int(_env("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = 5
# Restart each worker after some requests (bounded memory), not all at once.
max_requests = int(_env("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = max_requests // 10
# Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Only the local nginx may say which scheme and client address a request came with
# (X-Forwarded-Proto, used by SECURE_PROXY_SSL_HEADER). Comma-separated; the load
# balancer's addresses when there is one in front of several app servers.
forwarded_allow_ips = _env("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs to stdout/stderr (journald). The access log carries the request id the application
# returns (X-Request-ID, the one nginx sent when it sent one), so that a line of the access
# log, of the application's log and of nginx's log can be matched.
accesslog = _env("GUNICORN_ACCESSLOG", "-")
errorlog = _env("GUNICORN_ERRORLOG", "-")
loglevel = _env("GUNICORN_LOGLEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s" request_id=%({x-request-id}o)s'
capture_output = False
# The application's settings come from the environment (systemd EnvironmentFile).
raw_env = []
proc_name = "portal"
