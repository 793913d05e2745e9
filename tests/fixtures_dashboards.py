"""Shared fixtures of the dashboards (statistics) area, registered in conftest.py.

``stats_builder`` returns a ``StatsBuilder``: small functions that write rows straight
into the other areas' models (households, bookings, attendance, invoices, payments,
logins...) with exactly the values a test needs, so that each figure is checked against
numbers known in advance. ``stats_staff`` gives one user per role, with the second factor."""

import datetime as dt
import itertools
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

PARIS = ZoneInfo("Europe/Paris")
NOVEMBER = dt.date(2026, 11, 1)


def paris(year, month, day, hour=12, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=PARIS)


class StatsBuilder:
    def __init__(self):
        from billing.models import CollectionOffice
        from services.models import Activity, SchoolYear, Service

        self._n = itertools.count(1)
        self.school_year = SchoolYear.objects.create(label="2026-2027", start_date=dt.date(2026, 9, 1),
                                                     end_date=dt.date(2027, 7, 3))
        self.canteen_service = Service.objects.create(code="restauration", name="Restauration scolaire",
                                                      shape="daily", order=1)
        self.care_service = Service.objects.create(code="periscolaire", name="Accueil périscolaire",
                                                   shape="daily", order=2)
        self.music_service = Service.objects.create(code="ecoles-municipales", name="Écoles municipales",
                                                    shape="yearly_course", order=3)
        self.canteen = Activity.objects.create(service=self.canteen_service, name="Cantine Jules Ferry",
                                               code="cantine", shape="daily", weekdays=[0, 1, 3, 4], capacity=10)
        self.evening = Activity.objects.create(service=self.care_service, name="Accueil du soir", code="soir",
                                               shape="session", weekdays=[0, 1, 3, 4])
        self.music = Activity.objects.create(service=self.music_service, name="École de musique",
                                             code="musique", shape="course", weekdays=[2], capacity=20)
        self.office = CollectionOffice.objects.create(code="01", name="Régie Enfance")

    # Families ---------------------------------------------------------------------------

    def household(self, *, login=False, paper_only=False, created_at=None, child=True):
        from accounts.models import Child, Guardian, Household, User

        n = next(self._n)
        household = Household.objects.create(name=f"FAMILLE{n}", paper_only=paper_only)
        # Known to the commune since the summer, unless the test says otherwise.
        Household.objects.filter(pk=household.pk).update(created_at=created_at or paris(2026, 8, 1))
        user = None
        if login:
            user = User.objects.create_user(email=f"parent{n}@example.org", password="une-phrase-de-passe-solide")
        household.guardian = Guardian.objects.create(household=household, user=user, first_name="Parent",
                                                     last_name=f"Famille{n}", is_payer=True)
        household.user = user
        household.child = None
        if child:
            household.child = Child.objects.create(household=household, first_name=f"Enfant{n}",
                                                   last_name=f"Famille{n}", birth_date=dt.date(2018, 1, 1))
        return household

    def households(self, count, **kwargs):
        return [self.household(**kwargs) for _ in range(count)]

    # Services ---------------------------------------------------------------------------

    def booking(self, household, activity, day, *, status="booked", by_parent=False, booked_at=None):
        from services.models import Booking

        moment = booked_at or paris(day.year, day.month, 1) - dt.timedelta(days=10)
        return Booking.objects.create(
            household=household, child=household.child, activity=activity, day=day, status=status,
            booked_at=moment, booked_by=household.user if by_parent else None, changed_at=moment,
            waiting_since=moment if status == "waiting" else None)

    def attendance(self, household, activity, day, status="present"):
        from services.models import Attendance

        return Attendance.objects.create(household=household, child=household.child, activity=activity, day=day,
                                         status=status, absence_reason="sick" if status == "absent" else "",
                                         recorded_at=paris(day.year, day.month, day.day, 18))

    def enrolment(self, household, activity, *, status="active", start=dt.date(2026, 9, 1),
                  end=dt.date(2027, 7, 3)):
        from services.models import Enrolment

        return Enrolment.objects.create(household=household, child=household.child, activity=activity,
                                        start_date=start, end_date=end, status=status,
                                        requested_at=paris(2026, 8, 20))

    # Billing ----------------------------------------------------------------------------

    def invoice(self, household, year, month, lines, *, status="issued", paid=Decimal("0"), due=None,
                first_reminder=None, second_reminder=None):
        """``lines``: ``[(activity, amount)]``; returns the invoice (lines in ``invoice.made_lines``)."""
        from billing.models import Invoice, InvoiceLine

        total = sum((Decimal(amount) for _activity, amount in lines), Decimal("0"))
        n = next(self._n)
        invoice = Invoice.objects.create(
            office=self.office, household=household, payer=household.guardian, payer_name="Payeur",
            year=year, month=month, status=status, number="" if status == "draft" else f"F01-{n:07d}",
            total=total, amount_paid=Decimal(paid), due_date=due, issued_at=paris(year, month, 28),
            first_reminder_at=first_reminder, second_reminder_at=second_reminder)
        invoice.made_lines = [
            InvoiceLine.objects.create(invoice=invoice, fact_key=f"fact-{n}-{i}", child=household.child,
                                       activity=activity, day=dt.date(year, month, 2), fact_status="booked_present",
                                       description="Repas", unit_price=Decimal(amount), amount=Decimal(amount))
            for i, (activity, amount) in enumerate(lines)
        ]
        return invoice

    def credit(self, invoice_line, amount):
        from billing.models import CreditNote, CreditNoteLine

        n = next(self._n)
        note = CreditNote.objects.create(office=self.office, invoice=invoice_line.invoice, number=f"A01-{n:07d}",
                                         amount=Decimal(amount), reason="Absence justifiée")
        return CreditNoteLine.objects.create(credit_note=note, invoice_line=invoice_line, description="Avoir",
                                             amount=Decimal(amount))

    def payment(self, invoice, amount, method, received_at):
        from billing.models import Payment

        return Payment.objects.create(invoice=invoice, office=self.office, household=invoice.household,
                                      amount=Decimal(amount), method=method, received_at=received_at)

    # The portal's use -------------------------------------------------------------------

    def login_event(self, user, moment):
        from accounts.models import AuditEvent

        return AuditEvent.objects.create(action=AuditEvent.Action.LOGIN, actor=user, actor_label=user.email,
                                         occurred_at=moment)


@pytest.fixture
def stats_builder(db):
    return StatsBuilder()


@pytest.fixture
def stats_staff(db, password):
    """One user per role: ``agent``, ``cashier``, ``communication``, ``legal``, ``admin``."""
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import AGENTS, CASHIERS, COMMUNICATION, LEGAL, ensure_groups

    ensure_groups()
    users = {}
    for key, group in (("agent", AGENTS), ("cashier", CASHIERS), ("communication", COMMUNICATION),
                       ("legal", LEGAL)):
        user = User.objects.create_user(email=f"stats-{key}@example.org", password=password, is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        users[key] = User.objects.get(pk=user.pk)
    users["admin"] = User.objects.create_superuser(email="stats-admin@example.org", password=password)
    return users

