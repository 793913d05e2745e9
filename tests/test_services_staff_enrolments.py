"""Enrolment requests in the admin: the queue (oldest first, filters), one request with
the child, household, eligibility, documents and waiting position; accept, refuse with
a reason (required: without one nothing changes), the waiting list, the school's two
steps with a derogation, a stay's prepayment, withdrawing for the family; the families
are told; the rights of each role. And the waiting lists screen."""

import datetime as dt
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from services.models import Activity, Booking, Enrolment, PlaceCounter
from tests.fixtures_services_staff import assert_denied

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def course(staff_service, staff_today):
    return Activity.objects.create(
        service=staff_service, name="Atelier poterie", code="atelier-poterie", shape=Activity.Shape.COURSE,
        weekdays=[2], runs_in_holidays=True, capacity=2, requires_validation=True,
        start_date=staff_today - dt.timedelta(days=30), end_date=staff_today + dt.timedelta(days=200), min_age=6)


@pytest.fixture
def school(staff_service):
    return Activity.objects.create(
        service=staff_service, name="Inscription en élémentaire", code="inscription-elem",
        shape=Activity.Shape.SCHOOL_ENROLMENT, requires_validation=True, class_levels=["CP", "CE1", "CE2"])


@pytest.fixture
def family(make_family):
    return make_family("POTIER", children=(("Jade", D(2017, 2, 2), "CM1"), ("Lino", D(2016, 3, 3), "CM2"),
                                           ("Mona", D(2015, 4, 4), "CM2")))


def ask(family, activity, child_index=0, **kwargs):
    from services.enrolments import request_enrolment

    return request_enrolment(family.users[0], family.kids[child_index], activity, now=timezone.now(), **kwargs)


def detail(enrolment):
    return reverse("services_enrolments:detail", args=[enrolment.pk])


def test_the_queue_lists_requests_to_decide_oldest_first_with_filters(staff_as, family, course, school):
    first = ask(family, course, 0)
    second = ask(family, course, 1)
    Enrolment.objects.filter(pk=first.pk).update(requested_at=timezone.now() - dt.timedelta(days=3))
    client = staff_as("agent")
    html = client.get(reverse("services_enrolments:index")).content.decode()
    assert html.index(detail(first)) < html.index(detail(second))
    assert "Demandes : 2" in html and "la plus ancienne d'abord" in unescape(html)
    html = client.get(reverse("services_enrolments:index"), {"activity": school.pk}).content.decode()
    assert "Aucune demande." in html
    html = client.get(reverse("services_enrolments:index"), {"q": "lino"}).content.decode()
    assert detail(second) in html and detail(first) not in html
    html = client.get(reverse("services_enrolments:index"), {"state": "active"}).content.decode()
    assert detail(first) not in html


def test_the_request_screen_shows_child_household_conditions_and_position(staff_as, family, course):
    ask(family, course, 0)
    ask(family, course, 1)
    waiting = ask(family, course, 2)
    assert waiting.status == "waiting"
    html = staff_as("agent").get(detail(waiting)).content.decode()
    assert "Position sur la liste d'attente : 1" in unescape(html)
    assert "Mona Potier" in html and "Foyer" in html and "POTIER" in html
    assert "conformes à l'activité" in unescape(html)
    assert "complètes" in html
    assert "Mettre sur liste d" not in html  # not pending: no such decision


def test_missing_documents_and_ineligibility_are_shown(staff_as, family, course, monkeypatch):
    import documents.rules

    enrolment = ask(family, course, 0)
    Enrolment.objects.filter(pk=enrolment.pk).update(start_date=enrolment.start_date)
    monkeypatch.setattr(documents.rules, "missing_documents",
                        lambda household, child, activity, on, **k: ["Certificat médical (en attente de validation)"])
    Activity.objects.filter(pk=course.pk).update(min_age=12)
    html = staff_as("agent").get(detail(enrolment)).content.decode()
    assert "Certificat médical (en attente de validation)" in html
    assert "à partir de 12 ans" in html


