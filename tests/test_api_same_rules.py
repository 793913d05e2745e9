"""A booking made through the API and one made through the domain function the site's
booking screens call (``services.bookings.apply_changes``: the month calendar of the
parent's screens calls it) obey the same deadline, the same capacity (the last place is
taken once) and the same regulation gate. Nothing here is re-implemented by the API: both
paths end in the same function. The last tests post the same refused requests to the web
screens themselves (services.views) and to the API: same refusal codes, nothing written."""

import datetime as dt

import pytest

from services.bookings import BOOK, Change, apply_changes
from services.models import Booking, PlaceCounter

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def two_families(make_family, catalogue, enrol, token_for, api_client):
    """Two households whose child is enrolled in the Wednesday morning leisure centre and
    the canteen: one books on the site (apply_changes), the other through the API."""
    families = []
    for name in ("WEB", "MOBILE"):
        household = make_family(name, children=((f"Enfant {name.lower()}", D(2018, 5, 4), "CE2"),))
        for code in ("cantine-jules-ferry", "centre-mercredi-matin"):
            enrol(household.kids[0], catalogue[code])
        household.client = api_client(token_for(household.users[0]))
        families.append(household)
    return families


def web_book(household, activity, day, now):
    """What the site's booking screen does: apply_changes with the ticked day."""
    result = apply_changes(household.users[0], [Change(household.kids[0], activity, day, BOOK)], now=now,
                           waiting_list=False)
    return result.outcomes[0]


def api_book(household, activity, day, **extra):
    return household.client.post("/api/v1/bookings", {"child_id": household.kids[0].pk, "activity_id": activity.pk,
                                                      "day": day.isoformat(), **extra},
                                 content_type="application/json")


@pytest.mark.parametrize("moment, allowed", [
    ((2026, 11, 9, 23, 59), True),   # the last minute before the canteen's deadline for Monday 16
    ((2026, 11, 10, 0, 0), False),   # one minute later
])
def test_the_same_deadline(two_families, catalogue, api_clock, paris, moment, allowed):
    web, mobile = two_families
    canteen = catalogue["cantine-jules-ferry"]
    now = paris(*moment)
    api_clock.set(now)
    outcome = web_book(web, canteen, D(2026, 11, 16), now)
    response = api_book(mobile, canteen, D(2026, 11, 16))
    assert outcome.ok is allowed
    assert (response.status_code == 201) is allowed
    if not allowed:
        assert outcome.code == response.json()["code"] == "deadline_passed"
        assert outcome.deadline.isoformat() == response.json()["deadline"] == "2026-11-09T23:59:00+01:00"


@pytest.mark.parametrize("first", ["web", "api"])
def test_the_last_place_is_taken_once_whichever_way_comes_first(two_families, catalogue, api_clock, paris, first):
    web, mobile = two_families
    leisure = catalogue["centre-mercredi-matin"]
    day = D(2026, 11, 18)
    now = paris(2026, 11, 5, 10, 0)
    api_clock.set(now)
    PlaceCounter.objects.create(activity=leisure, day=day, capacity=20, taken=19)  # one place left
    if first == "web":
        assert web_book(web, leisure, day, now).code == "booked"
        response = api_book(mobile, leisure, day, waiting_list=False)
        assert response.status_code == 409 and response.json()["code"] == "full"
        # With the waiting list (the API's default), the family waits in line.
        response = api_book(mobile, leisure, day)
        assert response.status_code == 201 and response.json()["outcome"]["code"] == "waiting"
    else:
        response = api_book(mobile, leisure, day, waiting_list=False)
        assert response.status_code == 201 and response.json()["outcome"]["code"] == "booked"
        assert web_book(web, leisure, day, now).code == "full"
    assert Booking.objects.filter(activity=leisure, day=day, status="booked").count() == 1
    assert PlaceCounter.objects.get(activity=leisure, day=day).taken == 20


def test_a_place_freed_through_the_api_goes_to_the_web_waiting_list(two_families, catalogue, api_clock, paris):
    web, mobile = two_families
    leisure = catalogue["centre-mercredi-matin"]
    day = D(2026, 11, 18)
    now = paris(2026, 11, 5, 10, 0)
    api_clock.set(now)
    PlaceCounter.objects.create(activity=leisure, day=day, capacity=20, taken=19)
    booking_id = api_book(mobile, leisure, day).json()["booking"]["id"]
    waiting = apply_changes(web.users[0], [Change(web.kids[0], leisure, day, BOOK)], now=now).outcomes[0]
    assert waiting.code == "waiting"
    response = mobile.client.post(f"/api/v1/bookings/{booking_id}/cancel", {}, content_type="application/json")
    assert response.status_code == 200
    assert Booking.objects.get(child=web.kids[0], day=day).status == "booked"


