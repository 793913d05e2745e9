"""Prices shown to parents before they confirm a booking change.

Contract used by services (the booking screens) and halls:

    price_for(household, child, activity, day, *, late=False) -> Decimal | None

the unit price the household would be charged for that child, activity and day under
the tariff in force (family quotient of the month, residence, child rank, late-booking
surcharge when ``late``); None when the activity has no tariff for that day.
"""


def price_for(household, child, activity, day, *, late=False):
    """The unit price for one occurrence (issue 6 fills this in)."""
    return None
