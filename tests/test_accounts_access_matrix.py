"""The access matrix: every parent-facing URL that takes an object id gives 404 to
another household, on read and on write, and changes nothing. URLs are discovered from
the resolver: a new URL without an entry in tests/access_matrix.py fails here."""

import importlib

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import AuditEvent, AuthorisedPerson, Child, Household
from tests import access_matrix
from tests.access_matrix import EXEMPT, REGISTRY, SCREENS, SCREENS_EXEMPT, build_world

pytestmark = pytest.mark.django_db

# URL prefixes that are not parent-facing object URLs: the Wagtail admin (staff, behind
# the second factor), Wagtail's public documents and content API, the page tree.
NOT_PARENT_FACING = ("admin/", "documents/", "api/v2/", "static/", "media/")


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, route, ns)
        elif isinstance(entry, URLPattern):
            yield route, (f"{namespace}:{entry.name}" if namespace and entry.name else entry.name), entry


def _has_arguments(entry):
    pattern = entry.pattern
    converters = getattr(pattern, "converters", None)
    if converters:
        return True
    regex = getattr(pattern, "regex", None)
    return bool(regex is not None and regex.groups)


def object_urls():
    """(route, name) of every parent-facing pattern with an argument."""
    found = []
    for route, name, entry in _walk(get_resolver().url_patterns):
        route_text = route.lstrip("^")
        bare = route_text.split("/", 1)[1] if route_text.startswith(("fr/", "en/", "<")) else route_text
        if any(route_text.startswith(p) or bare.startswith(p) for p in NOT_PARENT_FACING):
            continue
        if entry.callback.__module__.startswith("wagtail"):
            continue  # the page tree (Wagtail's serve view); embedded screens are walked below
        # The language prefix of i18n_patterns is not an argument.
        if _has_arguments(entry):
            found.append((route, name))
    return found


def screen_urls():
    found = []
    for shape, module in settings.PORTAL_SERVICE_SCREENS.items():
        urlconf = importlib.import_module(module)
        for route, name, entry in _walk(urlconf.urlpatterns):
            if _has_arguments(entry):
                found.append((shape, name, route))
    return found


def test_every_object_url_has_an_entry():
    missing = [f"{name} ({route})" for route, name in object_urls() if name not in REGISTRY and name not in EXEMPT]
    assert not missing, ("URL(s) with an object id but no entry in tests/access_matrix.py (object_url or exempt):\n"
                         + "\n".join(missing))
    screens_missing = [f"{shape}:{name} ({route})" for shape, name, route in screen_urls()
                       if (shape, name) not in SCREENS and (shape, name) not in SCREENS_EXEMPT]
    assert not screens_missing, "Embedded screen(s) without an entry (screen_url):\n" + "\n".join(screens_missing)


def test_the_discovery_sees_the_accounts_urls_and_embedded_screens(settings):
    names = {name for _route, name in object_urls()}
    assert {"accounts:household", "accounts:child_edit", "accounts:authorised_person_delete"} <= names
    assert "accounts:space" not in names and "accounts:login" not in names  # no argument
    settings.PORTAL_SERVICE_SCREENS = {"default": "tests.embedded_screens"}
    assert ("default", "echo", "essai/<int:item>/") in screen_urls()


def test_no_stale_entries():
    names = {name for _route, name in object_urls()}
    stale = sorted(set(REGISTRY) - names)
    assert not stale, f"Entries for URLs that no longer exist: {stale}"


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


def _url(name, entry, world):
    return reverse(name, kwargs=entry.factory(world))


def test_another_household_gets_404_on_read_and_write(db, password, demo):
    world = build_world(password)
    owner, attacker = _client_for(world.victim_user), _client_for(world.attacker_user)
    before = (list(Household.objects.values_list("pk", "phone_mobile", "address_line1").order_by("pk")),
              list(Child.objects.values_list("pk", "diet").order_by("pk")),
              list(AuthorisedPerson.objects.values_list("pk", "first_name").order_by("pk")))
    problems = []
    checked = 0
    entries = [(name, entry, lambda n=name, e=entry: _url(n, e, world)) for name, entry in REGISTRY.items()]
    for (shape, name), entry in SCREENS.items():
        def build(e=entry, n=name):
            page, kwargs = e.factory(world)
            return page.screen_url(None, n, **kwargs)
        entries.append((f"screen {shape}:{name}", entry, build))
    for label, entry, build in entries:
        url = build()
        events = AuditEvent.objects.count()
        response = attacker.get(url)
        if "get" in entry.methods and response.status_code != 404:
            problems.append(f"GET {label} {url}: {response.status_code} for another household")
        if "post" in entry.methods:
            data = {**entry.post_data, "household": world.attacker_household.pk,
                    "household_id": world.attacker_household.pk, "status": "accepted"}
            response = attacker.post(url, data)
            if response.status_code != 404:
                problems.append(f"POST {label} {url}: {response.status_code} for another household")
        if AuditEvent.objects.count() != events:
            problems.append(f"{label}: an audit event was written for another household's request")
        # Positive control: the household's own parent reaches the same URL.
        response = owner.get(url)
        if response.status_code == 404 or response.status_code >= 500:
            problems.append(f"GET {label} {url}: {response.status_code} for its own household (bad factory?)")
        checked += 1
    after = (list(Household.objects.values_list("pk", "phone_mobile", "address_line1").order_by("pk")),
             list(Child.objects.values_list("pk", "diet").order_by("pk")),
             list(AuthorisedPerson.objects.values_list("pk", "first_name").order_by("pk")))
    assert not problems, "\n".join(problems)
    assert before == after
    assert checked == len(REGISTRY) + len(SCREENS) and checked >= len(access_matrix.REGISTRY)


def test_anonymous_visitors_are_sent_to_login(db, password):
    world = build_world(password)
    client = Client()
    for name, entry in REGISTRY.items():
        url = _url(name, entry, world)
        response = client.get(url) if "get" in entry.methods else client.post(url)
        assert response.status_code == 302 and "/compte/connexion/" in response["Location"], name
