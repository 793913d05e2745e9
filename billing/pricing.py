"""Prices shown to parents before they confirm a booking change.

Contract used by services (the booking screens) and halls:

    price_for(household, child, activity, day, *, late=False) -> Decimal | None

the unit price the household would be charged for that child, activity and day under
the tariff in force (family quotient of the month, residence, child rank, late-booking
surcharge when ``late``); None when the activity has no tariff for that day. The same
functions compute the invoices (``billing.tariffs``), so the price shown is the price
charged.
"""

from .quotients import quotient_for
from .tariffs import child_rank, tariff_for, unit_price


def price_for(household, child, activity, day, *, late=False):
    """The unit price for one booked occurrence (a Decimal), or None without a tariff."""
    tariff = tariff_for(activity, day)
    if tariff is None:
        return None
    siblings = list(household.children.only("pk", "birth_date", "household_id"))
    price = unit_price(
        tariff,
        quotient=quotient_for(household, day),
        resident=household.is_resident,
        rank=child_rank(child, siblings),
        medical_plan=child.has_medical_plan,
        late=late,
    )
    return price.unit_price if price is not None else None
