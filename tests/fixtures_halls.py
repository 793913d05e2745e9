"""Shared pytest fixtures of the halls area (registered in conftest.py).

A small world built directly (no demo): one hall with the demo commune's terms (300 € /
660 €, deposit 550 €, fees 50 % under 30 days and 100 % under 10 days), its three slots
(day 09:00–18:00 every day, evening 18:00–02:00 on Friday and Saturday, weekend Saturday
10:00 to Monday 08:00), a resident and a non-resident household with their parents, a
user without household, an agent and a cashier."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

PARIS = ZoneInfo("Europe/Paris")
# A fixed moment for the domain tests: Monday 1 March 2027, 10:00 in Paris.
NOW = dt.datetime(2027, 3, 1, 10, 0, tzinfo=PARIS)


def next_weekday(day, weekday):
    """The first ``weekday`` (0 = Monday) on or after ``day``."""
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


@pytest.fixture
def hall(db):
    from services.models import Hall

    return Hall.objects.create(
        name="Nymphéas", capacity=200, resident_price=Decimal("300.00"), non_resident_price=Decimal("660.00"),
        deposit=Decimal("550.00"), first_cancellation_notice_days=30, first_cancellation_fee_percent=Decimal("50"),
        second_cancellation_notice_days=10, second_cancellation_fee_percent=Decimal("100"), insurance_required=True,
    )


@pytest.fixture
def other_hall(db):
    from services.models import Hall

    return Hall.objects.create(
        name="Salle de l'Union", capacity=120, resident_price=Decimal("300.00"),
        non_resident_price=Decimal("660.00"), deposit=Decimal("550.00"),
    )


def make_slots(hall):
    from halls.models import HallSlot

    return {
        "day": HallSlot.objects.create(hall=hall, name="Journée", start_time=dt.time(9), end_time=dt.time(18),
                                       weekdays=[0, 1, 2, 3, 4, 5, 6], order=1),
        "evening": HallSlot.objects.create(hall=hall, name="Soirée", start_time=dt.time(18), end_time=dt.time(2),
                                           end_day_offset=1, weekdays=[4, 5], order=2),
        "weekend": HallSlot.objects.create(hall=hall, name="Week-end", start_time=dt.time(10), end_time=dt.time(8),
                                           end_day_offset=2, weekdays=[5], order=3),
    }


@pytest.fixture
def slots(hall):
    return make_slots(hall)


def make_parent(email, household_name, *, resident=True, paper_only=False, code=None, language="fr"):
    from accounts.models import Guardian, Household, User

    user = User.objects.create_user(email=email, password="une-phrase-de-passe-solide", first_name="Parent",
                                    last_name=household_name.title(), preferred_language=language)
    household = Household.objects.create(name=household_name, code=code or "", is_resident=resident,
                                         paper_only=paper_only, city="Aulnoy-lez-Valenciennes")
    Guardian.objects.create(household=household, user=user, first_name="Parent", last_name=household_name.title(),
                            phone_mobile="06 00 00 00 01", is_payer=True)
    return user


@pytest.fixture
def resident(db):
    return make_parent("resident@example.org", "LEGRAND", resident=True)


@pytest.fixture
def non_resident(db):
    return make_parent("exterieur@example.org", "DUPONT", resident=False)


@pytest.fixture
def loner(db):
    """A portal user linked to no household."""
    from accounts.models import User

    return User.objects.create_user(email="seul@example.org", password="une-phrase-de-passe-solide",
                                    first_name="Camille", last_name="Seule")


def _staff(email, group_name):
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import ensure_groups

    ensure_groups()
    user = User.objects.create_user(email=email, password="une-phrase-de-passe-solide", is_staff=True,
                                    first_name="Agent", last_name=group_name)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def agent(db):
    from accounts.roles import AGENTS

    return _staff("agent-salles@example.org", AGENTS)


@pytest.fixture
def cashier(db):
    from accounts.roles import CASHIERS

    return _staff("regie-salles@example.org", CASHIERS)


@pytest.fixture
def person_details():
    """RequesterDetails for a private person of ``user``'s (first) household."""
    from halls.hire import RequesterDetails

    def make(user=None, **changes):
        from accounts.households import households_for

        household = households_for(user).first() if user is not None else None
        values = {"kind": "person", "household": household, "contact_name": "Parent Legrand",
                  "contact_phone": "06 00 00 00 01", "contact_email": "contact@example.org",
                  "event_description": "Anniversaire", "expected_guests": 50}
        values.update(changes)
        return RequesterDetails(**values)

    return make


