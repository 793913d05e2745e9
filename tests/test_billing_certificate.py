"""The yearly certificate of childcare costs (issue 6): per child under 6 on 1 January of
the year, the childcare (tariffs ticked *frais de garde*, never a meal) paid during the
year, net of credit notes."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from billing import invoicing, payments
from billing.certificates import childcare_costs, eligible_birth_date
from billing.models import Invoice, Tariff

pytestmark = pytest.mark.django_db

D = Decimal
day = datetime.date
LEISURE = D("2.95")  # effort rate 0.36 % of a quotient of 820
MEAL = D("2.28")  # bracket T4


def at(*args):
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime(*args))


@pytest.fixture
def world(billing_world):
    w = billing_world
    Tariff.objects.filter(pk=w.leisure_tariff.pk).update(childcare_costs=True)
    # Even a canteen tariff ticked by mistake never counts: a meal is not childcare.
    w.canteen.serves_meal = True
    w.canteen.save()
    Tariff.objects.filter(pk=w.canteen_tariff.pk).update(childcare_costs=True)
    return w


def issue(world, run_month, fact, year, month, rows):
    facts = [fact(child, activity, d) for child, activity, d in rows]
    run_month(world.office, year, month, facts, finalise=True)
    return Invoice.objects.get(year=year, month=month, payer=world.marie)


def rows_of(world, year):
    return {row["child"].first_name: row["amount"] for row in childcare_costs(Invoice.objects.all(), year)}


def test_eligible_birth_dates():
    assert eligible_birth_date(2026) == day(2020, 1, 1)


def test_under_six_on_1_january_childcare_only_paid_in_the_year_net_of_credit_notes(world, run_month, fact):
    w = world
    # November 2025: Léa (born 14/03/2019, turned 6 in March 2025: still counts for 2025)
    # two leisure days, Hugo one, both a meal; one of Léa's days credited; paid in 2025.
    november = issue(w, run_month, fact, 2025, 11, [
        (w.lea, w.leisure, day(2025, 11, 5)), (w.lea, w.leisure, day(2025, 11, 12)),
        (w.hugo, w.leisure, day(2025, 11, 5)), (w.lea, w.canteen, day(2025, 11, 3)),
        (w.hugo, w.canteen, day(2025, 11, 3)),
    ])
    assert november.total == 3 * LEISURE + 2 * MEAL
    credited_line = november.lines.get(child=w.lea, activity=w.leisure, day=day(2025, 11, 12))
    invoicing.issue_credit_note(november, reason="Centre fermé", lines=[credited_line])
    november.refresh_from_db()
    payments.record_desk_payment(november, amount=str(november.balance), method="cash", user=None,
                                 received_at=at(2025, 12, 1, 10))
    assert rows_of(w, 2025) == {"Léa": LEISURE, "Hugo": LEISURE}

    # December 2025, paid in January 2026: counts for 2026, where Léa (6 on 1 January
    # 2026) no longer counts; meals never.
    december = issue(w, run_month, fact, 2025, 12, [
        (w.lea, w.leisure, day(2025, 12, 3)), (w.hugo, w.leisure, day(2025, 12, 3)),
        (w.lea, w.canteen, day(2025, 12, 1)), (w.hugo, w.canteen, day(2025, 12, 1)),
    ])
    payments.record_desk_payment(december, amount=str(december.total), method="cheque", cheque_number="1",
                                 bank="Banque", user=None, received_at=at(2026, 1, 10, 10))
    assert rows_of(w, 2025) == {"Léa": LEISURE, "Hugo": LEISURE}  # unchanged: paid in 2026
    # February 2026 paid by half: half of each line.
    february = issue(w, run_month, fact, 2026, 2, [
        (w.hugo, w.leisure, day(2026, 2, 4)), (w.hugo, w.leisure, day(2026, 2, 11)),
        (w.hugo, w.canteen, day(2026, 2, 2)), (w.hugo, w.canteen, day(2026, 2, 3)),
    ])
    payments.record_desk_payment(february, amount=str(february.total / 2), method="cash", user=None,
                                 received_at=at(2026, 3, 1, 10))
    assert rows_of(w, 2026) == {"Hugo": LEISURE + LEISURE}
    # Nothing paid in 2027 yet.
    assert rows_of(w, 2027) == {}


def test_a_credit_note_of_a_plain_amount_lowers_the_lines_in_proportion(world, run_month, fact):
    w = world
    invoice = issue(w, run_month, fact, 2026, 3, [
        (w.hugo, w.leisure, day(2026, 3, 4)), (w.hugo, w.leisure, day(2026, 3, 11)),
    ])
    invoicing.issue_credit_note(invoice, reason="Geste commercial", amount="2.95")
    invoice.refresh_from_db()
    payments.record_desk_payment(invoice, amount=str(invoice.balance), method="cash", user=None,
                                 received_at=at(2026, 3, 20, 10))
    assert rows_of(w, 2026) == {"Hugo": LEISURE}


def test_a_meal_tariff_cannot_be_ticked_as_childcare(world):
    tariff = Tariff.objects.get(pk=world.canteen_tariff.pk)
    with pytest.raises(ValidationError) as error:
        tariff.full_clean()
    assert "childcare_costs" in error.value.message_dict


def test_the_parent_downloads_the_certificate(world, run_month, fact, password):
    w = world
    invoice = issue(w, run_month, fact, 2026, 3, [(w.hugo, w.leisure, day(2026, 3, 4))])
    payments.record_desk_payment(invoice, amount=str(invoice.total), method="cash", user=None,
                                 received_at=at(2026, 3, 20, 10))
    client = Client()
    assert client.login(email="marie@example.org", password=w.password)
    response = client.get("/fr/factures/attestation/2026/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    assert client.get("/fr/factures/attestation/2019/").status_code == 404
    # Another household's parent gets nothing of Marie's.
    other = Client()
    assert other.login(email="sophie@example.org", password=w.password)
    assert other.get("/fr/factures/attestation/2026/").status_code == 404
