"""Unit prices from the tariffs staff edit (no price is written in the code).

How a price is found for one child, activity and day:

1. the activity's tariff valid that day (``valid_from`` ≤ day ≤ ``valid_until``);
2. the household's family quotient for that month (``billing.quotients``: a change
   applies from the next month; no valid proof of income → none);
3. the base price: for a bracket tariff, the bracket whose quotient range holds the
   quotient and whose ``min_rank`` is the highest one not above the child's rank
   (without a quotient: the highest bracket); for an effort-rate tariff, the quotient ×
   the rate, kept between the minimum and the maximum (without a quotient: the
   maximum);
4. a non-resident household pays the tariff's non-resident price when one is set;
5. a child with a medical plan (PAI) pays the tariff's PAI price when one is set
   (this wins over 4: the family brings the meal);
6. a presence without booking costs the unbooked price when set, otherwise the price
   above plus the unbooked surcharge; a late booking costs the price above plus the
   late-booking surcharge;
7. amounts are rounded to the cent, half up.

The child's rank (``child_rank``) is its place among all the children of the household,
oldest first (birth date, then the record's id for twins): deterministic, and the same
for every activity and every month.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from services import billable

from .models import Tariff

CENT = Decimal("0.01")
HUNDRED = Decimal("100")

# What each billable status does with the price.
CHARGED = {billable.BOOKED_PRESENT, billable.BOOKED_ABSENT, billable.BOOKED_NOT_RECORDED, billable.CANCELLED_LATE}
SHOWN_FREE = {billable.BOOKED_ABSENT_JUSTIFIED}
SURCHARGED = {billable.PRESENT_UNBOOKED}
NOT_INVOICED = {billable.CANCELLED_IN_TIME}


def money(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Price:
    unit_price: Decimal
    detail: dict = field(default_factory=dict)


def child_rank(child, siblings):
    """The 1-based rank of ``child`` among ``siblings`` (the household's children), oldest first."""
    ordered = sorted(siblings, key=lambda c: (c.birth_date, c.pk))
    for position, sibling in enumerate(ordered, start=1):
        if sibling.pk == child.pk:
            return position
    return len(ordered) + 1


def ranks_by_child(children):
    """{child id: rank} for children of possibly several households (one pass)."""
    by_household = {}
    for child in children:
        by_household.setdefault(child.household_id, []).append(child)
    ranks = {}
    for siblings in by_household.values():
        for position, child in enumerate(sorted(siblings, key=lambda c: (c.birth_date, c.pk)), start=1):
            ranks[child.pk] = position
    return ranks


def base_price(tariff, *, quotient, rank):
    """(price, detail) before the special cases, for a quotient (None: no proof) and a rank."""
    if tariff.method == Tariff.Method.EFFORT_RATE:
        if quotient is None:
            return money(tariff.effort_rate_maximum), {"method": "effort_rate", "capped": "maximum", "qf": None}
        raw = quotient * tariff.effort_rate_percent / HUNDRED
        price = min(max(raw, tariff.effort_rate_minimum), tariff.effort_rate_maximum)
        return money(price), {"method": "effort_rate", "qf": str(quotient), "rate": str(tariff.effort_rate_percent)}

    brackets = list(tariff.brackets.all())
    if not brackets:
        return None, {}
    applicable = [b for b in brackets if b.min_rank <= rank] or brackets
    if quotient is None:
        top = max(b.qf_min for b in applicable)
        candidates = [b for b in applicable if b.qf_min == top]
    else:
        candidates = [b for b in applicable if b.covers(quotient)]
        if not candidates:
            # Above every range (or a gap in the grid): the highest bracket, never a cheaper one.
            top = max(b.qf_min for b in applicable)
            candidates = [b for b in applicable if b.qf_min == top]
    best_rank = max(b.min_rank for b in candidates)
    bracket = min((b for b in candidates if b.min_rank == best_rank), key=lambda b: (b.qf_min, b.pk or 0))
    return money(bracket.price), {
        "method": "brackets", "bracket": bracket.label, "qf": (str(quotient) if quotient is not None else None),
        "rank": rank,
    }


def unit_price(tariff, *, quotient, resident, rank, medical_plan, unbooked=False, late=False):
    """The unit price of one occurrence under ``tariff`` (a Price), or None without a grid."""
    price, detail = base_price(tariff, quotient=quotient, rank=rank)
    if price is None:
        return None
    detail = dict(detail, resident=bool(resident))
    if not resident and tariff.non_resident_price is not None:
        price = money(tariff.non_resident_price)
        detail["non_resident"] = True
    if medical_plan and tariff.medical_plan_price is not None:
        price = money(tariff.medical_plan_price)
        detail["medical_plan"] = True
    if unbooked:
        if tariff.unbooked_price is not None:
            price = money(tariff.unbooked_price)
        else:
            price = money(price * (HUNDRED + tariff.unbooked_surcharge_percent) / HUNDRED)
        detail["unbooked"] = True
    elif late and tariff.late_surcharge_percent:
        price = money(price * (HUNDRED + tariff.late_surcharge_percent) / HUNDRED)
        detail["late"] = True
    return Price(price, detail)


class TariffBook:
    """Every tariff (with its brackets) of some activities, loaded in two queries."""

    def __init__(self, activity_ids=None):
        qs = Tariff.objects.prefetch_related("brackets").order_by("activity_id", "valid_from")
        if activity_ids is not None:
            qs = qs.filter(activity_id__in=list(activity_ids))
        self.by_activity = {}
        for tariff in qs:
            self.by_activity.setdefault(tariff.activity_id, []).append(tariff)

    def tariff_for(self, activity_id, day):
        found = None
        for tariff in self.by_activity.get(activity_id, ()):
            if tariff.is_valid_on(day):
                found = tariff
        return found


def tariff_for(activity, day):
    """The tariff of ``activity`` valid on ``day``, or None."""
    return TariffBook([activity.pk]).tariff_for(activity.pk, day)
