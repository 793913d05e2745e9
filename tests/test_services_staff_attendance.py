"""Attendance (pointage) in the admin: the day's list, marks through the screen (present,
absent with a reason, present without booking, undo) and their effect on what billing
reads, the printable list, the meal counts, the rights of each role, and a list whose
number of queries does not grow with the number of children."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEvent, Child
from services import billable
from services.models import Attendance, Booking
from tests.fixtures_services_staff import assert_denied, book_now

pytestmark = pytest.mark.django_db


def list_url(activity, day):
    return reverse("services_attendance:list", args=[activity.pk, day.isoformat()])


@pytest.fixture
def booked(staff_pupils, staff_canteen, staff_roles, staff_today):
    """Alice and Basile booked today; Capucine enrolled but not booked."""
    alice, basile, capucine = staff_pupils.kids
    for child in (alice, basile):
        book_now(staff_roles["agent"], child, staff_canteen, staff_today)
    return alice, basile, capucine


def test_the_list_shows_who_is_expected_with_what_the_agent_must_know(staff_as, booked, staff_canteen, staff_today):
    alice, basile, capucine = booked
    Child.objects.filter(pk=alice.pk).update(allergies="Arachide", has_medical_plan=True, diet="vegetarian")
    alice.authorised_persons.create(first_name="Monique", last_name="Tilleul", relationship="grand-mère",
                                    phone="06 00 00 00 01", valid_from=staff_today - dt.timedelta(days=30))
    alice.authorised_persons.create(first_name="Ancien", last_name="Voisin", valid_from=dt.date(2020, 1, 1),
                                    valid_until=staff_today - dt.timedelta(days=1))
    response = staff_as("agent").get(list_url(staff_canteen, staff_today))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alice Tilleul" in html and "Basile Tilleul" in html and "Capucine" not in html
    assert "PAI (projet d'accueil individualisé)" in html and "Allergies : Arachide" in html
    assert "Régime : Végétarien" in html
    assert "Monique Tilleul (grand-mère)" in html and "Ancien" not in html  # only persons valid that day
    assert "2 attendus — 0 présents, 0 absents, 0 sans réservation, 2 à pointer" in html
    assert 'name="viewport" content="width=device-width' in html
    assert 'id="wagtail-sidebar"' not in html  # a page of its own, made for a phone
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def post_mark(client, activity, day, child, action, reason=""):
    return client.post(list_url(activity, day), {"child": child.pk, "action": action, "reason": reason})


def test_marks_through_the_screen_and_what_billing_reads(staff_as, booked, staff_canteen, staff_today, staff_roles):
    alice, basile, capucine = booked
    client = staff_as("agent")
    response = post_mark(client, staff_canteen, staff_today, alice, "present")
    assert response.status_code == 302 and response["Location"].endswith(f"#enfant-{alice.pk}")
    post_mark(client, staff_canteen, staff_today, basile, "absent", "sick")
    post_mark(client, staff_canteen, staff_today, capucine, "present")  # not booked: present without booking

    marks = {a.child_id: a for a in Attendance.objects.all()}
    assert marks[alice.pk].status == "present" and marks[alice.pk].recorded_by == staff_roles["agent"]
    assert (marks[basile.pk].status, marks[basile.pk].absence_reason) == ("absent", "sick")
    assert marks[capucine.pk].status == "present"
    html = client.get(list_url(staff_canteen, staff_today)).content.decode()
    assert "Présent sans réservation" in html and "Absent (maladie)" in html
    assert "2 attendus — 1 présents, 1 absents, 1 sans réservation, 0 à pointer" in html
    facts = {f.child_id: f.status for f in billable.month_facts(staff_today.year, staff_today.month)
             if f.day == staff_today}
    assert facts == {alice.pk: billable.BOOKED_PRESENT, basile.pk: billable.BOOKED_ABSENT,
                     capucine.pk: billable.PRESENT_UNBOOKED}
    assert AuditEvent.objects.filter(action="attendance").count() == 3

    # Undo: Alice's mark is removed (traced); billing reads a booked day without a mark.
    post_mark(client, staff_canteen, staff_today, alice, "unmark")
    assert not Attendance.objects.filter(child=alice).exists()
    facts = {f.child_id: f.status for f in billable.month_facts(staff_today.year, staff_today.month)
             if f.day == staff_today}
    assert facts[alice.pk] == billable.BOOKED_NOT_RECORDED
    assert AuditEvent.objects.filter(action="attendance", summary__startswith="Pointage effacé").count() == 1

    # A correction: absent Basile was there after all.
    post_mark(client, staff_canteen, staff_today, basile, "present")
    assert Attendance.objects.get(child=basile).status == "present"


def test_absent_without_a_chosen_reason_is_recorded_as_without_news(staff_as, booked, staff_canteen, staff_today):
    alice = booked[0]
    post_mark(staff_as("agent"), staff_canteen, staff_today, alice, "absent")
    assert Attendance.objects.get(child=alice).absence_reason == "unknown"


def test_a_future_day_cannot_be_marked(staff_as, booked, staff_canteen, staff_today):
    alice = booked[0]
    tomorrow = staff_today + dt.timedelta(days=1)
    bookings = Booking.objects.filter(child=alice).count()
    client = staff_as("agent")
    html = client.get(list_url(staff_canteen, tomorrow)).content.decode()
    assert "le pointage sera possible le jour même" in html and 'value="present"' not in html
    response = post_mark(client, staff_canteen, tomorrow, alice, "present")
    assert response.status_code == 302
    assert not Attendance.objects.exists() and Booking.objects.filter(child=alice).count() == bookings
    assert "On ne pointe pas un jour à venir." in client.get(list_url(staff_canteen, tomorrow)).content.decode()


def test_an_unknown_action_or_child_changes_nothing(staff_as, booked, staff_canteen, staff_today):
    client = staff_as("agent")
    assert client.post(list_url(staff_canteen, staff_today), {"child": booked[0].pk, "action": "teleport"}).status_code == 302
    response = client.post(list_url(staff_canteen, staff_today), {"child": 999999, "action": "present"})
    assert response.status_code in (302, 404) and "#enfant" not in response.get("Location", "")
    assert not Attendance.objects.exists()


def test_finding_a_child_present_without_booking(staff_as, booked, staff_canteen, staff_today):
    capucine = booked[2]
    client = staff_as("agent")
    html = client.get(list_url(staff_canteen, staff_today) + "?ajouter=capu").content.decode()
    assert "Présent sans réservation : Capucine Tilleul" in html and "inscrit à l'activité" in html
    response = client.post(list_url(staff_canteen, staff_today), {"child": capucine.pk, "action": "present",
                                                                  "retour": "ajouter=capu"})
    assert response["Location"].endswith(f"?ajouter=capu#enfant-{capucine.pk}")
    assert Attendance.objects.get(child=capucine).status == "present"


def test_the_printable_list(staff_as, booked, staff_canteen, staff_today):
    Child.objects.filter(pk=booked[0].pk).update(has_medical_plan=True, allergies="Kiwi")
    client = staff_as("agent")
    post_mark(client, staff_canteen, staff_today, booked[1], "absent", "family")
    response = client.get(reverse("services_attendance:print", args=[staff_canteen.pk, staff_today.isoformat()]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Liste de pointage : Cantine des Tilleuls" in html
    assert "Tilleul Alice" in html and "Allergies : Kiwi" in html and "<strong>PAI</strong>" in html
    assert 'href="/static/services/admin/attendance_print.css"' in html or "attendance_print" in html
    assert "<form" not in html  # paper only: nothing to click


def test_the_attendance_index_lists_the_days_activities(staff_as, booked, staff_canteen, staff_session, staff_today):
    html = staff_as("agent").get(reverse("services_attendance:index")).content.decode()
    assert "Pointer : Cantine des Tilleuls" in html
    assert list_url(staff_canteen, staff_today) in html


def test_the_list_does_not_grow_in_queries_with_the_children(staff_as, make_family, enrol, staff_canteen,
                                                              staff_roles, staff_today):
    client = staff_as("agent")

    def add_children(name, count):
        household = make_family(name, children=[(f"Enfant{i}", dt.date(2018, 1, 1 + i), "CE2")
                                                for i in range(count)])
        for child in household.kids:
            enrol(child, staff_canteen, start=staff_today - dt.timedelta(days=5),
                  end=staff_today + dt.timedelta(days=5))
            book_now(staff_roles["agent"], child, staff_canteen, staff_today)
            child.authorised_persons.create(first_name="Tata", last_name=name, valid_from=dt.date(2020, 1, 1))
            Attendance.objects.create(child=child, household=household, activity=staff_canteen, day=staff_today,
                                      status="present", recorded_at=dt.datetime.now(dt.timezone.utc))

    url = list_url(staff_canteen, staff_today)
    add_children("PEU", 2)
    client.get(url)  # warm caches (content types, permissions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_children("BEAUCOUP", 15)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count('class="att-row ') == 17
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# Meal counts ------------------------------------------------------------------------------

def test_meal_counts_per_restaurant_for_a_day_and_its_week(staff_as, make_family, enrol, staff_canteen,
                                                           staff_service, staff_roles, staff_today):
    from services.models import Activity

    other = Activity.objects.create(service=staff_service, name="Cantine du Parc", code="cantine-parc",
                                    shape=Activity.Shape.DAILY, site="Restaurant du Parc", weekdays=[],
                                    runs_in_holidays=True, serves_meal=True)
    care = Activity.objects.create(service=staff_service, name="Garderie", code="garderie", shape="half_day",
                                   weekdays=[], runs_in_holidays=True)  # no meal: not counted
    household = make_family("REPAS", children=[
        ("Ana", dt.date(2018, 1, 1), "CE2"), ("Bao", dt.date(2018, 2, 1), "CE2"), ("Cyd", dt.date(2018, 3, 1), "CE2"),
        ("Dan", dt.date(2018, 4, 1), "CE2")])
    ana, bao, cyd, dan = household.kids
    Child.objects.filter(pk=bao.pk).update(diet="vegetarian")
    Child.objects.filter(pk=cyd.pk).update(diet="without_pork", has_medical_plan=True)
    monday = staff_today - dt.timedelta(days=staff_today.weekday())
    for child in household.kids:
        for activity in (staff_canteen, other, care):
            enrol(child, activity, start=monday - dt.timedelta(days=7), end=monday + dt.timedelta(days=14))
    agent = staff_roles["agent"]
    for child in (ana, bao, cyd):
        book_now(agent, child, staff_canteen, staff_today)
    book_now(agent, dan, other, staff_today)
    book_now(agent, dan, care, staff_today)
    other_day = monday if staff_today != monday else monday + dt.timedelta(days=1)
    book_now(agent, ana, staff_canteen, other_day)
    # A waiting-list or cancelled day is no meal.
    Booking.objects.create(household=household, child=dan, activity=staff_canteen, day=staff_today,
                           status="cancelled", changed_at=dt.datetime.now(dt.timezone.utc))
    client = staff_as("agent")
    post_mark(client, staff_canteen, staff_today, ana, "present")

    from services.attendance import meal_counts

    rows = {row["site"]: row for row in meal_counts(staff_today)}
    assert set(rows) == {"Restaurant des Tilleuls", "Restaurant du Parc"}
    tilleuls = rows["Restaurant des Tilleuls"]
    assert tilleuls["booked"] == 3 and tilleuls["medical_plans"] == 1 and tilleuls["present"] == 1
    assert {str(label): n for label, n in tilleuls["diets"]} == {"Standard": 1, "Végétarien": 1, "Sans porc": 1,
                                                                 "Régime médical": 0}
    assert rows["Restaurant du Parc"]["booked"] == 1 and rows["Restaurant du Parc"]["present"] is None

    html = client.get(reverse("services_attendance:meals") + f"?jour={staff_today.isoformat()}").content.decode()
    assert "Restaurant des Tilleuls" in html and "Restaurant du Parc" in html and "Garderie" not in html
    week = client.get(reverse("services_attendance:meals")
                      + f"?jour={staff_today.isoformat()}&vue=semaine")
    assert week.status_code == 200
    sites = {row["site"]: row for row in week.context["sites"]}
    day_index = staff_today.weekday()
    assert sites["Restaurant des Tilleuls"]["counts"][day_index] == 3
    assert sites["Restaurant des Tilleuls"]["counts"][other_day.weekday()] == (1 if other_day != staff_today else 3)
    assert sites["Restaurant des Tilleuls"]["total"] == 4
    assert week.context["totals"][day_index] == 4


# Rights ---------------------------------------------------------------------------------

@pytest.mark.parametrize("role, allowed", [("agent", True), ("cashier", True), ("communication", False),
                                           ("legal", False)])
def test_who_may_see_the_attendance(staff_as, booked, staff_canteen, staff_today, role, allowed):
    client = staff_as(role)
    for url in (reverse("services_attendance:index"), list_url(staff_canteen, staff_today),
                reverse("services_attendance:print", args=[staff_canteen.pk, staff_today.isoformat()]),
                reverse("services_attendance:meals")):
        response = client.get(url)
        if allowed:
            assert response.status_code == 200, (role, url)
        else:
            assert_denied(response)


@pytest.mark.parametrize("role", ["cashier", "communication", "legal"])
def test_only_agents_mark(staff_as, booked, staff_canteen, staff_today, role):
    client = staff_as(role)
    if role == "cashier":
        html = client.get(list_url(staff_canteen, staff_today)).content.decode()
        assert 'value="present"' not in html  # read-only: no buttons
    assert_denied(post_mark(client, staff_canteen, staff_today, booked[0], "present"))
    assert not Attendance.objects.exists() and not AuditEvent.objects.filter(action="attendance").exists()


def test_parents_never_reach_the_attendance(staff_as, booked, staff_canteen, staff_today):
    client = staff_as("parent")
    response = client.get(list_url(staff_canteen, staff_today))
    assert response.status_code == 302 and "/admin/" not in response["Location"].split("?")[0]
    assert post_mark(client, staff_canteen, staff_today, booked[0], "present").status_code == 302
    assert not Attendance.objects.exists()
