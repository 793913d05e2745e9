"""Each figure of the dashboards on a data set built here, with the exact numbers expected
(before and after the hiding of small groups)."""

import datetime as dt
from decimal import Decimal

import pytest

from dashboards import figures
from dashboards.periods import month_period, parse_period, school_year_period
from dashboards.privacy import protect
from dashboards.tables import SECONDARY, SMALL
from tests.fixtures_dashboards import paris

pytestmark = pytest.mark.django_db

D = Decimal
NOVEMBER = month_period(2026, 11)
MONDAY = dt.date(2026, 11, 2)


def values(figure):
    return {row.label: {key: cell.value for key, cell in row.cells.items()} for row in figure.rows}


def hidden(figure):
    return {row.label: {key: cell.hidden for key, cell in row.cells.items()} for row in figure.rows}


def test_attendance_of_the_day_per_activity(stats_builder):
    b = stats_builder
    canteen_families = b.households(7)
    for family in canteen_families[:6]:
        b.booking(family, b.canteen, MONDAY)
    for family in canteen_families[:4]:
        b.attendance(family, b.canteen, MONDAY, "present")
    b.attendance(canteen_families[6], b.canteen, MONDAY, "present")  # present without booking
    for family in canteen_families[4:6]:
        b.attendance(family, b.canteen, MONDAY, "absent")
    evening_families = b.households(7)
    for family in evening_families:
        b.booking(family, b.evening, MONDAY)
        b.attendance(family, b.evening, MONDAY, "present")
    b.booking(evening_families[0], b.evening, MONDAY + dt.timedelta(days=1))  # another day
    b.booking(canteen_families[0], b.music, MONDAY, status="cancelled")  # not booked

    figure = figures.attendance_day(MONDAY)
    assert values(figure) == {
        "Cantine Jules Ferry": {"booked": 6, "present": 5, "absent": 2},
        "Accueil du soir": {"booked": 7, "present": 7, "absent": 0},
    }
    protect(figure, 5)
    # 2 absents: a small group; the rest of the row would give it away (booked - present).
    assert hidden(figure)["Cantine Jules Ferry"] == {"booked": SECONDARY, "present": SECONDARY, "absent": SMALL}
    assert hidden(figure)["Accueil du soir"] == {"booked": "", "present": "", "absent": ""}
    # Totals over a hidden cell are hidden too (13 - 7 would give the canteen's 6).
    assert {key: cell.hidden for key, cell in figure.totals.items()} == {
        "booked": SECONDARY, "present": SECONDARY, "absent": SMALL}
    assert figure.totals["booked"].value == 13


def test_occupancy_per_week_and_activity(stats_builder):
    from services.models import PlaceCounter

    b = stats_builder
    families = b.households(6)
    for family in families:
        b.booking(family, b.canteen, MONDAY)
        b.booking(family, b.canteen, MONDAY + dt.timedelta(days=1))
    for family in families[:2]:
        b.booking(family, b.canteen, dt.date(2026, 11, 9))
    b.booking(families[0], b.canteen, dt.date(2026, 11, 10), status="waiting")  # not a place
    # Staff gave Thursday 5 November twelve places.
    PlaceCounter.objects.create(activity=b.canteen, day=dt.date(2026, 11, 5), capacity=12, custom_capacity=True)

    figure = figures.occupancy(NOVEMBER)
    rows = {row.key: row for row in figure.rows}
    canteen_rows = [key for key in rows if key.startswith(f"activity-{b.canteen.pk}-")]
    # Weeks of 2, 9, 16, 23 and 30 November (the week of 26 October holds only Sunday 1st).
    assert canteen_rows == [f"activity-{b.canteen.pk}-2026-11-{d:02d}" for d in (2, 9, 16, 23, 30)]
    week = rows[f"activity-{b.canteen.pk}-2026-11-02"]
    assert (week.cells["offered"].value, week.cells["booked"].value, week.cells["booked"].population) == (42, 12, 6)
    assert rows[f"activity-{b.canteen.pk}-2026-11-09"].cells["booked"].value == 2
    assert rows[f"activity-{b.canteen.pk}-2026-11-16"].cells["offered"].value == 40
    assert rows[f"activity-{b.canteen.pk}-2026-11-30"].cells["offered"].value == 10  # Monday 30th only
    # The evening care has no limit: places offered "—", no rate.
    evening = rows[f"activity-{b.evening.pk}-2026-11-02"]
    assert evening.cells["offered"].value is None
    protect(figure, 5)
    assert week.cells["rate"].value == pytest.approx(28.6)
    assert rows[f"activity-{b.canteen.pk}-2026-11-16"].cells["rate"].value == 0.0
    second = rows[f"activity-{b.canteen.pk}-2026-11-09"]
    assert second.cells["booked"].hidden == SMALL and second.cells["rate"].hidden == SECONDARY
    assert second.cells["offered"].hidden == ""  # places are not people
    assert evening.cells["rate"].value is None and not evening.cells["rate"].hidden
    assert figure.totals == {}


