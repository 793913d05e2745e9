"""Shared pytest fixtures of the family API (registered in conftest.py), and the API's
access-matrix registry (tests/test_api_access_matrix.py).

- ``api_clock``: ``api_clock.set(moment)`` fixes the API's "now" (``api.clock.now``).
- ``token_for(user)``: a new access token (the raw string) for ``user``.
- ``api_client(raw_token=None)``: a Django test client sending ``Authorization: Bearer``.
- ``api_family``: the DUPONT household (one parent with every right, one child, ``Emma``,
  enrolled in the demo canteen for the school year), the parent's token and client.
- ``API_ROUTES``: for every /api/v1/ route with a path parameter, keyed by (method,
  OpenAPI path), how to make the object of the *victim's* household (``api_route``) or
  why it is not a household's object (``api_exempt``).
"""

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

# --- Clients and tokens ----------------------------------------------------------------------


@pytest.fixture
def api_clock(monkeypatch):
    class Clock:
        moment = None

        def set(self, moment):
            self.moment = moment

    clock = Clock()

    def now():
        from django.utils import timezone

        return clock.moment or timezone.now()

    monkeypatch.setattr("api.clock.now", now)
    return clock


def new_token(user, *, name="Application", expires_in_days=None, now=None):
    from django.utils import timezone

    from api.tokens import create_token

    _token, raw = create_token(user, name=name, expires_in_days=expires_in_days, now=now or timezone.now())
    return raw


@pytest.fixture
def token_for(db):
    return new_token


def bearer_client(raw=None, **kwargs):
    from django.test import Client

    headers = {"Authorization": f"Bearer {raw}"} if raw else {}
    return Client(headers=headers, **kwargs)


@pytest.fixture
def api_client(db):
    return bearer_client