def test_the_same_regulation_gate(new_regulation_version, api_clock, paris, token_for, api_client):
    """The demo commune publishes version 2 of its regulation: the demo parents, who
    accepted version 1, can book neither on the site nor through the API until they
    accept it; reading goes on."""
    from accounts.models import User
    from home.acceptance import accept_current
    from services.models import Activity, Enrolment

    new_regulation_version()
    marie = User.objects.get(email="marie.martin@example.org")
    from accounts.households import children_visible_to

    child = children_visible_to(marie).order_by("birth_date", "pk").first()
    canteen = Activity.objects.get(code="cantine-jules-ferry")
    Enrolment.objects.get_or_create(child=child, activity=canteen, start_date=D(2026, 9, 1), defaults={
        "household": child.household, "end_date": D(2027, 8, 31), "status": "active",
        "requested_at": paris(2026, 8, 20)})
    now = paris(2026, 11, 5, 10, 0)
    api_clock.set(now)
    day = D(2026, 11, 16)
    Booking.objects.filter(child=child, activity=canteen, day=day).delete()
    client = api_client(token_for(marie))
    assert client.get("/api/v1/me").json()["regulation"] == {"accepted": False, "version": 2}
    outcome = apply_changes(marie, [Change(child, canteen, day, BOOK)], now=now).outcomes[0]
    response = client.post("/api/v1/bookings", {"child_id": child.pk, "activity_id": canteen.pk,
                                                "day": day.isoformat()}, content_type="application/json")
    assert outcome.code == response.json()["code"] == "regulation_not_accepted"
    assert response.status_code == 403 and "règlement" in response.json()["message"]
    assert client.get("/api/v1/children").status_code == 200
    assert not Booking.objects.filter(child=child, activity=canteen, day=day).exists()
    accept_current(marie)
    response = client.post("/api/v1/bookings", {"child_id": child.pk, "activity_id": canteen.pk,
                                                "day": day.isoformat()}, content_type="application/json")
    assert response.status_code == 201, response.content


# The same refused requests, posted to the web screens and to the API ----------------------

def web_post(household, screen, page, activity, day, **extra):
    """What the month calendar's confirmation posts, for the household's child."""
    from django.test import Client

    client = Client()
    client.force_login(household.users[0])
    key = f"{household.kids[0].pk}:{activity.pk}:{day.isoformat()}"
    return client.post(screen(page, "calendar"), {"etape": "confirmer", "mois": f"{day:%Y-%m}", "reserver": [key],
                                                  **extra})


def web_codes(response):
    return [group["code"] for group in response.context["refusal_groups"]]


def counts():
    from accounts.models import AuditEvent
    from services.models import BookingChange

    return (Booking.objects.count(), BookingChange.objects.count(),
            AuditEvent.objects.filter(action__in=["booking", "cancellation", "waiting_list", "staff_override"]).count())


@pytest.mark.parametrize("case", ["deadline", "full", "not_enrolled"])
def test_the_web_screens_and_the_api_refuse_with_the_same_code(two_families, catalogue, api_clock, screens_clock,
                                                              paris, screen, case):
    web, mobile = two_families
    now = paris(2026, 11, 5, 10, 0)
    api_clock.set(now)
    screens_clock.set(now)
    page, extra, api_extra = "restauration-scolaire", {}, {}
    activity, day = catalogue["cantine-jules-ferry"], D(2026, 11, 20)
    if case == "deadline":
        day = D(2026, 11, 10)
    elif case == "full":
        page, activity, day = "centre-de-loisirs", catalogue["centre-mercredi-matin"], D(2026, 11, 18)
        PlaceCounter.objects.create(activity=activity, day=day, capacity=20, taken=20)
        extra, api_extra = {"sans_attente": "1"}, {"waiting_list": False}
    else:
        activity = catalogue["cantine-louise-michel"]
    before = counts()
    response = web_post(web, screen, page, activity, day, **extra)
    api_response = api_book(mobile, activity, day, **api_extra)
    assert response.status_code == 200 and api_response.status_code in (403, 409, 422)
    assert web_codes(response) == [api_response.json()["code"]]
    assert web_codes(response) == [{"deadline": "deadline_passed", "full": "full",
                                    "not_enrolled": "not_enrolled"}[case]]
    assert counts() == before


def test_another_households_child_is_a_404_on_the_web_and_in_the_api(two_families, catalogue, api_clock,
                                                                     screens_clock, paris, screen):
    from django.test import Client

    web, mobile = two_families
    now = paris(2026, 11, 5, 10, 0)
    api_clock.set(now)
    screens_clock.set(now)
    canteen, day = catalogue["cantine-jules-ferry"], D(2026, 11, 20)
    before = counts()
    client = Client()
    client.force_login(web.users[0])
    response = client.post(screen("restauration-scolaire", "calendar"), {
        "etape": "confirmer", "reserver": [f"{mobile.kids[0].pk}:{canteen.pk}:{day.isoformat()}"]})
    api_response = web.client.post("/api/v1/bookings", {"child_id": mobile.kids[0].pk, "activity_id": canteen.pk,
                                                           "day": day.isoformat()}, content_type="application/json")
    assert response.status_code == 404 and api_response.status_code == 404
    assert counts() == before
