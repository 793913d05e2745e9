"""Behind nginx: the client's address comes from X-Forwarded-For, only through a trusted proxy."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from portal.middleware import ForwardedForMiddleware


def seen_address(remote, forwarded=None, trusted=("127.0.0.1", "::1", "10.0.0.0/24")):
    with override_settings(PORTAL_TRUSTED_PROXIES=list(trusted)):
        middleware = ForwardedForMiddleware(lambda request: HttpResponse(request.META["REMOTE_ADDR"]))
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return middleware(RequestFactory().get("/", **extra)).content.decode()


@pytest.mark.parametrize("remote, forwarded, client", [
    ("127.0.0.1", "203.0.113.7", "203.0.113.7"),                 # nginx on the same host
    ("127.0.0.1", "198.51.100.1, 203.0.113.7", "203.0.113.7"),   # the left one was written by the client
    ("127.0.0.1", "203.0.113.7, 10.0.0.5", "203.0.113.7"),       # load balancer, then nginx
    ("::1", "2001:db8::1", "2001:db8::1"),
    ("198.51.100.9", "203.0.113.7", "198.51.100.9"),             # not through a trusted proxy: header ignored
    ("127.0.0.1", "not-an-address", "127.0.0.1"),
    ("127.0.0.1", None, "127.0.0.1"),
    ("127.0.0.1", "10.0.0.5", "127.0.0.1"),                      # only proxies: keep the peer
])
def test_client_address(remote, forwarded, client):
    assert seen_address(remote, forwarded) == client


def test_off_without_trusted_proxies():
    assert seen_address("127.0.0.1", "203.0.113.7", trusted=()) == "127.0.0.1"


def test_the_audit_trail_records_the_client_behind_the_proxy(client, make_user, password):
    from accounts.models import AuditEvent

    make_user("parent@example.org")
    with override_settings(PORTAL_TRUSTED_PROXIES=["127.0.0.1"]):
        client.post("/fr/compte/connexion/", {"username": "parent@example.org", "password": password},
                    REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert AuditEvent.objects.get(action=AuditEvent.Action.LOGIN).ip_address == "203.0.113.7"
