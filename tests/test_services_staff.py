"""The agents' other screens: absence justifications (queue, the certificate through the
documents area's checked file view, accept, refuse with a reason), places per day
(custom capacity for a day or a range, promotion of the waiting list, refusal below the
places taken), the iCalendar import with its preview, the admin home panel and menu,
and who may see what."""

import datetime as dt
from html import unescape

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from services import absences, billable
from services.models import AbsenceJustification, Booking, CalendarPeriod, PlaceCounter, SchoolYear
from tests.fixtures_services_staff import assert_denied, book_now

pytestmark = pytest.mark.django_db


# Absence justifications ---------------------------------------------------------------------

@pytest.fixture
def justification(staff_pupils, staff_canteen, staff_roles, staff_today):
    from documents.models import DocumentFile, DocumentType, SupportingDocument

    child = staff_pupils.kids[0]
    book_now(staff_roles["agent"], child, staff_canteen, staff_today)
    kind, _ = DocumentType.objects.get_or_create(code="certificat-medical", defaults={
        "name": "Certificat médical", "scope": "child"})
    document = SupportingDocument.objects.create(household=staff_pupils, child=child, document_type=kind,
                                                 status="pending")
    DocumentFile.objects.create(document=document, position=0, original_name="certificat.pdf",
                                content_type="application/pdf", size=10, sha256="0" * 64,
                                file="private/certificat.pdf")
    return absences.declare(staff_pupils.users[0], child, staff_today, staff_today, document,
                            now=timezone.now(), comment="Fièvre")


def test_the_queue_and_the_certificate_through_the_documents_area(staff_as, justification):
    client = staff_as("agent")
    html = client.get(reverse("services_absences:index")).content.decode()
    detail = reverse("services_absences:detail", args=[justification.pk])
    assert detail in html and "Alice Tilleul" in html
    html = client.get(detail).content.decode()
    assert "Fièvre" in html and "Cantine des Tilleuls" in html
    file = justification.document.files.get()
    assert reverse("documents_admin:file", args=[justification.document_id, file.pk]) in html
    assert reverse("documents_admin:edit", args=[justification.document_id]) in html
    # The cashier reads the justification, not the medical certificate, and decides nothing.
    html = staff_as("cashier").get(detail).content.decode()
    assert "documents_admin" not in html and reverse("documents_admin:edit", args=[justification.document_id]) \
        not in html
    assert "Accepter le justificatif" not in html


def test_accepting_credits_the_day(staff_as, justification, staff_today, django_capture_on_commit_callbacks):
    client = staff_as("agent")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("services_absences:detail", args=[justification.pk]), {"action": "accept"})
    assert response.status_code == 302
    assert AbsenceJustification.objects.get().status == "accepted"
    facts = [f.status for f in billable.month_facts(staff_today.year, staff_today.month)]
    assert facts == [billable.BOOKED_ABSENT_JUSTIFIED]
    assert "accepté" in mail.outbox[-1].body


def test_a_refusal_needs_its_reason(staff_as, justification, django_capture_on_commit_callbacks):
    client = staff_as("agent")
    url = reverse("services_absences:detail", args=[justification.pk])
    events = AuditEvent.objects.count()
    response = client.post(url, {"action": "refuse", "refuse-reason": ""})
    assert response.status_code == 400
    assert AbsenceJustification.objects.get().status == "pending" and AuditEvent.objects.count() == events
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "refuse", "refuse-reason": "Certificat illisible"})
    refused = AbsenceJustification.objects.get()
    assert refused.status == "refused" and refused.refusal_reason == "Certificat illisible"
    assert "Certificat illisible" in mail.outbox[-1].body
    # Decided once.
    client.post(url, {"action": "accept"})
    assert AbsenceJustification.objects.get().status == "refused"


@pytest.mark.parametrize("role", ["cashier", "communication", "legal"])
def test_only_agents_decide_on_justifications(staff_as, justification, role):
    client = staff_as(role)
    url = reverse("services_absences:detail", args=[justification.pk])
    if role != "cashier":
        assert_denied(client.get(reverse("services_absences:index")))
    assert_denied(client.post(url, {"action": "accept"}))
    assert AbsenceJustification.objects.get().status == "pending"


