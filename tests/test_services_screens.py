"""The parent screens of the services (services.views): the landing screen, the month
calendar with its preview and confirmation, the weekly pattern, the sick child; every
rule checked again on the server when a request is posted directly. Moments are fixed:
Thursday 5 November 2026, 10:00 in Paris unless said otherwise."""

import datetime as dt
import re

import pytest

from accounts.models import AuditEvent
from services.models import Booking, BookingChange, PlaceCounter

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def now(screens_clock, paris):
    moment = paris(2026, 11, 5, 10, 0)
    screens_clock.set(moment)
    return moment


@pytest.fixture
def parent(client, booking_family):
    client.force_login(booking_family.users[0])
    return booking_family


def key(child, activity, day):
    return f"{child.pk}:{activity.pk}:{day.isoformat()}"


def snapshot():
    return (
        list(Booking.objects.order_by("pk").values_list("pk", "status", "day")),
        BookingChange.objects.count(),
        AuditEvent.objects.count(),
        list(PlaceCounter.objects.order_by("pk").values_list("pk", "taken")),
    )


def main(response):
    body = response.content.decode()
    match = re.search(r"<main[^>]*>(.*)</main>", body, re.S)
    return match.group(1) if match else body


def test_the_calendar_shows_each_day_with_its_deadline(client, parent, now, screen, catalogue):
    response = client.get(screen("restauration-scolaire", "calendar"), {"mois": "2026-11"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = main(response)
    child = parent.kids[0]
    canteen = catalogue["cantine-jules-ferry"]
    assert f'value="{key(child, canteen, D(2026, 11, 16))}"' in body
    assert "modifiable jusqu'au lundi 9 novembre 2026 à 23:59" in body
    assert f'value="{key(child, canteen, D(2026, 11, 10))}"' not in body
    assert "le délai est passé depuis le mardi 3 novembre 2026 à 23:59" in body
    assert "Pas d&#x27;activité" in body  # Wednesdays, weekends
