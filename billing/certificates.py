"""The yearly certificate of childcare costs (attestation de frais de garde, issue 6).

What the tax credit for childcare outside the home allows (article 200 quater B of the
Code général des impôts), and so what the certificate computes, per child:

- only children **under 6 on 1 January** of the year (born on or after 1 January of the
  year minus 6, as the tax administration counts): a child who turns 6 during the year
  counts for the whole year; a child already 6 on 1 January does not count at all;
- only **childcare**: the lines whose tariff is ticked *frais de garde*
  (``Tariff.childcare_costs``: before and after-school care, leisure centre), never a
  meal (an activity that serves a meal never counts, whatever its tariff says);
- the amounts **paid during the year** (payments received from 1 January to 31
  December, whatever the month of the invoice), net of credit notes.

An invoice mixes lines (a canteen meal and an evening care, two children): what a
payment pays is shared out in proportion to the lines' amounts net of their credit
notes (a credit note of a plain amount lowers every line in proportion), so that an
invoice paid in full gives exactly its eligible lines net of credits, and a part
payment the same share of them.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from .models import ZERO, CreditNoteLine, Invoice, InvoiceLine, Payment, Tariff
from .tariffs import money

CHILDCARE_MAX_AGE = 6


def eligible_birth_date(year):
    """Children born on or after this day are under 6 on 1 January of ``year``."""
    return datetime.date(year - CHILDCARE_MAX_AGE, 1, 1)


def _year_bounds(year):
    zone = timezone.get_current_timezone()
    return (datetime.datetime(year, 1, 1, tzinfo=zone), datetime.datetime(year + 1, 1, 1, tzinfo=zone))


def childcare_costs(invoices, year):
    """``[{"child", "activities", "amount"}]``: per child under 6 on 1 January of
    ``year``, the childcare paid during ``year`` on ``invoices`` (a queryset), net of
    credit notes; children in birth order. A fixed number of queries."""
    start, end = _year_bounds(year)
    paid = dict(
        Payment.objects.filter(invoice__in=invoices.values("pk"), received_at__gte=start, received_at__lt=end)
        .values("invoice").annotate(total=Sum("amount")).values_list("invoice", "total")
    )
    if not paid:
        return []
    totals = {pk: (total, credited) for pk, total, credited in
              Invoice.objects.filter(pk__in=paid).values_list("pk", "total", "amount_credited")}
    lines = list(InvoiceLine.objects.filter(invoice_id__in=paid).select_related("child", "activity"))
    line_credits = dict(
        CreditNoteLine.objects.filter(invoice_line__in=[line.pk for line in lines])
        .values("invoice_line").annotate(total=Sum("amount")).values_list("invoice_line", "total")
    )
    tariff_ids = {line.pricing.get("tariff") for line in lines if isinstance(line.pricing, dict)}
    childcare_tariffs = set(Tariff.objects.filter(pk__in=[t for t in tariff_ids if t], childcare_costs=True)
                            .values_list("pk", flat=True))
    born_from = eligible_birth_date(year)

    by_invoice = defaultdict(list)
    for line in lines:
        by_invoice[line.invoice_id].append(line)
    amounts = defaultdict(Decimal)
    activities = defaultdict(set)
    children = {}
    for invoice_id, invoice_lines in by_invoice.items():
        total, credited = totals[invoice_id]
        net = total - credited  # what the payments of the invoice pay, in all
        nets = {line.pk: line.amount - (line_credits.get(line.pk) or ZERO) for line in invoice_lines}
        lines_net = sum(nets.values(), ZERO)
        if net <= 0 or lines_net <= 0:
            continue
        share_paid = min(paid[invoice_id], net) / net  # the part of the invoice paid this year
        scale = net / lines_net  # credit notes of a plain amount, spread over the lines
        for line in invoice_lines:
            if not (line.pricing.get("tariff") in childcare_tariffs and not line.activity.serves_meal
                    and line.child.birth_date >= born_from and nets[line.pk] > 0):
                continue
            amounts[line.child_id] += nets[line.pk] * scale * share_paid
            activities[line.child_id].add(line.activity.name)
            children[line.child_id] = line.child
    rows = []
    for child_id, amount in amounts.items():
        rows.append({"child": children[child_id], "activities": sorted(activities[child_id]),
                     "amount": money(amount)})
    rows.sort(key=lambda row: (row["child"].birth_date, row["child"].pk))
    return [row for row in rows if row["amount"] > 0]