def test_waiting_lists_per_activity(stats_builder):
    b = stats_builder
    families = b.households(6)
    for family in families[:5]:
        b.enrolment(family, b.music, status="waiting")
    b.enrolment(families[5], b.music, status="active")
    b.enrolment(families[5], b.canteen, status="waiting", start=dt.date(2027, 1, 4))  # after November
    b.booking(families[0], b.canteen, dt.date(2026, 11, 9), status="waiting")
    b.booking(families[0], b.canteen, dt.date(2026, 11, 10), status="waiting")
    b.booking(families[1], b.canteen, dt.date(2026, 11, 10), status="waiting")
    b.booking(families[2], b.canteen, dt.date(2026, 12, 1), status="waiting")  # December

    figure = figures.waiting_lists(NOVEMBER)
    assert values(figure) == {
        "Cantine Jules Ferry": {"enrolments": 0, "bookings": 3},
        "École de musique": {"enrolments": 5, "bookings": 0},
    }
    assert figure.rows[0].cells["bookings"].population == 2  # two children
    protect(figure, 5)
    assert figure.rows[0].cells["bookings"].hidden == SMALL
    assert figure.totals["enrolments"].value == 5 and not figure.totals["enrolments"].hidden
    assert figure.totals["bookings"].hidden == SMALL


def test_pending_requests(stats_builder):
    from accounts.models import ChangeRequest, GdprRequest
    from documents.models import DocumentType, SupportingDocument
    from home.models import AssistanceRequest

    b = stats_builder
    families = b.households(6)
    kind = DocumentType.objects.create(code="domicile", name="Justificatif de domicile")
    for family in families:
        SupportingDocument.objects.create(household=family, document_type=kind)
    SupportingDocument.objects.create(household=families[0], document_type=kind, status="accepted",
                                      reviewed_at=paris(2026, 11, 3))
    for family in families[:2]:
        ChangeRequest.objects.create(household=family, changes={"city": {"before": "A", "after": "B"}})
    ChangeRequest.objects.create(household=families[2], changes={}, status="accepted")
    GdprRequest.objects.create(household=families[0], kind="rectification", message="…")
    for n in range(5):
        AssistanceRequest.objects.create(name="X", email=f"a{n}@example.org", topic="login", message="…",
                                         status="in_progress" if n else "new")
    AssistanceRequest.objects.create(name="X", email="z@example.org", topic="login", message="…", status="answered")
    b.enrolment(families[0], b.music, status="pending")

    figure = figures.pending_requests()
    assert {row.key: row.cells["count"].value for row in figure.rows} == {
        "enrolments": 1, "documents": 6, "absences": 0, "changes": 2, "gdpr": 1, "halls": 0, "assistance": 5}
    # The agents' work queues are not statistics about people: exact, never "< 5".
    assert figure.operational
    protect(figure, 5)
    assert not figure.has_hidden
    assert {row.key: row.cells["count"].value for row in figure.rows if not row.cells["count"].hidden} == {
        "enrolments": 1, "documents": 6, "absences": 0, "changes": 2, "gdpr": 1, "halls": 0, "assistance": 5}
    assert figure.totals == {}  # different kinds of requests: no total