@pytest.fixture
def association_details():
    from halls.hire import RequesterDetails

    def make(**changes):
        values = {"kind": "association", "association_name": "Les Amis du Quartier",
                  "association_number": "W595001234", "association_seat_in_commune": False,
                  "contact_name": "Claire Asso", "contact_phone": "06 00 00 00 02",
                  "contact_email": "asso@example.org", "event_description": "Assemblée générale",
                  "expected_guests": 40}
        values.update(changes)
        return RequesterDetails(**values)

    return make


@pytest.fixture
def event_day():
    """A Saturday far enough from NOW for every rule (40 days later: no cancellation fee yet)."""
    return next_weekday(NOW.date() + dt.timedelta(days=40), 5)


@pytest.fixture
def hall_page(db):
    """A live hall-hire ServicePage (below the site's root page), without the whole demo."""
    from wagtail.models import Locale, Site

    from home.models import ServicePage
    from services.models import Service

    service = Service.objects.create(code="location-de-salle", name="Location de salle", shape="hall_hire")
    root = Site.objects.get(is_default_site=True).root_page
    page = ServicePage(title="Location de salle", slug="location-de-salle", service=service,
                       locale=Locale.objects.get(language_code="fr"))
    root.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def screen(hall_page):
    """screen(name, **kwargs): the path of an embedded hall-hire screen."""
    from django.urls import reverse

    def url(name, **kwargs):
        path = reverse(name, urlconf="halls.urls_embedded", kwargs=kwargs).lstrip("/")
        return hall_page.url + hall_page.reverse_subpage("screens", kwargs={"screen_path": path})

    return url


# --- the halls area's embedded screens in the access matrix (tests/access_matrix.py) ----

def _matrix_hall_request(world):
    """A pending request of the victim for a hall of its own, a Saturday 40 days ahead."""
    from django.utils import timezone

    from halls import hire
    from services.models import Hall

    hall = Hall.objects.filter(name="Salle de la matrice").first()
    if hall is None:
        hall = Hall.objects.create(name="Salle de la matrice", capacity=50, resident_price=Decimal("100.00"),
                                   non_resident_price=Decimal("200.00"), deposit=Decimal("100.00"),
                                   insurance_required=False)
        make_slots(hall)
    slot = hall.hire_slots.get(name="Journée")
    # One request per factory call: each on its own Saturday.
    weeks = hire.requests_for(world.victim_user).count()
    day = next_weekday(timezone.localdate() + dt.timedelta(days=40 + 7 * weeks), 5)
    details = hire.RequesterDetails(
        kind="person", household=world.victim_household, contact_name="Victime Matrice",
        contact_phone="06 00 00 00 00", contact_email=world.victim_user.email, event_description="Anniversaire",
        expected_guests=20)
    hall_request = hire.create_request(world.victim_user, hall, slot, day, details)
    return world.service_page("location-de-salle"), {"pk": hall_request.pk}


def _register_matrix():
    from tests.access_matrix import screen_exempt, screen_url

    screen_url("hall_hire", "request_detail", methods=("get",))(_matrix_hall_request)
    screen_url("hall_hire", "cancel_request")(_matrix_hall_request)
    for name in ("calendar", "new_request"):
        screen_exempt("hall_hire", name, "une salle de la commune, publique : pas un objet d'un foyer")


_register_matrix()