def test_accepting_tells_the_family(staff_as, family, course, django_capture_on_commit_callbacks):
    enrolment = ask(family, course)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_as("agent").post(detail(enrolment), {"action": "accept", "accept-note": "Bienvenue"})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == "active" and enrolment.decision_reason == "Bienvenue"
    assert mail.outbox[-1].to == [family.users[0].email] and "acceptée" in mail.outbox[-1].body
    event = AuditEvent.objects.filter(action="enrolment").latest("id")
    assert event.acting_for_family and event.actor.email == "agent@staff.example.org"


def test_a_refusal_without_a_reason_changes_nothing(staff_as, family, course):
    enrolment = ask(family, course)
    client = staff_as("agent")
    events = AuditEvent.objects.count()
    response = client.post(detail(enrolment), {"action": "refuse", "refuse-reason": "   "})
    assert response.status_code == 400
    assert "Indiquez le motif : la famille le lira." in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == "pending" and enrolment.decision_reason == ""
    assert AuditEvent.objects.count() == events and not mail.outbox


def test_a_refusal_frees_the_place_for_the_first_waiting(staff_as, family, course, django_capture_on_commit_callbacks):
    first = ask(family, course, 0)
    ask(family, course, 1)
    waiting = ask(family, course, 2)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_as("agent").post(detail(first), {"action": "refuse", "refuse-reason": "Dossier incomplet"},
                                          follow=True)
    assert "premier de la liste" in response.content.decode()
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert first.status == "refused" and first.decision_reason == "Dossier incomplet"
    assert waiting.status == "pending"  # the course asks an agent's validation
    bodies = [m.body for m in mail.outbox]
    assert any("Dossier incomplet" in body for body in bodies)


def test_putting_a_request_on_the_waiting_list(staff_as, family, course, django_capture_on_commit_callbacks):
    first = ask(family, course, 0)
    second = ask(family, course, 1)
    third = ask(family, course, 2)
    assert third.status == "waiting"
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_as("agent").post(detail(first), {"action": "waiting", "waiting-note": "Priorité aux CM2"})
    assert response.status_code == 302
    first.refresh_from_db()
    third.refresh_from_db()
    # The one already waiting takes the freed place; the request moved goes to the end.
    assert third.status == "pending" and first.status == "waiting"
    from services.staff import waiting_position

    assert waiting_position(first) == 1
    assert PlaceCounter.objects.get(activity=course, scope="enrolment").taken == 2
    second.refresh_from_db()
    assert second.status == "pending"
    assert any("liste d'attente" in m.body and "Priorité aux CM2" in m.body for m in mail.outbox)
    assert AuditEvent.objects.filter(action="waiting_list", actor__email="agent@staff.example.org").exists()


def test_school_enrolment_in_two_steps_with_a_derogation(staff_as, make_family, school,
                                                        django_capture_on_commit_callbacks):
    family = make_family("ECOLE", children=(("Noé", D(2020, 1, 5), "GS"),))
    enrolment = ask(family, school, requested_level="CP", requested_school="École Jules Ferry",
                    derogation_reason="sibling", derogation_details="Sa sœur y est.")
    client = staff_as("agent")
    html = client.get(detail(enrolment)).content.decode()
    assert "Étape 1 sur 2" in html and "École Jules Ferry" in html
    # The derogation must be answered.
    response = client.post(detail(enrolment), {"action": "register", "register-school": "École Louise Michel"})
    assert response.status_code == 400
    assert Enrolment.objects.get(pk=enrolment.pk).status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail(enrolment), {"action": "register", "register-school": "",
                                        "register-derogation_granted": "yes"})
    enrolment.refresh_from_db()
    assert enrolment.status == "registered" and enrolment.school == "École Jules Ferry"
    assert enrolment.derogation_granted is True and enrolment.registered_at is not None
    assert "l'école prononcera ensuite l'admission" in mail.outbox[-1].body
    assert "Étape 2 sur 2" in client.get(detail(enrolment)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail(enrolment), {"action": "admit"})
    enrolment.refresh_from_db()
    assert enrolment.status == "active" and enrolment.admitted_at is not None
    assert "acceptée" in mail.outbox[-1].body


