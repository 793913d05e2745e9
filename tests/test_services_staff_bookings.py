"""Bookings for a family in the admin (paper households, corrections): household → child
→ activity → month, a preview that writes nothing, then the confirmation through
``services.bookings``; the deadline holds unless the agent overrides it, and the
override is traced (audit, booking history) as the agent acting for the family."""

import datetime as dt
from html import unescape

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, Household
from services.models import Booking, BookingChange
from tests.fixtures_services_staff import assert_denied, book_now

pytestmark = pytest.mark.django_db


def month_url(child, activity, day):
    return reverse("services_family_booking:month", args=[child.pk, activity.pk]) + f"?mois={day:%Y-%m}"


def form(day, *days, **options):
    data = {"mois": f"{day:%Y-%m}", "jours": [d.isoformat() for d in days], "action": "preview",
            "waiting_list": "on"}
    data.update(options)
    return data


def test_finding_the_household_and_its_children(staff_as, staff_pupils, staff_canteen, make_family):
    make_family("PAPIER", paper_only=True, guardians=[("", "all")])
    client = staff_as("agent")
    html = client.get(reverse("services_family_booking:index"), {"q": "capucine"}).content.decode()
    household_url = reverse("services_family_booking:household", args=[staff_pupils.pk])
    assert household_url in html and "TILLEUL" in html
    assert "PAPIER" in html  # the paper households are listed for the desk
    html = client.get(household_url).content.decode()
    assert "Réserver : Cantine des Tilleuls" in html
    assert reverse("services_family_booking:month", args=[staff_pupils.kids[0].pk, staff_canteen.pk]) in html


def test_the_deadline_holds_without_the_override(staff_as, staff_pupils, staff_canteen, staff_today):
    child = staff_pupils.kids[0]
    url = month_url(child, staff_canteen, staff_today)
    client = staff_as("agent")
    html = client.get(url).content.decode()
    assert f'value="{staff_today.isoformat()}"' in html and "délai passé" in html
    # Today's deadline (two days before, 12:00) has passed: refused in the preview and on confirmation.
    response = client.post(url, form(staff_today, staff_today))
    assert response.status_code == 200
    assert "Le délai de réservation est dépassé" in response.content.decode()
    client.post(url, form(staff_today, staff_today, action="confirm"))
    assert not Booking.objects.exists() and not BookingChange.objects.exists()


def test_preview_then_confirm_with_the_override_traced(staff_as, staff_pupils, staff_canteen, staff_today,
                                                       staff_roles, django_capture_on_commit_callbacks):
    from django.core import mail

    child = staff_pupils.kids[0]
    far = staff_today + dt.timedelta(days=10)
    if far.month != staff_today.month:
        far = staff_today  # the month grid holds one month; today alone is enough then
    url = month_url(child, staff_canteen, staff_today)
    client = staff_as("agent")
    days = sorted({staff_today, far})
    response = client.post(url, form(staff_today, *days, override="on"))
    html = response.content.decode()
    assert "rien n'est encore enregistré" in unescape(html)
    assert "hors délai (dérogation)" in html and "Dérogation au délai demandée" in html
    assert not Booking.objects.exists()  # the preview writes nothing

    confirm = form(staff_today, *days, override="on", action="confirm")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, confirm)
    assert response.status_code == 302
    booking = Booking.objects.get(child=child, day=staff_today)
    assert booking.status == "booked" and booking.booked_late and booking.changed_by_agent
    assert booking.booked_by is None and booking.changed_by == staff_roles["agent"]
    change = BookingChange.objects.get(booking=booking)
    assert change.override and change.acting_for_family and change.actor == staff_roles["agent"]
    override = AuditEvent.objects.get(action="staff_override")
    assert override.acting_for_family and override.actor == staff_roles["agent"]
    assert override.household_id == staff_pupils.pk
    assert AuditEvent.objects.filter(action="booking", acting_for_family=True).exists()
    assert mail.outbox and mail.outbox[-1].to == [staff_pupils.users[0].email]  # the family is told

    # Visible in the child's history on the month screen and in the booking history.
    html = client.get(url).content.decode()
    assert "oui, hors délai" in html and "agent pour la famille" in html
    history = client.get(reverse("services_bookingchange:index"), {"override": "true"})
    assert history.status_code == 200 and "Alice Tilleul" in history.content.decode()


