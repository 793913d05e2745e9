"""Which family quotient the billing uses for a household and a month.

Rule (domain.md, "a QF change applies from the next month, never retroactively"):

- every change of a household's quotient, its source or its validity date writes a
  ``QuotientRecord`` that applies from the first day of the month after the change
  (``record_change``, called by a ``post_save`` receiver on ``accounts.Household``);
- the quotient of a month is the most recent record that applies on the first day of
  that month; it is usable only if it has a value and its proof is still valid on the
  day charged (``family_quotient_valid_until``); otherwise there is no valid proof of
  income and the tariff's highest bracket applies;
- a household the billing has no record for (created before the billing app, or whose
  records were never written) is recorded once with its current values, applying from
  the first day of the current month: the current month and later use it, earlier
  months never do.
"""

import datetime

from django.utils import timezone

from .models import QuotientRecord


def first_of_month(day):
    return day.replace(day=1)


def first_of_next_month(day):
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _snapshot(household):
    return (household.family_quotient, household.family_quotient_source or "", household.family_quotient_valid_until)


def _record_snapshot(record):
    return (record.quotient, record.source or "", record.valid_until)


def record_change(household, *, today=None, applies_from=None):
    """Write a record when the household's quotient differs from the last one known.
    Returns the new record, or None when nothing changed."""
    today = today or timezone.localdate()
    last = QuotientRecord.objects.filter(household=household).order_by("-applies_from", "-recorded_at", "-id").first()
    if last is not None and _snapshot_equal(_record_snapshot(last), _snapshot(household)):
        return None
    quotient, source, valid_until = _snapshot(household)
    if applies_from is None:
        applies_from = first_of_next_month(today) if last is not None else first_of_month(today)
    return QuotientRecord.objects.create(
        household=household, quotient=quotient, source=source, valid_until=valid_until, applies_from=applies_from
    )


def _snapshot_equal(a, b):
    qa, sa, va = a
    qb, sb, vb = b
    same_quotient = (qa is None and qb is None) or (qa is not None and qb is not None and qa == qb)
    return same_quotient and sa == sb and va == vb


def on_household_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        # A new household's first quotient applies from the month after it is set.
        if instance.family_quotient is not None:
            record_change(instance, applies_from=first_of_next_month(timezone.localdate()))
        else:
            record_change(instance)
        return
    record_change(instance)


class QuotientBook:
    """The records of many households, loaded in one query, for a whole run."""

    def __init__(self, household_ids=None, records=None):
        if records is None:
            qs = QuotientRecord.objects.order_by("household_id", "applies_from", "recorded_at", "id")
            if household_ids is not None:
                qs = qs.filter(household_id__in=list(household_ids))
            records = list(qs.only("household_id", "quotient", "source", "valid_until", "applies_from",
                                   "recorded_at"))
        self.by_household = {}
        for record in records:
            self.by_household.setdefault(record.household_id, []).append(record)

    def record_for(self, household_id, day):
        """The record in force for the month of ``day`` (None: no record applies yet)."""
        month_start = first_of_month(day)
        found = None
        for record in self.by_household.get(household_id, ()):
            if record.applies_from <= month_start:
                found = record
            else:
                break
        return found

    def quotient_for(self, household_id, day):
        """The usable quotient for ``day`` (None: no valid proof of income)."""
        record = self.record_for(household_id, day)
        if record is None or record.quotient is None:
            return None
        if record.valid_until is not None and record.valid_until < day:
            return None
        return record.quotient


def ensure_records(household_ids, *, today=None):
    """Record the current quotient of the households the billing knows nothing of yet
    (applies from the first day of the current month). Returns how many were written."""
    from accounts.models import Household

    known = set(QuotientRecord.objects.filter(household_id__in=list(household_ids))
                .values_list("household_id", flat=True).distinct())
    missing = [pk for pk in household_ids if pk not in known]
    today = today or timezone.localdate()
    written = 0
    for household in Household.objects.filter(pk__in=missing):
        record_change(household, today=today)
        written += 1
    return written


def quotient_for(household, day):
    """The usable quotient of ``household`` for a charge on ``day``."""
    book = QuotientBook([household.pk])
    if not book.by_household.get(household.pk):
        ensure_records([household.pk])
        book = QuotientBook([household.pk])
    return book.quotient_for(household.pk, day)
