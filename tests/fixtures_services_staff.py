"""Fixtures of the agents' screens of the services (registered in conftest.py).

They use the real clock: the admin screens act "now" (``services.admin_views``), so the
data is built around today, on activities that run every day of the year (no calendar
loaded), whatever the date the suite runs.

- ``staff_roles``: ``{"agent", "cashier", "communication", "legal"}`` staff users, each
  in its group (``accounts.roles``), and ``"parent"`` (a family login);
- ``staff_as(name)``: the test client logged into the admin as that role (second factor
  given, so that a denial is the screen's own, not the second-factor redirect);
- ``staff_canteen``: a daily activity serving a meal, running every day, booked until
  two days before at 12:00; ``staff_session``: a session activity with 2 places a day;
- ``staff_pupils``: a household (a parent login) with three children enrolled in both;
- ``staff_today``: today in Paris, as the screens see it.
"""

import datetime as dt

import pytest

from tests.fixtures_accounts import login_staff


@pytest.fixture
def staff_today():
    from services.admin_views import today as current_day

    return current_day()


@pytest.fixture
def staff_roles(db, password, make_family):
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import AGENTS, CASHIERS, COMMUNICATION, LEGAL, ensure_groups

    ensure_groups()
    users = {}
    for key, group in (("agent", AGENTS), ("cashier", CASHIERS), ("communication", COMMUNICATION),
                       ("legal", LEGAL)):
        user = User.objects.create_user(email=f"{key}@staff.example.org", password=password, is_staff=True,
                                        first_name=key.title(), last_name="Staff")
        user.groups.add(Group.objects.get(name=group))
        users[key] = User.objects.get(pk=user.pk)
    users["parent"] = make_family("PARENTAL").users[0]
    return users


@pytest.fixture
def staff_as(client, staff_roles):
    def log_in(name):
        user = staff_roles[name]
        if user.is_staff:
            login_staff(client, user)
        else:
            client.force_login(user)
        return client

    return log_in


@pytest.fixture
def staff_service(db):
    from services.models import Service

    return Service.objects.create(code="test-service", name="Service test", shape=Service.Shape.DAILY)


@pytest.fixture
def staff_canteen(staff_service):
    from services.models import Activity, DeadlineRule

    rule = DeadlineRule.objects.create(name="2 jours avant 12h", kind=DeadlineRule.Kind.DAYS_BEFORE, days=2,
                                       time=dt.time(12, 0))
    return Activity.objects.create(
        service=staff_service, name="Cantine des Tilleuls", code="cantine-tilleuls", shape=Activity.Shape.DAILY,
        site="Restaurant des Tilleuls", weekdays=[], runs_in_school_periods=True, runs_in_holidays=True,
        serves_meal=True, booking_rule=rule, start_time=dt.time(11, 45), end_time=dt.time(13, 30))


@pytest.fixture
def staff_session(staff_service):
    from services.models import Activity

    return Activity.objects.create(
        service=staff_service, name="Atelier théâtre", code="atelier-theatre", shape=Activity.Shape.SESSION,
        site="Espace jeunesse", weekdays=[], runs_in_school_periods=True, runs_in_holidays=True, capacity=2)


@pytest.fixture
def staff_pupils(make_family, enrol, staff_canteen, staff_session, staff_today):
    household = make_family("TILLEUL", children=(
        ("Alice", dt.date(2017, 3, 1), "CM1"), ("Basile", dt.date(2018, 4, 2), "CE2"),
        ("Capucine", dt.date(2019, 5, 3), "CE1")))
    for child in household.kids:
        for activity in (staff_canteen, staff_session):
            enrol(child, activity, start=staff_today - dt.timedelta(days=200), end=staff_today + dt.timedelta(days=200))
    return household


def book_now(agent, child, activity, day):
    """Book ``day`` for ``child`` as an agent (deadline overridden: the day may be today)."""
    from django.utils import timezone

    from services.bookings import book

    outcome = book(agent, child, activity, day, now=timezone.now(), override=True)
    assert outcome.ok, outcome.message
    return outcome


def assert_denied(response):
    """The admin's refusal of a screen: Wagtail turns the view's PermissionDenied into a
    redirect to the dashboard with an error message (not the second-factor page: the
    users of these tests have given it)."""
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert response["Location"] == "/admin/", response["Location"]