def test_unticking_a_day_cancels_it_and_a_late_cancellation_stays_charged_unless_waived(
        staff_as, staff_pupils, staff_canteen, staff_today, staff_roles):
    from services import billable

    alice, basile = staff_pupils.kids[:2]
    for child in (alice, basile):
        book_now(staff_roles["agent"], child, staff_canteen, staff_today)
    client = staff_as("agent")
    # Nothing ticked: today's booking is to cancel.
    client.post(month_url(alice, staff_canteen, staff_today),
                form(staff_today, override="on", action="confirm"))
    client.post(month_url(basile, staff_canteen, staff_today),
                form(staff_today, override="on", waive_charge="on", action="confirm"))
    alice_booking = Booking.objects.get(child=alice, day=staff_today)
    basile_booking = Booking.objects.get(child=basile, day=staff_today)
    assert alice_booking.status == basile_booking.status == "cancelled"
    facts = {f.child_id: f.status for f in billable.month_facts(staff_today.year, staff_today.month)}
    assert facts[alice.pk] == billable.CANCELLED_LATE and facts[basile.pk] == billable.CANCELLED_IN_TIME


def test_a_full_day_goes_to_the_waiting_list_when_asked(staff_as, staff_pupils, staff_session, staff_today,
                                                       staff_roles):
    day = staff_today + dt.timedelta(days=3)
    if day.month != staff_today.month:
        day = staff_today
    for child in staff_pupils.kids[:2]:
        book_now(staff_roles["agent"], child, staff_session, day)
    third = staff_pupils.kids[2]
    client = staff_as("agent")
    url = month_url(third, staff_session, day)
    data = form(day, day, override="on", action="confirm")
    del data["waiting_list"]
    client.post(url, data)
    assert not Booking.objects.filter(child=third).exists()  # full, and no waiting list wanted
    client.post(url, form(day, day, override="on", action="confirm"))
    assert Booking.objects.get(child=third).status == "waiting"


def test_no_change_is_said_and_writes_nothing(staff_as, staff_pupils, staff_canteen, staff_today):
    child = staff_pupils.kids[0]
    response = staff_as("agent").post(month_url(child, staff_canteen, staff_today), form(staff_today), follow=True)
    assert "Aucun changement" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_child_without_enrolment_is_refused(staff_as, make_family, staff_canteen, staff_today):
    household = make_family("SANS", paper_only=True, guardians=[("", "all")])
    child = household.kids[0]
    client = staff_as("agent")
    url = month_url(child, staff_canteen, staff_today)
    assert "pas d'inscription active" in unescape(client.get(url).content.decode())
    client.post(url, form(staff_today, staff_today, override="on", action="confirm"))
    assert not Booking.objects.exists()


def test_a_paper_household_is_booked_by_the_agent(staff_as, make_family, enrol, staff_canteen, staff_today,
                                                  staff_roles):
    household = make_family("PAPIER", paper_only=True, guardians=[("", "all")])
    child = household.kids[0]
    enrol(child, staff_canteen, start=staff_today - dt.timedelta(days=5), end=staff_today + dt.timedelta(days=60))
    assert Household.objects.get(pk=household.pk).paper_only
    day = staff_today + dt.timedelta(days=5)
    client = staff_as("agent")
    html = client.get(month_url(child, staff_canteen, day)).content.decode()
    assert "Démarches papier" in html
    client.post(month_url(child, staff_canteen, day), form(day, day, action="confirm"))
    booking = Booking.objects.get(child=child)
    assert booking.status == "booked" and not booking.booked_late
    assert not BookingChange.objects.get(booking=booking).override


@pytest.mark.parametrize("role", ["cashier", "communication", "legal"])
def test_only_agents_book_for_a_family(staff_as, staff_pupils, staff_canteen, staff_today, role):
    child = staff_pupils.kids[0]
    client = staff_as(role)
    assert_denied(client.get(reverse("services_family_booking:index")))
    assert_denied(client.get(reverse("services_family_booking:household", args=[staff_pupils.pk])))
    assert_denied(client.post(month_url(child, staff_canteen, staff_today),
                              form(staff_today, staff_today, override="on", action="confirm")))
    assert not Booking.objects.exists()


def test_parents_cannot_use_the_agents_override(staff_as, staff_pupils, staff_canteen, staff_today):
    child = staff_pupils.kids[0]
    client = staff_as("parent")
    response = client.post(month_url(child, staff_canteen, staff_today),
                           form(staff_today, staff_today, override="on", action="confirm"))
    assert response.status_code == 302 and "connexion" in response["Location"]
    assert not Booking.objects.exists()


def test_the_booking_history_is_read_only_and_its_export_traced(staff_as, staff_pupils, staff_canteen, staff_today,
                                                                staff_roles):
    book_now(staff_roles["agent"], staff_pupils.kids[0], staff_canteen, staff_today)
    client = staff_as("cashier")
    response = client.get(reverse("services_bookingchange:index"))
    assert response.status_code == 200 and "Alice Tilleul" in response.content.decode()
    export = client.get(reverse("services_bookingchange:index"), {"export": "csv"})
    assert export.status_code == 200 and b"Alice Tilleul" in b"".join(export.streaming_content)
    assert AuditEvent.objects.filter(action="staff_export", actor=staff_roles["cashier"]).exists()
    assert_denied(staff_as("communication").get(reverse("services_bookingchange:index")))