# Places per day -------------------------------------------------------------------------------

def capacity_post(client, activity, start, end, **data):
    return client.post(reverse("services_capacity:index"), {"activite": activity.pk, "start": start.isoformat(),
                                                            "end": end.isoformat(), "mode": "set", **data})


def test_more_places_for_a_day_promote_the_waiting_list(staff_as, staff_pupils, staff_session, staff_today,
                                                        django_capture_on_commit_callbacks):
    from services.bookings import book

    day = staff_today + dt.timedelta(days=4)
    for child in staff_pupils.kids:
        book(staff_pupils.users[0], child, staff_session, day, now=timezone.now())
    third = Booking.objects.get(status="waiting")
    client = staff_as("agent")
    url = reverse("services_capacity:index") + f"?activite={staff_session.pk}&mois={day:%Y-%m}"
    html = client.get(url).content.decode()
    assert "Places par jour : Atelier théâtre" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = capacity_post(client, staff_session, day, day, capacity="3", label="Sortie patinoire")
    assert response.status_code == 302
    counter = PlaceCounter.objects.get(activity=staff_session, day=day)
    assert (counter.capacity, counter.custom_capacity, counter.taken, counter.label) == (3, True, 3,
                                                                                         "Sortie patinoire")
    third.refresh_from_db()
    assert third.status == "booked"
    assert third.changes.filter(action="promoted").exists()
    told = [m for m in mail.outbox if m.subject.startswith("Une place s'est libérée pour Capucine")]
    assert len(told) == 1 and told[0].to == [staff_pupils.users[0].email]
    # The other days of the activity keep the activity's places.
    assert not PlaceCounter.objects.filter(activity=staff_session, custom_capacity=True).exclude(day=day).exists()


def test_fewer_places_than_taken_is_refused_and_changes_nothing(staff_as, staff_pupils, staff_session, staff_today,
                                                                staff_roles):
    day = staff_today + dt.timedelta(days=2)
    for child in staff_pupils.kids[:2]:
        book_now(staff_roles["agent"], child, staff_session, day)
    client = staff_as("agent")
    response = capacity_post(client, staff_session, day - dt.timedelta(days=1), day + dt.timedelta(days=1),
                             capacity="1")
    assert response.status_code == 400
    assert "Il ne peut pas y avoir moins de places que d'enfants" in unescape(response.content.decode())
    assert not PlaceCounter.objects.filter(custom_capacity=True).exists()
    # A range without the full day is fine, then reset.
    capacity_post(client, staff_session, day + dt.timedelta(days=1), day + dt.timedelta(days=3), capacity="1")
    assert PlaceCounter.objects.filter(custom_capacity=True, capacity=1).count() == 3
    capacity_post(client, staff_session, day + dt.timedelta(days=1), day + dt.timedelta(days=3), mode="reset")
    assert not PlaceCounter.objects.filter(custom_capacity=True).exists()


def test_places_are_changed_only_by_agents(staff_as, staff_session, staff_today):
    client = staff_as("cashier")
    url = reverse("services_capacity:index") + f"?activite={staff_session.pk}"
    html = client.get(url).content.decode()
    assert "Enregistrer les places" not in html
    assert_denied(capacity_post(client, staff_session, staff_today, staff_today, capacity="9"))
    assert not PlaceCounter.objects.exists()
    assert_denied(staff_as("legal").get(url))


