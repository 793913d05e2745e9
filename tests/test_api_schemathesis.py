"""Schemathesis against the family API's own OpenAPI document (/api/v1/openapi.json),
through the WSGI application in the test database, authenticated with a demo parent's
token (marie.martin@example.org): for every operation, generated requests (valid ones,
then invalid ones) must get no server error and no answer outside the document (status
codes, content types, headers, JSON bodies). The number of examples is bounded so that
the run takes a minute or so; ``derandomize`` makes it the same run every time (CI)."""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

pytestmark = pytest.mark.django_db

POSITIVE_EXAMPLES = 12
NEGATIVE_EXAMPLES = 6


@pytest.fixture
def wsgi_app():
    # As Django's test client does: the test's transaction must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def marie_ids(user):
    """Ids of the demo parent's own objects, per path parameter name (those the demo has)."""
    from accounts.households import children_visible_to, households_for
    from billing.access import invoices_visible_to
    from documents.access import documents_visible_to
    from documents.models import DocumentFile
    from services.models import Activity, Booking, Enrolment

    children = children_visible_to(user)
    found = {
        "child_id": children.values_list("pk", flat=True).first(),
        "household_id": households_for(user).values_list("pk", flat=True).first(),
        "activity_id": Activity.objects.filter(code="cantine-jules-ferry").values_list("pk", flat=True).first(),
        "enrolment_id": Enrolment.objects.filter(child__in=children).values_list("pk", flat=True).first(),
        "booking_id": Booking.objects.filter(child__in=children).values_list("pk", flat=True).first(),
        "invoice_id": invoices_visible_to(user).values_list("pk", flat=True).first(),
        "file_id": DocumentFile.objects.filter(document__in=documents_visible_to(user)).values_list(
            "pk", flat=True).first(),
        "document_id": documents_visible_to(user).values_list("pk", flat=True).first(),
    }
    return {name: value for name, value in found.items() if value is not None}


def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_schema(demo, wsgi_app, settings, token_for):
    import schemathesis
    from hypothesis import HealthCheck, Phase, given
    from hypothesis import settings as hypothesis_settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    from accounts.models import User

    settings.PORTAL_API_RATE_LIMITS = {"requests": (100_000, 60), "writes": (100_000, 60)}
    settings.PAYFIP = {**settings.PAYFIP, "URL": "http://127.0.0.1:9/payfip", "TIMEOUT": 1.0}  # PayFiP down: 503
    token = token_for(User.objects.get(email="marie.martin@example.org"))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
              response_schema_conformance]
    real_ids = marie_ids(User.objects.get(email="marie.martin@example.org"))
    failures, operations, calls = [], 0, {"n": 0}
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        names = [p.name for p in operation.path_parameters]
        passes = [("positive", GenerationMode.POSITIVE, POSITIVE_EXAMPLES, None),
                  ("negative", GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES, None)]
        if names and all(name in real_ids for name in names):
            # Also on the demo parent's own objects: the answers with data are checked too.
            passes.append(("her objects", GenerationMode.POSITIVE, POSITIVE_EXAMPLES,
                           {name: real_ids[name] for name in names}))
        for label, mode, examples, path_parameters in passes:
            strategy = operation.as_strategy(generation_mode=mode, headers={"Authorization": f"Bearer {token}"},
                                             path_parameters=path_parameters)

            @hypothesis_settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                                 phases=[Phase.explicit, Phase.generate],
                                 suppress_health_check=list(HealthCheck))
            @given(case=strategy)
            def run(case):
                calls["n"] += 1
                response = case.call()
                case.validate_response(response, checks=checks)

            try:
                run()
            except Unsatisfiable:
                # Nothing to make invalid (an operation without parameters): no negative case.
                assert mode == GenerationMode.NEGATIVE, operation.label
            except Exception as error:  # noqa: BLE001 - collect every operation's first failure
                failures.append(f"{operation.label} ({label}): {error}")
    assert {"child_id", "household_id", "activity_id"} <= set(real_ids), real_ids
    assert operations >= 25 and calls["n"] >= operations * 5
    assert not failures, "\n\n".join(failures)
    print("schemathesis:", operations, "operations,", calls["n"], "requests; own objects:", sorted(real_ids))
