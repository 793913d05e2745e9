"""The family API's plumbing: session authentication with CSRF, staff refused, the
error shape, validation errors, 404 in JSON, pagination, rate limits with Retry-After,
the OpenAPI document and the browsable docs within the site's CSP, no caching."""

import pytest
from django.test import Client

from api.tokens import create_token

pytestmark = pytest.mark.django_db


def booking_body(family, day="2026-11-16"):
    return {"child_id": family.child.pk, "activity_id": family.canteen.pk, "day": day}


# --- Session and CSRF ---------------------------------------------------------------------------


def test_the_sites_session_reads_the_api(api_family):
    client = Client()
    client.force_login(api_family.parent)
    response = client.get("/api/v1/me")
    assert response.status_code == 200 and response.json()["via"] == "session"


def test_a_session_write_needs_the_csrf_token(api_family, api_clock, paris):
    api_clock.set(paris(2026, 11, 5, 10, 0))
    client = Client(enforce_csrf_checks=True)
    client.force_login(api_family.parent)
    response = client.post("/api/v1/bookings", booking_body(api_family), content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"
    assert not api_family.child.bookings.exists()
    client.get("/fr/acces-api/")  # any page of the site sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post("/api/v1/bookings", booking_body(api_family), content_type="application/json",
                           headers={"X-CSRFToken": token})
    assert response.status_code == 201, response.content
    assert response.json()["outcome"]["code"] == "booked"


def test_a_token_write_needs_no_csrf_token(api_family, api_clock, paris):
    api_clock.set(paris(2026, 11, 5, 10, 0))
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {api_family.token}"})
    response = client.post("/api/v1/bookings", booking_body(api_family), content_type="application/json")
    assert response.status_code == 201


def test_a_wrong_token_is_not_rescued_by_a_session(api_family):
    client = Client(headers={"Authorization": "Bearer pf_faux"})
    client.force_login(api_family.parent)
    assert client.get("/api/v1/me").status_code == 401


def test_staff_sessions_are_refused(make_user):
    agent = make_user("agent.api@example.org", is_staff=True)
    client = Client()
    client.force_login(agent)
    response = client.get("/api/v1/children")
    assert response.status_code == 403 and response.json()["code"] == "staff_not_allowed"


def test_anonymous_callers_get_401(db):
    response = Client().get("/api/v1/children")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated" and "Authentification requise" in response.json()["message"]
    assert Client().post("/api/v1/bookings", {}, content_type="application/json").status_code == 401


# --- Errors -------------------------------------------------------------------------------------


