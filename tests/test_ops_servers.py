"""Two real app servers (gunicorn, deploy/gunicorn.conf.py, production settings) on one
PostgreSQL database: the application keeps no state of its own. A session opened on one
works on the other, and concurrent writes through both lose nothing.

The harness (``portal_servers`` in tests/fixtures_ops.py) is what a concurrent booking test
through both servers uses too."""

import re
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from accounts.models import AuditEvent, User
from tests.fixtures_ops import PortalClient

pytestmark = pytest.mark.postgres

PASSWORD = "une-phrase-de-passe-solide"


def make_parents(count):
    return [User.objects.create_user(email=f"parent{index}@example.org", password=PASSWORD,
                                     first_name=f"Parent{index}") for index in range(count)]


def space(client, server):
    return client.get(server, "/fr/compte/")


def test_two_servers_share_sessions_and_lose_no_concurrent_write(postgres_only, live_db, portal_servers):
    """Sessions and cache in PostgreSQL (the default)."""
    parents = make_parents(8)
    first, second = portal_servers(2)
    servers = [first, second]

    def log_in_then_read_on_the_other(index):
        browser = PortalClient()
        browser.login(servers[index % 2], parents[index].email, PASSWORD)
        return space(browser, servers[(index + 1) % 2]).status_code

    def fail(index):  # one address each: no account's brute-force limit comes into play
        browser = PortalClient()
        return browser.post(servers[index % 2], "/fr/compte/connexion/",
                            {"username": f"inconnu{index}@example.org", "password": "mauvais-mot-de-passe"}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        logins = pool.map(log_in_then_read_on_the_other, range(8))
        failures = pool.map(fail, range(8))
        assert list(logins) == [200] * 8  # each session, opened on one server, works on the other
        assert list(failures) == [200] * 8  # the form again, with its message

    # One event per login and per failure, each with its own request id: nothing lost, nothing twice.
    logins = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN)
    assert sorted(logins.values_list("actor__email", flat=True)) == sorted(p.email for p in parents)
    failed = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED)
    assert failed.count() == 8
    assert len(set(logins.values_list("request_id", flat=True))) == 8
    assert len(set(failed.values_list("request_id", flat=True))) == 8
    assert all(User.objects.get(pk=p.pk).last_login is not None for p in parents)

    check_logout_everywhere(first, second, parents[0].email)
    # Each server answers ready, and its access log carries the request id it returned.
    browser = PortalClient()
    for server in servers:
        ready = browser.get(server, "/readyz")
        assert ready.status_code == 200 and ready.json()["checks"]["tasks"] == "ok"
        request_id = ready.headers["X-Request-ID"]
        server.stop()  # flushes the access log
        assert re.search(rf'"GET /readyz HTTP/1.1" 200 .* request_id={request_id}\b', server.access_log.read_text())


def test_two_servers_share_sessions_in_redis(postgres_only, live_db, portal_servers):
    """Sessions read from Redis (cached_db) and cache in Redis, with REDIS_URL."""
    make_parents(1)
    first, second = portal_servers(2, REDIS_URL=redis_or_skip(), CACHE_KEY_PREFIX=f"test-{uuid.uuid4().hex[:8]}")
    check_logout_everywhere(first, second, "parent0@example.org")


def check_logout_everywhere(first, second, email):
    browser = PortalClient()
    assert space(browser, second).status_code == 302  # not logged in yet
    browser.login(first, email, PASSWORD)
    on_second = space(browser, second)
    assert on_second.status_code == 200, on_second.text[:300]
    assert "no-store" in on_second.headers["Cache-Control"]
    # Logging out on the second ends the session on the first too.
    assert browser.post(second, "/fr/compte/deconnexion/").status_code == 302
    assert space(browser, first).status_code == 302


def redis_or_skip():
    """The machine's Redis (.ci/run starts it); skipped with the reason when there is none."""
    import os

    import redis

    url = "redis://127.0.0.1:6379/3"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {url} ({error}); .ci/run starts it")
        pytest.skip(f"Redis is not reachable at {url} ({error}): redis-server --port 6379")
    return url