def test_the_occupancy_per_day_with_attendance_and_its_exports(staff_as, staff_pupils, staff_session, staff_today,
                                                               staff_roles, client):
    import csv
    import io

    from openpyxl import load_workbook

    from services import attendance
    from services.bookings import book

    agent = staff_roles["agent"]
    alice, basile, capucine = staff_pupils.kids
    for child in (alice, basile):
        book_now(agent, child, staff_session, staff_today)
    assert book(agent, capucine, staff_session, staff_today, now=timezone.now(), override=True).code == "waiting"
    attendance.mark(agent, alice, staff_session, staff_today, "present", now=timezone.now())
    attendance.mark(agent, basile, staff_session, staff_today, "absent", reason="sick", now=timezone.now())
    query = {"activite": staff_session.pk, "mois": f"{staff_today:%Y-%m}"}
    url = reverse("services_capacity:index")
    client = staff_as("agent")
    html = unescape(client.get(url, query).content.decode())
    assert "Présents" in html and "Taux d'occupation (%)" in html and "export=xlsx" in html
    response = client.get(url, {**query, "export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Jour", "Places", "Réservées", "Restantes", "Liste d'attente", "Présents", "Absents",
                       "Taux d'occupation (%)", "Remarque"]
    by_day = {row[0]: row[1:] for row in rows[1:]}
    assert by_day[staff_today.isoformat()] == ["2", "2", "0", "1", "1", "1", "100.0", ""]
    response = client.get(url, {**query, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    today_row = next(row for row in sheet.iter_rows(values_only=True) if row[0] == staff_today.isoformat())
    assert list(today_row[1:8]) == [2, 2, 0, 1, 1, 1, 100]
    events = AuditEvent.objects.filter(action=AuditEvent.Action.STAFF_EXPORT, actor=agent).order_by("id")
    assert [e.after for e in events] == [
        {"activity": staff_session.code, "mois": f"{staff_today:%Y-%m}", "format": fmt} for fmt in ("csv", "xlsx")]
    # Who is not an agent of the services (legal, communication staff; a parent) gets nothing.
    for role in ("legal", "communication"):
        assert_denied(staff_as(role).get(url, {**query, "export": "csv"}))
    parent = staff_pupils.users[0]
    client.logout()
    client.force_login(parent)
    response = client.get(url, {**query, "export": "csv"})
    assert response.status_code in (302, 403) and "text/csv" not in response.get("Content-Type", "")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.STAFF_EXPORT).count() == 2


def test_a_closure_shows_on_the_places_screen(staff_as, staff_session, staff_today):
    CalendarPeriod.objects.create(kind="closure", name="Travaux", start_date=staff_today, end_date=staff_today,
                                  activity=staff_session)
    html = staff_as("agent").get(reverse("services_capacity:index")
                                 + f"?activite={staff_session.pk}&mois={staff_today:%Y-%m}").content.decode()
    assert "Fermé : Travaux" in html


# iCalendar import -----------------------------------------------------------------------------

ICS = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Test//FR\r
BEGIN:VEVENT\r
UID:ferie-2027-05-06@test\r
DTSTART;VALUE=DATE:20270506\r
DTEND;VALUE=DATE:20270507\r
SUMMARY:Ascension\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:ferie-2027-05-17@test\r
DTSTART;VALUE=DATE:20270517\r
DTEND;VALUE=DATE:20270518\r
SUMMARY:Lundi de Pentec\xc3\xb4te\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_importing_public_holidays_with_a_preview(staff_as):
    year = SchoolYear.objects.create(label="2026-2027", start_date=dt.date(2026, 9, 1), end_date=dt.date(2027, 7, 3))
    client = staff_as("agent")
    url = reverse("services_calendar_import:index")
    response = client.post(url, {"action": "preview", "kind": "public_holiday", "school_year": year.pk,
                                 "file": SimpleUploadedFile("feries.ics", ICS, "text/calendar")})
    html = response.content.decode()
    assert response.status_code == 200 and "Lundi de Pentecôte" in html and "à créer" in html
    assert not CalendarPeriod.objects.exists()  # the preview writes nothing
    payload = response.context["payload"]
    response = client.post(url, {"action": "confirm", "payload": payload})
    assert response.status_code == 302
    periods = {p.name: p for p in CalendarPeriod.objects.all()}
    assert set(periods) == {"Ascension", "Lundi de Pentecôte"}
    assert periods["Ascension"].start_date == periods["Ascension"].end_date == dt.date(2027, 5, 6)
    assert periods["Ascension"].school_year == year and periods["Ascension"].kind == "public_holiday"
    # The same file again: nothing to create.
    response = client.post(url, {"action": "preview", "kind": "public_holiday", "school_year": year.pk,
                                 "file": SimpleUploadedFile("feries.ics", ICS, "text/calendar")})
    assert response.context["counts"] == {"created": 0, "updated": 0, "unchanged": 2}


def test_a_tampered_or_unreadable_file_changes_nothing(staff_as):
    client = staff_as("agent")
    url = reverse("services_calendar_import:index")
    response = client.post(url, {"action": "preview", "kind": "public_holiday",
                                 "file": SimpleUploadedFile("feries.ics", b"not a calendar", "text/calendar")})
    assert response.status_code == 400 and "iCalendar" in response.content.decode()
    response = client.post(url, {"action": "confirm", "payload": "forged"}, follow=True)
    assert "L'aperçu a expiré" in unescape(response.content.decode())
    assert not CalendarPeriod.objects.exists()


@pytest.mark.parametrize("role", ["cashier", "communication", "legal"])
def test_only_agents_import(staff_as, role):
    client = staff_as(role)
    url = reverse("services_calendar_import:index")
    assert_denied(client.get(url))
    assert_denied(client.post(url, {"action": "preview", "kind": "public_holiday",
                                    "file": SimpleUploadedFile("feries.ics", ICS, "text/calendar")}))
    assert not CalendarPeriod.objects.exists()


# The admin home and the menu ------------------------------------------------------------------

def test_the_agents_panel_on_the_admin_home(staff_as, staff_pupils, staff_canteen, staff_today, staff_roles):
    for child in staff_pupils.kids[:2]:
        book_now(staff_roles["agent"], child, staff_canteen, staff_today)
    html = staff_as("agent").get(reverse("wagtailadmin_home")).content.decode()
    assert "Suivi des services" in html
    assert "Pointage du jour, enfants à pointer : 2" in html
    assert reverse("services_attendance:list", args=[staff_canteen.pk, staff_today.isoformat()]) in html
    assert "Demandes d'inscription à traiter : 0" in unescape(html)
    assert reverse("services_absences:index") in html


def test_the_panel_is_for_agents_only(staff_as):
    for role in ("cashier", "communication", "legal"):
        html = staff_as(role).get(reverse("wagtailadmin_home")).content.decode()
        assert "Pointage du jour" not in html, role


def test_the_menu_shows_each_screen_to_whom_it_serves(staff_as):
    import json

    def shown(role):
        return staff_as(role).get(reverse("wagtailadmin_home")).content.decode()

    agent, cashier, communication = shown("agent"), shown("cashier"), shown("communication")
    for url in ("services_attendance:index", "services_enrolments:index", "services_absences:index",
                "services_waiting_lists:index", "services_family_booking:index", "services_capacity:index",
                "services_calendar_import:index", "services_bookingchange:index"):
        path = reverse(url)
        assert path in agent or json.dumps(path)[1:-1] in agent, url
        assert path not in communication and json.dumps(path)[1:-1] not in communication, url
    assert reverse("services_attendance:index") in cashier
    assert reverse("services_family_booking:index") not in cashier
    assert reverse("services_calendar_import:index") not in cashier


# The demo -------------------------------------------------------------------------------------

def test_the_demo_has_attendance_to_take_and_requests_to_decide(demo):
    from django.core.management import call_command

    from services.demo_staff import attendance_day
    from services.models import Activity, Attendance, Enrolment
    from services.staff import attendance_to_take

    canteen = Activity.objects.get(code="cantine-jules-ferry")
    assert canteen.serves_meal
    today = timezone.localdate()
    day = attendance_day(canteen, today)
    booked = set(Booking.objects.filter(activity=canteen, day=day, status="booked")
                 .values_list("child__first_name", flat=True))
    assert booked == {"Léa", "Chloé", "Inès"}
    assert not Attendance.objects.filter(activity=canteen, day=day).exists()  # left to take
    if day == today:
        assert any(activity == canteen and expected == 3 for activity, expected, _m in attendance_to_take(today))
    pending = Enrolment.objects.get(status="pending", activity__code="inscription-elementaire")
    assert pending.derogation_reason == "sibling" and pending.requested_school == "École Jules Ferry"
    assert AbsenceJustification.objects.filter(status="pending", child__first_name="Nathan").count() == 1
    counts = (Booking.objects.count(), Attendance.objects.count(), Enrolment.objects.count(),
              AbsenceJustification.objects.count())
    call_command("load_demo", verbosity=0)
    assert counts == (Booking.objects.count(), Attendance.objects.count(), Enrolment.objects.count(),
                      AbsenceJustification.objects.count())