def test_school_registration_without_derogation_needs_the_school(staff_as, make_family, school):
    family = make_family("ECOLE", children=(("Noé", D(2020, 1, 5), "GS"),))
    enrolment = ask(family, school, requested_level="CP")
    client = staff_as("agent")
    response = client.post(detail(enrolment), {"action": "register", "register-school": ""}, follow=True)
    assert "Indiquez l'école d'affectation." in unescape(response.content.decode())
    assert Enrolment.objects.get(pk=enrolment.pk).status == "pending"
    client.post(detail(enrolment), {"action": "register", "register-school": "École Louise Michel"})
    assert Enrolment.objects.get(pk=enrolment.pk).school == "École Louise Michel"


def test_a_stays_prepayment_is_recorded_by_an_agent_or_a_cashier(staff_as, family, staff_service, staff_today,
                                                                 staff_roles):
    stay = Activity.objects.create(
        service=staff_service, name="Séjour à la mer", code="sejour-mer", shape=Activity.Shape.STAY,
        runs_in_school_periods=False, runs_in_holidays=True, start_date=staff_today + dt.timedelta(days=60),
        end_date=staff_today + dt.timedelta(days=64), capacity=10, prepayment_required=True)
    enrolment = ask(family, stay)
    assert enrolment.status == "active" and enrolment.prepayment_status == "due"
    assert Booking.objects.filter(child=enrolment.child, activity=stay, status="booked").count() == 5
    client = staff_as("cashier")
    html = client.get(detail(enrolment)).content.decode()
    assert "Enregistrer le paiement" in html and "Refuser la demande" not in html
    response = client.post(detail(enrolment), {"action": "prepayment", "prepayment-reference": "REGIE-2026-42"})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.prepayment_status == "paid" and enrolment.prepayment_reference == "REGIE-2026-42"
    assert AuditEvent.objects.filter(action="payment", actor=staff_roles["cashier"]).exists()
    # The cashier decides nothing else.
    assert_denied(client.post(detail(enrolment), {"action": "withdraw", "withdraw-reason": "x"}))


def test_a_stay_invoiced_by_billing_is_paid_on_its_invoice_not_recorded_by_hand(
        staff_as, family, staff_service, staff_today, django_capture_on_commit_callbacks):
    from decimal import Decimal

    from billing.models import CollectionOffice, Invoice, Tariff, TariffBracket

    stay = Activity.objects.create(
        service=staff_service, name="Séjour à la mer", code="sejour-mer", shape=Activity.Shape.STAY,
        runs_in_school_periods=False, runs_in_holidays=True, start_date=staff_today + dt.timedelta(days=60),
        end_date=staff_today + dt.timedelta(days=64), capacity=10, prepayment_required=True)
    office = CollectionOffice.objects.create(code="01", name="Régie Enfance")
    office.activities.set([stay])
    tariff = Tariff.objects.create(activity=stay, label="Séjour", valid_from=staff_today - dt.timedelta(days=365))
    TariffBracket.objects.create(tariff=tariff, label="Unique", price=Decimal("30.00"))
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = ask(family, stay)
    invoice = Invoice.objects.get(enrolment=enrolment)
    assert invoice.total == Decimal("150.00")
    client = staff_as("cashier")
    html = unescape(client.get(detail(enrolment)).content.decode())
    assert invoice.number in html and "Enregistrer le paiement" not in html
    response = client.post(detail(enrolment), {"action": "prepayment", "prepayment-reference": "REGIE-2026-42"},
                           follow=True)
    assert f"facturé par la facture {invoice.number}" in unescape(response.content.decode())
    enrolment.refresh_from_db()
    assert enrolment.prepayment_status == "due" and enrolment.prepayment_reference == ""