@pytest.fixture(autouse=True)
def _fresh_api_rate_limits():
    """Each test starts with empty rate-limit windows (the local-memory cache outlives a test)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def api_family(make_family, catalogue, enrol):
    household = make_family("DUPONT")
    parent, child = household.users[0], household.kids[0]
    canteen = catalogue["cantine-jules-ferry"]
    enrol(child, canteen)
    raw = new_token(parent)
    return SimpleNamespace(household=household, parent=parent, child=child, canteen=canteen, catalogue=catalogue,
                           token=raw, client=bearer_client(raw))


# --- The API's access matrix ----------------------------------------------------------------

API_ROUTES = {}
API_EXEMPT = {}


@dataclass
class ApiRoute:
    factory: object
    body: dict = field(default_factory=dict)


def api_route(method, path, *, body=None):
    """Register how to build, in the victim's household, the object of route ``method path``
    (the OpenAPI path, e.g. "/api/v1/bookings/{booking_id}/cancel"). The factory gets the
    world and returns ``(path parameters, query parameters)``."""
    def decorator(factory):
        API_ROUTES[(method, path)] = ApiRoute(factory, dict(body or {}))
        return factory
    return decorator


def api_exempt(method, path, reason):
    API_EXEMPT[(method, path)] = reason


def matrix_activity():
    from services.models import Activity, Service

    service, _ = Service.objects.get_or_create(code="matrice-api", defaults={"name": "Service de la matrice",
                                                                             "shape": "daily"})
    activity, _ = Activity.objects.get_or_create(code="matrice-api-journee", defaults={
        "service": service, "name": "Journée de la matrice", "shape": "daily", "weekdays": [0, 1, 2, 3, 4, 5, 6],
        "runs_in_holidays": True})
    return activity


def _victim_enrolment(world):
    from django.utils import timezone

    from services.models import Enrolment

    activity = matrix_activity()
    enrolment, _ = Enrolment.objects.get_or_create(
        child=world.victim_child, activity=activity, start_date=dt.date(2026, 9, 1),
        defaults={"household": world.victim_household, "end_date": dt.date(2027, 8, 31), "status": "active",
                  "requested_at": timezone.now()})
    return enrolment


def _victim_booking(world):
    from django.utils import timezone

    from services.models import Booking

    activity = matrix_activity()
    day = timezone.localdate() + dt.timedelta(days=20)
    booking, _ = Booking.objects.get_or_create(
        child=world.victim_child, activity=activity, day=day,
        defaults={"household": world.victim_household, "status": "booked", "booked_at": timezone.now(),
                  "changed_at": timezone.now()})
    return booking


def _victim_document(world, code="matrice-api"):
    from documents.models import DocumentType
    from documents.uploads import IncomingFile, upload_document
    from tests.fixtures_documents import make_pdf

    kind, _ = DocumentType.objects.get_or_create(code=code, defaults={"name": f"Pièce de la matrice ({code})",
                                                                      "scope": "child"})
    return upload_document(world.victim_user, household=world.victim_household, document_type=kind,
                           child=world.victim_child, files=[IncomingFile("piece.pdf", make_pdf())])


def _victim_invoice(world):
    from tests.fixtures_billing import _matrix_invoice

    return _matrix_invoice(world)["pk"]


def _register_api_matrix():
    api_route("get", "/api/v1/children/{child_id}")(lambda w: ({"child_id": w.victim_child.pk}, {}))
    api_route("get", "/api/v1/households/{household_id}/history")(
        lambda w: ({"household_id": w.victim_household.pk}, {}))
    api_exempt("get", "/api/v1/activities/{activity_id}", "le catalogue public des activités, pas un objet d'un foyer")
    api_route("get", "/api/v1/activities/{activity_id}/occurrences")(
        lambda w: ({"activity_id": matrix_activity().pk}, {"child_id": w.victim_child.pk}))
    api_route("get", "/api/v1/enrolments/{enrolment_id}")(lambda w: ({"enrolment_id": _victim_enrolment(w).pk}, {}))
    api_route("post", "/api/v1/enrolments/{enrolment_id}/withdraw")(
        lambda w: ({"enrolment_id": _victim_enrolment(w).pk}, {}))
    api_route("get", "/api/v1/bookings/{booking_id}")(lambda w: ({"booking_id": _victim_booking(w).pk}, {}))
    api_route("post", "/api/v1/bookings/{booking_id}/cancel", body={"sick": False})(
        lambda w: ({"booking_id": _victim_booking(w).pk}, {}))
    for method, path in (("get", "/api/v1/invoices/{invoice_id}"), ("get", "/api/v1/invoices/{invoice_id}/pdf"),
                         ("post", "/api/v1/invoices/{invoice_id}/pay")):
        api_route(method, path)(lambda w: ({"invoice_id": _victim_invoice(w)}, {}))
    api_route("get", "/api/v1/documents/files/{file_id}")(
        lambda w: ({"file_id": _victim_document(w).files.first().pk}, {}))
    api_route("delete", "/api/v1/documents/{document_id}")(
        lambda w: ({"document_id": _victim_document(w, "matrice-api-suppression").pk}, {}))


def _register_site_matrix():
    """The site's own matrix (tests/access_matrix.py): the token page's revoke URL; the
    API's routes are exempt there (their own matrix is tests/test_api_access_matrix.py)."""
    from django.urls import URLPattern

    from api.urls import urlpatterns
    from tests.access_matrix import exempt, object_url

    def victim_token(world):
        from django.utils import timezone

        from api.tokens import create_token

        token, _raw = create_token(world.victim_user, name="Téléphone", now=timezone.now())
        return {"pk": token.pk}

    object_url("api_tokens:revoke", methods=("post",))(victim_token)
    for pattern in urlpatterns:
        if isinstance(pattern, URLPattern) and pattern.name and (pattern.pattern.converters
                                                                 or pattern.pattern.regex.groups):
            exempt(f"api-v1:{pattern.name}", "route de l'API famille : voir tests/test_api_access_matrix.py")


_register_api_matrix()
_register_site_matrix()


# --- Objects for the endpoint tests -----------------------------------------------------------


def make_api_invoice(household, guardian, child, activity, *, total="12.40", status="issued", number=None):
    """An issued invoice of ``guardian`` with one line for ``child``."""
    from decimal import Decimal

    from billing.models import CollectionOffice, Invoice, InvoiceLine

    office, _ = CollectionOffice.objects.get_or_create(code="98", defaults={"name": "Régie de l'API"})
    rank = Invoice.objects.filter(office=office).count() + 1
    invoice = Invoice.objects.create(
        office=office, household=household, payer=guardian, payer_name=str(guardian), year=2026, month=10,
        number=number or f"F98-26-10-{rank:07d}", sequence_number=rank, status=status, total=Decimal(total),
        due_date=dt.date(2026, 11, 30))
    InvoiceLine.objects.create(invoice=invoice, fact_key=f"api-test:{invoice.pk}", child=child, activity=activity,
                               day=dt.date(2026, 10, 5), fact_status="booked_present", description="Repas",
                               unit_price=Decimal(total), amount=Decimal(total))
    return invoice


@pytest.fixture
def api_document_type(db):
    from documents.models import DocumentType

    return DocumentType.objects.create(code="attestation-api", name="Attestation d'assurance", scope="child",
                                       validity_days=365)
