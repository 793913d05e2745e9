"""Shared pytest fixtures of the services' family screens (registered in conftest.py):
ServicePages of the demo services without the whole demo, the embedded screens' URLs,
a fixed clock for the views; and their entries in the access matrix."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

PARIS = ZoneInfo("Europe/Paris")
# Tuesday 10 November 2026, 10:00 in Paris: inside the demo school year 2026-2027.
FAMILY_NOW = dt.datetime(2026, 11, 10, 10, 0, tzinfo=PARIS)


def make_service_page(service, slug=None):
    from wagtail.models import Locale, Site

    from home.models import ServicePage

    root = Site.objects.get(is_default_site=True).root_page
    page = ServicePage(title=service.name, slug=slug or service.code, service=service,
                       locale=Locale.objects.get(language_code="fr"))
    root.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def family_clock(monkeypatch):
    """The parent screens' clock (``services.clock``) set at FAMILY_NOW."""
    from services import clock

    monkeypatch.setattr(clock, "now", lambda: FAMILY_NOW)
    return FAMILY_NOW


@pytest.fixture
def family_service_pages(catalogue):
    """{service code: live ServicePage} for the canteen, the school enrolment, the
    municipal schools (courses) and the leisure centre."""
    from services.models import Service

    return {code: make_service_page(Service.objects.get(code=code))
            for code in ("restauration-scolaire", "etablissements-scolaires", "ecoles-municipales",
                         "centre-de-loisirs")}


@pytest.fixture
def family_screen(family_service_pages):
    """family_screen(name, service="restauration-scolaire", **kwargs): the path of an
    embedded screen of that service's page."""

    def url(name, service="restauration-scolaire", **kwargs):
        return family_service_pages[service].screen_url(None, name, **kwargs)

    return url


# --- the family screens in the access matrix (tests/access_matrix.py) --------------------

def _matrix_enrolment(world):
    """A pending request of the victim's child for the canteen of the demo's school year."""
    from django.utils import timezone

    from services.models import Activity, Enrolment

    activity = Activity.objects.get(code="cantine-jules-ferry")
    count = Enrolment.objects.filter(child=world.victim_child).count()
    enrolment = Enrolment.objects.create(
        household=world.victim_household, child=world.victim_child, activity=activity,
        start_date=dt.date(2026, 9, 1) + dt.timedelta(days=count), end_date=dt.date(2027, 8, 31),
        status="pending", requested_at=timezone.now(), requested_by=world.victim_user)
    return world.service_page("restauration-scolaire"), {"pk": enrolment.pk}


def _matrix_feed(world):
    from django.utils import timezone

    from services import feeds

    feed, _token = feeds.create_feed(world.victim_user, world.victim_child, now=timezone.now())
    return world.service_page("restauration-scolaire"), {"pk": feed.pk}


def _register_matrix():
    from tests.access_matrix import exempt, screen_url

    screen_url("default", "enrolment_withdraw")(_matrix_enrolment)
    screen_url("default", "feed_revoke")(_matrix_feed)
    exempt("services:feed", "jeton secret d'un agenda iCalendar (empreinte stockée), pas un identifiant d'objet")


_register_matrix()