def test_unpaid_amounts_by_reminder_stage(stats_builder):
    b = stats_builder
    today = dt.date(2026, 12, 15)
    families = b.households(8)
    for family in families[:5]:
        b.invoice(family, 2026, 11, [(b.canteen, "40.00")], paid="10.00", due=dt.date(2026, 12, 31),
                  status="partially_paid")
    for family in families[5:7]:
        b.invoice(family, 2026, 10, [(b.canteen, "30.00")], due=dt.date(2026, 11, 30),
                  first_reminder=paris(2026, 12, 10))
    b.invoice(families[7], 2026, 10, [(b.canteen, "25.00")], status="paid", paid="25.00", due=dt.date(2026, 11, 30))
    b.invoice(families[7], 2026, 11, [(b.canteen, "99.00")], status="draft")

    figure = figures.unpaid(today)
    assert values(figure) == {
        "Pas encore échues": {"amount": D("150.00"), "invoices": 5},
        "Échues, sans relance": {"amount": D("0.00"), "invoices": 0},
        "Après la première relance": {"amount": D("60.00"), "invoices": 2},
        "Après la seconde relance (CCAS)": {"amount": D("0.00"), "invoices": 0},
    }
    protect(figure, 5)
    assert hidden(figure)["Après la première relance"] == {"amount": SMALL, "invoices": SMALL}
    assert figure.totals["amount"].value == D("210.00") and figure.totals["amount"].hidden == SECONDARY
    assert figure.totals["amount"].population == 7


def test_invoiced_amounts_per_month_and_service(stats_builder):
    b = stats_builder
    families = b.households(6)
    november_lines = []
    for family in families:
        november_lines.append(b.invoice(family, 2026, 11, [(b.canteen, "10.00")]).made_lines[0])
    for family in families[:2]:
        b.invoice(family, 2026, 11, [(b.evening, "5.00")], status="paid")
    for family in families[:5]:
        b.invoice(family, 2026, 10, [(b.canteen, "20.00")])
    b.invoice(families[0], 2026, 11, [(b.canteen, "500.00")], status="draft")  # not issued
    b.credit(november_lines[0], "10.00")

    month = figures.revenue(NOVEMBER)
    canteen, care = f"service-{b.canteen_service.pk}", f"service-{b.care_service.pk}"
    assert [s.key for s in month.series] == [canteen, care]
    assert values(month) == {"novembre 2026": {canteen: D("50.00"), care: D("10.00")}}
    protect(month, 5)
    assert hidden(month)["novembre 2026"] == {canteen: "", care: SMALL}
    assert month.totals[canteen].value == D("50.00") and not month.totals[canteen].hidden
    assert month.totals[care].hidden == SMALL

    year = figures.revenue(school_year_period(b.school_year))
    assert len(year.rows) == 11  # September to July
    assert values(year)["octobre 2026"] == {canteen: D("100.00"), care: D("0.00")}
    assert values(year)["novembre 2026"] == {canteen: D("50.00"), care: D("10.00")}
    protect(year, 5)
    assert year.totals[canteen].value == D("150.00") and year.totals[canteen].population == 6
    assert not year.totals[canteen].hidden


