"""Shared pytest fixtures of the services area (registered in conftest.py).

- ``catalogue``: the demo commune's services, rules, calendar and activities
  (``services.demo.load()``, no pages, no families), as ``{code: Activity}``.
- ``make_family(name, children=[...], guardians=[...], paper_only=False)``: a household
  with its guardians (logins or not) and their rights per child.
- ``agent``: a member of the Agents group.
- ``paris(y, m, d, h=12, mi=0)``: an aware Europe/Paris moment.
- ``enrol(child, code_or_activity)``: an active enrolment for the school year.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

PARIS = ZoneInfo("Europe/Paris")


def paris_moment(year, month, day, hour=12, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def paris():
    return paris_moment


@pytest.fixture
def catalogue(db):
    from services import demo
    from services.models import Activity

    demo.load()
    return {activity.code: activity for activity in Activity.objects.select_related("service")}


@pytest.fixture
def make_family(db, password):
    from accounts.models import Child, Guardian, GuardianChildRight, Household, User

    counter = {"n": 0}

    def make(name="DUPONT", *, children=(("Emma", dt.date(2018, 5, 4), "CE2"),), guardians=None,
             paper_only=False, resident=True):
        counter["n"] += 1
        household = Household.objects.create(name=name, paper_only=paper_only, is_resident=resident,
                                             email=f"{name.lower()}-{counter['n']}@example.org")
        kids = []
        for first_name, birth_date, level in children:
            kids.append(Child.objects.create(household=household, first_name=first_name, last_name=name.title(),
                                             birth_date=birth_date, class_level=level))
        if guardians is None:
            guardians = [(f"{name.lower()}.{counter['n']}@example.org", "all")]
        users = []
        for email, rights in guardians:
            user = None
            if email:
                user = User.objects.create_user(email=email, password=password, first_name="Parent",
                                                last_name=name.title())
                users.append(user)
            guardian = Guardian.objects.create(household=household, user=user, first_name="Parent",
                                               last_name=name.title(), email=email or "")
            for kid in kids:
                if rights == "all":
                    flags = {"can_view": True, "can_book": True, "can_pay": True}
                elif rights == "view":
                    flags = {"can_view": True, "can_book": False, "can_pay": False}
                elif isinstance(rights, dict):
                    flags = rights.get(kid.first_name)
                    if flags is None:
                        continue
                else:
                    continue
                GuardianChildRight.objects.create(guardian=guardian, child=kid, **flags)
        household.kids = kids
        household.users = users
        return household

    return make


@pytest.fixture
def agent(db, password):
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import AGENTS, ensure_groups

    ensure_groups()
    user = User.objects.create_user(email="agent.services@example.org", password=password, is_staff=True,
                                    first_name="Nadia", last_name="Agent")
    user.groups.add(Group.objects.get(name=AGENTS))
    return User.objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def enrol(db):
    from services.models import Activity, Enrolment

    def make(child, activity, *, start=dt.date(2026, 9, 1), end=dt.date(2027, 8, 31), status="active"):
        if not isinstance(activity, Activity):
            activity = Activity.objects.get(code=activity)
        return Enrolment.objects.create(
            household=child.household, child=child, activity=activity, start_date=start, end_date=end,
            status=status, requested_at=paris_moment(2026, 8, 20),
        )

    return make