def test_withdrawing_for_the_family_needs_a_reason_and_tells_it(staff_as, family, course,
                                                               django_capture_on_commit_callbacks):
    enrolment = ask(family, course)
    client = staff_as("agent")
    assert client.post(detail(enrolment), {"action": "withdraw", "withdraw-reason": ""}).status_code == 400
    assert Enrolment.objects.get(pk=enrolment.pk).status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail(enrolment), {"action": "withdraw", "withdraw-reason": "Déménagement"})
    enrolment.refresh_from_db()
    assert enrolment.status == "withdrawn" and enrolment.decision_reason == "Déménagement"
    assert "annulé l'inscription" in mail.outbox[-1].body and "Déménagement" in mail.outbox[-1].body


def test_withdrawing_a_daily_enrolment_with_days_booked_is_refused(staff_as, staff_pupils, staff_canteen,
                                                                   staff_roles, staff_today):
    from tests.fixtures_services_staff import book_now

    child = staff_pupils.kids[0]
    book_now(staff_roles["agent"], child, staff_canteen, staff_today + dt.timedelta(days=3))
    enrolment = Enrolment.objects.get(child=child, activity=staff_canteen)
    response = staff_as("agent").post(detail(enrolment), {"action": "withdraw", "withdraw-reason": "Fin"},
                                      follow=True)
    assert "annulez-les d'abord" in unescape(response.content.decode())
    assert Enrolment.objects.get(pk=enrolment.pk).status == "active"


@pytest.mark.parametrize("role", ["cashier", "communication", "legal"])
def test_only_agents_decide(staff_as, family, course, role):
    enrolment = ask(family, course)
    client = staff_as(role)
    if role == "cashier":
        html = client.get(detail(enrolment)).content.decode()
        assert "Accepter l" not in html and "Refuser la demande" not in html
    else:
        assert_denied(client.get(reverse("services_enrolments:index")))
        assert_denied(client.get(detail(enrolment)))
    assert_denied(client.post(detail(enrolment), {"action": "accept"}))
    assert_denied(client.post(detail(enrolment), {"action": "refuse", "refuse-reason": "Non"}))
    assert Enrolment.objects.get(pk=enrolment.pk).status == "pending"


def test_parents_never_reach_the_requests(staff_as, family, course):
    enrolment = ask(family, course)
    client = staff_as("parent")
    response = client.get(detail(enrolment))
    assert response.status_code == 302 and "connexion" in response["Location"]
    client.post(detail(enrolment), {"action": "accept"})
    assert Enrolment.objects.get(pk=enrolment.pk).status == "pending"


# Waiting lists ----------------------------------------------------------------------------

def test_waiting_lists_per_day_in_order(staff_as, staff_pupils, staff_session, staff_roles, staff_today):
    from services.bookings import book

    day = staff_today + dt.timedelta(days=5)
    parent = staff_pupils.users[0]
    kids = staff_pupils.kids
    now = timezone.now()
    for child in kids:
        book(parent, child, staff_session, day, now=now)
    waiting = Booking.objects.get(status="waiting")
    assert waiting.child == kids[2]
    client = staff_as("cashier")
    html = client.get(reverse("services_waiting_lists:index"), {"activite": staff_session.pk}).content.decode()
    assert "2 places prises sur 2" in html and "Capucine Tilleul" in html
    assert "Atelier théâtre (en attente : 1 réservation(s), 0 inscription(s))" in html
    assert "le premier de la liste l'obtient aussitôt" in unescape(html)
    assert_denied(staff_as("communication").get(reverse("services_waiting_lists:index")))


def test_waiting_lists_per_enrolment_period(staff_as, family, course):
    ask(family, course, 0)
    ask(family, course, 1)
    waiting = ask(family, course, 2)
    html = staff_as("agent").get(reverse("services_waiting_lists:index"), {"activite": course.pk}).content.decode()
    assert detail(waiting) in html and "2 places prises sur 2" in html
    assert "Atelier poterie (en attente : 0 réservation(s), 1 inscription(s))" in html