def test_a_domain_refusal_keeps_its_code_and_a_french_message(api_family, api_clock, paris):
    api_clock.set(paris(2026, 11, 12, 10, 0))  # past the deadline of Monday 16 (Monday 9, 23:59)
    response = api_family.client.post("/api/v1/bookings", booking_body(api_family), content_type="application/json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "deadline_passed"
    assert body["message"].startswith("Le délai de réservation est dépassé")
    assert body["deadline"] == "2026-11-09T23:59:00+01:00"
    assert response["Content-Type"].startswith("application/json")


def test_english_messages_on_request(api_family, api_clock, paris):
    api_clock.set(paris(2026, 11, 12, 10, 0))
    response = api_family.client.post("/api/v1/bookings", booking_body(api_family), content_type="application/json",
                                      headers={"Accept-Language": "en"})
    assert response.json()["code"] == "deadline_passed"


def test_validation_errors_are_422_in_the_same_shape(api_family):
    response = api_family.client.post("/api/v1/bookings", {"child_id": "x", "day": "pas une date"},
                                      content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error" and body["message"].startswith("Données invalides")
    fields = {error["field"]: error["message"] for error in body["errors"]}
    assert fields["body.child_id"] == "Nombre entier attendu."
    assert fields["body.activity_id"] == "Champ obligatoire."
    assert fields["body.day"].startswith("Date attendue")
    response = api_family.client.get("/api/v1/children?limit=0")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "query.limit"
    response = api_family.client.get(f"/api/v1/activities/{api_family.canteen.pk}/occurrences?start=1700-01-01")
    assert response.status_code == 422
    response = api_family.client.post("/api/v1/bookings", "{pas du json", content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "bad_request"


def test_unknown_paths_and_objects_are_json_404(api_family):
    for url in ("/api/v1/nulle-part", "/api/v1/children/987654", "/api/v1/bookings/987654"):
        response = api_family.client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found", url


def test_a_wrong_method_is_a_json_405(api_family):
    response = api_family.client.delete("/api/v1/me")
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"
    assert response["Allow"] == "GET"


def test_api_answers_are_never_cached(api_family):
    for url in ("/api/v1/me", "/api/v1/children/987654", "/api/v1/openapi.json"):
        assert "no-store" in api_family.client.get(url)["Cache-Control"], url


# --- Pagination ----------------------------------------------------------------------------------


def test_lists_are_paginated_with_a_count(api_family):
    client = api_family.client
    total = client.get("/api/v1/activities").json()["count"]
    assert total >= 10
    first = client.get("/api/v1/activities?limit=3&offset=0").json()
    second = client.get("/api/v1/activities?limit=3&offset=3").json()
    assert (first["count"], first["limit"], first["offset"], len(first["items"])) == (total, 3, 0, 3)
    assert {a["id"] for a in first["items"]}.isdisjoint({a["id"] for a in second["items"]})
    past = client.get(f"/api/v1/activities?limit=3&offset={total}").json()
    assert past["items"] == [] and past["count"] == total
    assert client.get("/api/v1/activities?limit=201").status_code == 422


# --- Rate limits ---------------------------------------------------------------------------------


def test_rate_limit_per_token_with_retry_after(api_family, settings, make_user):
    settings.PORTAL_API_RATE_LIMITS = {"requests": (5, 60), "writes": (2, 60)}
    client = api_family.client
    for _ in range(5):
        assert client.get("/api/v1/me").status_code == 200
    response = client.get("/api/v1/me")
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 60
    # Another token of the same parent has its own window.
    from django.utils import timezone

    _token, other = create_token(api_family.parent, name="Autre", now=timezone.now())
    assert Client(headers={"Authorization": f"Bearer {other}"}).get("/api/v1/me").status_code == 200


def test_writes_have_their_own_lower_limit(api_family, settings):
    settings.PORTAL_API_RATE_LIMITS = {"requests": (100, 60), "writes": (2, 60)}
    client = api_family.client
    for _ in range(2):
        client.post("/api/v1/bookings/pattern/preview", {}, content_type="application/json")
    response = client.post("/api/v1/bookings/pattern/preview", {}, content_type="application/json")
    assert response.status_code == 429 and "Retry-After" in response
    assert client.get("/api/v1/me").status_code == 200  # reading goes on


def test_sessions_are_limited_per_user(api_family, settings):
    settings.PORTAL_API_RATE_LIMITS = {"requests": (3, 60), "writes": (2, 60)}
    first, second = Client(), Client()
    first.force_login(api_family.parent)
    second.force_login(api_family.parent)
    for _ in range(3):
        assert first.get("/api/v1/me").status_code == 200
    assert second.get("/api/v1/me").status_code == 429


# --- OpenAPI and docs ----------------------------------------------------------------------------


def test_the_openapi_document_is_public_and_complete(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.") and schema["info"]["version"] == "1"
    paths = schema["paths"]
    for path in ("/api/v1/me", "/api/v1/children", "/api/v1/bookings", "/api/v1/bookings/{booking_id}/cancel",
                 "/api/v1/bookings/pattern/preview", "/api/v1/invoices/{invoice_id}/pay", "/api/v1/documents",
                 "/api/v1/history", "/api/v1/activities/{activity_id}/occurrences"):
        assert path in paths, path
    assert paths["/api/v1/bookings"]["post"]["responses"]["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"}
    assert {"TokenAuth", "SessionAuth"} <= set(schema["components"]["securitySchemes"])
    assert "application/pdf" in paths["/api/v1/invoices/{invoice_id}/pdf"]["get"]["responses"]["200"]["content"]


def test_the_openapi_document_has_no_duplicated_key(db):
    """JSON parsers keep the last of two equal keys, Swagger UI's YAML parser refuses the
    document (an int and a str status code once gave two "200")."""
    import json

    def no_duplicates(pairs):
        keys = [key for key, _value in pairs]
        assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
        return dict(pairs)

    json.loads(Client().get("/api/v1/openapi.json").content, object_pairs_hook=no_duplicates)


def test_the_docs_load_only_local_assets_within_the_csp(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    import re

    from django.contrib.staticfiles import finders

    for src in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert src.startswith("/"), src  # nothing from a CDN
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    for attributes, body in scripts:
        assert "src=" in attributes or 'type="application/json"' in attributes  # no inline script runs
    for asset in ("/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui-init.js",
                  "/static/ninja/swagger-ui.css"):
        assert asset in html
        assert finders.find(asset.removeprefix("/static/")), asset  # collected with the site's static files
    assert '"validatorUrl": null' in html  # no badge fetched from validator.swagger.io


def test_the_content_api_v2_stays_read_only_and_public(db):
    assert Client().get("/api/v2/pages/").status_code == 200
    assert Client().post("/api/v2/pages/", {}).status_code in (403, 405)
