"""The family API's access matrix: every /api/v1/ route with a path parameter gives 404
to another household, on read and on write, through a token and through the site's
session, and writes nothing; the household's own parent reaches it. Routes are
discovered from the OpenAPI document: a new route without an entry in
tests/fixtures_api.py (``api_route`` or ``api_exempt``) fails here. Ids sent in bodies
and queries are checked the same way."""

from urllib.parse import urlencode

import pytest
from django.test import Client

from accounts.models import AuditEvent
from api.api import api
from billing.models import PayfipTransaction
from documents.models import SupportingDocument
from services.models import Booking, Enrolment
from tests.access_matrix import build_world
from tests.fixtures_api import API_EXEMPT, API_ROUTES, bearer_client, matrix_activity, new_token

pytestmark = pytest.mark.django_db


def routes_with_path_parameters(schema):
    return [(method, path) for path, operations in schema["paths"].items() if "{" in path
            for method in operations if method in ("get", "post", "put", "patch", "delete")]


def missing_entries(schema):
    return [f"{method.upper()} {path}" for method, path in routes_with_path_parameters(schema)
            if (method, path) not in API_ROUTES and (method, path) not in API_EXEMPT]


def test_every_route_with_a_path_parameter_has_an_entry():
    schema = api.get_openapi_schema()
    routes = routes_with_path_parameters(schema)
    assert len(routes) >= 12
    missing = missing_entries(schema)
    assert not missing, ("API route(s) with a path parameter but no entry in tests/fixtures_api.py "
                         "(api_route or api_exempt):\n" + "\n".join(missing))


def test_a_new_route_without_an_entry_fails_the_check():
    schema = {"paths": {"/api/v1/children/{child_id}": {"get": {}},
                        "/api/v1/nouvelles/{thing_id}": {"get": {}, "delete": {}},
                        "/api/v1/me": {"get": {}}}}
    assert missing_entries(schema) == ["GET /api/v1/nouvelles/{thing_id}", "DELETE /api/v1/nouvelles/{thing_id}"]


def test_no_stale_entries():
    routes = set(routes_with_path_parameters(api.get_openapi_schema()))
    stale = sorted((set(API_ROUTES) | set(API_EXEMPT)) - routes)
    assert not stale, f"Entries for API routes that no longer exist: {stale}"


def call(client, method, url, body):
    if method == "get":
        return client.get(url)
    if method == "delete":
        return client.delete(url)
    return client.post(url, body, content_type="application/json")


def state():
    return (list(Booking.objects.order_by("pk").values_list("pk", "status")),
            list(Enrolment.objects.order_by("pk").values_list("pk", "status")),
            SupportingDocument.objects.count(), PayfipTransaction.objects.count())


def session_client(user):
    client = Client()
    client.force_login(user)
    return client


def test_another_household_gets_404_on_every_route(password, settings):
    settings.PAYFIP = {**settings.PAYFIP, "URL": "http://127.0.0.1:9/payfip", "TIMEOUT": 2.0}
    world = build_world(password)
    attackers = {"jeton": bearer_client(new_token(world.attacker_user)), "session": session_client(world.attacker_user)}
    owner = bearer_client(new_token(world.victim_user))
    urls = []
    for (method, path), entry in API_ROUTES.items():
        kwargs, query = entry.factory(world)
        url = path.format(**kwargs) + (f"?{urlencode(query)}" if query else "")
        urls.append((method, path, url, entry.body))
    before = state()
    problems = []
    for method, path, url, body in urls:
        for how, attacker in attackers.items():
            events = AuditEvent.objects.count()
            response = call(attacker, method, url, {**body, "household_id": world.attacker_household.pk,
                                                    "status": "accepted"})
            if response.status_code != 404 or response.json().get("code") != "not_found":
                problems.append(f"{method.upper()} {url} ({how}): {response.status_code} for another household")
            if AuditEvent.objects.count() != events:
                problems.append(f"{method.upper()} {url} ({how}): an audit event was written")
    assert state() == before, "another household's request changed something"
    # Positive control: the household's own parent reaches every route (the factories made real objects).
    for method, path, url, body in urls:
        response = call(owner, method, url, body)
        if response.status_code == 404 or response.status_code >= 500 and response.status_code != 503:
            problems.append(f"{method.upper()} {url}: {response.status_code} for its own household (bad factory?)")
    assert not problems, "\n".join(problems)
    assert len(urls) == len(API_ROUTES)


def test_ids_of_another_household_in_bodies_and_queries_give_404(password):
    world = build_world(password)
    client = bearer_client(new_token(world.attacker_user))
    activity = matrix_activity()
    victim_child = world.victim_child.pk
    day = "2026-12-21"
    writes = [
        ("/api/v1/bookings", {"child_id": victim_child, "activity_id": activity.pk, "day": day}),
        ("/api/v1/enrolments", {"child_id": victim_child, "activity_id": activity.pk}),
        ("/api/v1/bookings/pattern", {"child_id": victim_child, "activity_id": activity.pk, "weekdays": [0],
                                      "start": day, "end": day}),
        ("/api/v1/bookings/pattern/preview", {"child_id": victim_child, "activity_id": activity.pk, "weekdays": [0],
                                              "start": day, "end": day}),
        ("/api/v1/bookings/changes", {"changes": [{"child_id": victim_child, "activity_id": activity.pk, "day": day,
                                                   "action": "book"}]}),
        ("/api/v1/bookings/changes/preview", {"changes": [{"child_id": victim_child, "activity_id": activity.pk,
                                                           "day": day, "action": "book"}]}),
    ]
    before = state()
    events = AuditEvent.objects.count()
    for url, body in writes:
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 404 and response.json()["code"] == "not_found", url
    from tests.fixtures_documents import make_jpeg, upload_file

    for extra in ({"child_id": victim_child}, {"household_id": world.victim_household.pk}):
        response = client.post("/api/v1/documents", {"type": "x", "files": [upload_file("a.jpg", make_jpeg(),
                                                                                         "image/jpeg")], **extra})
        assert response.status_code == 404, extra
    for url in ("/api/v1/bookings", "/api/v1/enrolments", "/api/v1/history"):
        response = client.get(f"{url}?child_id={victim_child}")
        assert response.status_code == 404, url
    assert state() == before and AuditEvent.objects.count() == events


def test_posted_extra_fields_change_nothing(api_family, api_clock, paris, make_family):
    api_clock.set(paris(2026, 11, 5, 10, 0))
    other = make_family("AUTRE")
    response = api_family.client.post("/api/v1/bookings", {
        "child_id": api_family.child.pk, "activity_id": api_family.canteen.pk, "day": "2026-11-16",
        "household_id": other.pk, "household": other.pk, "status": "waiting", "override": True,
        "booked_late": True, "is_staff": True}, content_type="application/json")
    assert response.status_code == 201
    booking = Booking.objects.get()
    assert (booking.household_id, booking.status, booking.booked_late, booking.changed_by_agent) == (
        api_family.household.pk, "booked", False, False)
    assert not AuditEvent.objects.filter(action="staff_override").exists()


def test_the_sites_matrix_exempts_the_api_routes_and_covers_the_token_page():
    from tests.access_matrix import EXEMPT, REGISTRY

    assert "api_tokens:revoke" in REGISTRY
    assert "api-v1:child" in EXEMPT and "api-v1:booking_cancel" in EXEMPT