def test_payments_online_and_at_the_desk(stats_builder):
    b = stats_builder
    families = b.households(7)
    invoices = [b.invoice(family, 2026, 10, [(b.canteen, "100.00")]) for family in families]
    for invoice in invoices[:4]:
        b.payment(invoice, "20.00", "payfip_card", paris(2026, 11, 10))
    b.payment(invoices[4], "20.00", "payfip_debit", paris(2026, 11, 30, 23, 30))  # still November in Paris
    b.payment(invoices[5], "15.00", "cash", paris(2026, 11, 12))
    b.payment(invoices[6], "25.00", "cheque", paris(2026, 11, 13))
    b.payment(invoices[6], "30.00", "cheque", paris(2026, 10, 31, 23, 30))  # October in Paris
    b.payment(invoices[0], "30.00", "payfip_card", paris(2026, 12, 1, 0, 30))  # December in Paris

    figure = figures.payments(NOVEMBER)
    assert values(figure) == {"novembre 2026": {"online": D("100.00"), "desk": D("40.00"), "online_count": 5,
                                                "desk_count": 2}}
    protect(figure, 5)
    row = figure.rows[0].cells
    assert (row["desk"].hidden, row["desk_count"].hidden, row["share"].hidden) == (SMALL, SMALL, SECONDARY)
    assert figure.totals["online"].value == D("100.00") and not figure.totals["online"].hidden

    shown = protect(figures.payments(NOVEMBER), 2)  # with a threshold of 2 everything shows
    assert shown.rows[0].cells["share"].value == pytest.approx(71.4)
    assert shown.totals["share"].value == pytest.approx(71.4)


def test_use_of_the_portal(stats_builder):
    from services.models import Booking

    b = stats_builder
    users = b.households(5, login=True)
    for family in users:
        b.login_event(family.user, paris(2026, 11, 3))
    booker = b.household(login=True)  # booked online in November, no login recorded
    b.booking(booker, b.canteen, dt.date(2026, 11, 23), by_parent=True, booked_at=paris(2026, 11, 15))
    idle = b.households(2, login=True)
    b.login_event(idle[0].user, paris(2026, 10, 31, 23, 0))  # October in Paris
    b.login_event(idle[1].user, paris(2026, 12, 1, 8, 0))
    agent_booked = b.household()  # an agent booked for them: not the family using the portal
    b.booking(agent_booked, b.canteen, dt.date(2026, 11, 23), booked_at=paris(2026, 11, 15))
    b.households(4)
    paper = b.household(login=True, paper_only=True)
    b.login_event(paper.user, paris(2026, 11, 5))
    b.household(login=True, created_at=paris(2026, 12, 2))  # created after November
    assert Booking.objects.count() == 2

    figure = figures.portal_use(NOVEMBER)
    assert {row.key: row.cells["households"].value for row in figure.rows} == {
        "used": 6, "account_unused": 2, "no_account": 5, "paper": 1}
    protect(figure, 1)  # nothing hidden: the shares
    assert figure.totals["households"].value == 14
    assert {row.key: row.cells["share"].value for row in figure.rows} == {
        "used": pytest.approx(42.9), "account_unused": pytest.approx(14.3), "no_account": pytest.approx(35.7),
        "paper": pytest.approx(7.1)}
    figure = protect(figures.portal_use(NOVEMBER), 5)
    assert {row.key: row.cells["households"].hidden for row in figure.rows} == {
        "used": "", "account_unused": SMALL, "no_account": "", "paper": SMALL}
    # The total would give the two small groups together: hidden, and every share with it.
    assert figure.totals["households"].hidden == SECONDARY
    assert all(row.cells["share"].hidden == SECONDARY for row in figure.rows)


def test_periods():
    assert parse_period("2026-11") == NOVEMBER
    assert NOVEMBER.start == dt.date(2026, 11, 1) and NOVEMBER.end == dt.date(2026, 11, 30)
    assert parse_period("2026-13", today=dt.date(2027, 2, 3)).key == "2027-02"
    assert parse_period("n'importe quoi", today=dt.date(2027, 2, 3)).key == "2027-02"
    assert [m.day for m in NOVEMBER.weeks()] == [26, 2, 9, 16, 23, 30]


def test_a_school_year_period(stats_builder):
    period = parse_period("2026-2027")
    assert (period.kind, period.start, period.end) == ("school_year", dt.date(2026, 9, 1), dt.date(2027, 7, 3))
    assert period.months()[0] == (2026, 9) and period.months()[-1] == (2027, 7)
