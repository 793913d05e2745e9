"""Statistics show no group small enough to identify a family (Article 5.2).

The threshold is ``settings.PORTAL_STATISTICS_MIN_GROUP`` (environment variable of the
same name, 5 by default, at least 2): a deployment choice, never lowered from the admin.

``protect(figure)`` applies three rules, in this order, to every figure before a page,
a panel or an export shows it:

1. primary suppression: a cell about 1 to N-1 people (children, households, requests; for
   an amount, the households who paid or owe it) is shown ``< N``; zero stays zero;
2. related cells: in a figure whose series describe the same people (booked / present /
   absent), one hidden cell hides the rest of its row (``masqué``), so that one number
   cannot be worked out from the others;
3. totals (secondary suppression): a total over rows of which one is hidden is hidden
   (``masqué``), and so is a total about fewer than N people. Hiding the total, rather than
   a second cell, keeps the rule safe across periods: the month view of another month
   could otherwise show the complementary cell.

A percentage is hidden when any number it is computed from is hidden.

A figure marked ``operational`` (the agents' pending-work queues: enrolments to validate,
documents to check, absence justifications, change and GDPR requests...) is not a
statistic about people published outside: its counts are work to do, shown exact.
"""

from decimal import Decimal

from django.conf import settings

from .tables import SECONDARY, SMALL, TOTAL, Cell


def min_group():
    return settings.PORTAL_STATISTICS_MIN_GROUP


def is_small(population, threshold):
    return population is not None and 0 < population < threshold


def protect(figure, threshold=None):
    threshold = threshold or min_group()
    figure.threshold = threshold
    if figure.operational:
        threshold = 0  # exact counts: no cell is small (zero stays zero)
    value_series = figure.value_series
    for row in figure.rows:
        for series in value_series:
            cell = row.cells[series.key]
            if is_small(cell.population, threshold):
                cell.hidden = SMALL
        if figure.linked_rows and any(row.cells[s.key].is_hidden for s in value_series):
            for series in value_series:
                cell = row.cells[series.key]
                if not cell.is_hidden and cell.population is not None:
                    cell.hidden = SECONDARY
    figure.totals = {}
    for series in value_series:
        if not series.total:
            continue
        cells = [row.cells[series.key] for row in figure.rows]
        values = [cell.value for cell in cells if cell.value is not None]
        value = sum(values, Decimal("0") if any(isinstance(v, Decimal) for v in values) else 0)
        if series.key in figure.total_populations:
            population = figure.total_populations[series.key]
        elif all(cell.population is None for cell in cells):
            population = None
        else:
            population = sum(cell.population or 0 for cell in cells)
        total = Cell(value, population)
        if is_small(population, threshold):
            total.hidden = SMALL
        elif any(cell.is_hidden for cell in cells):
            total.hidden = SECONDARY
        figure.totals[series.key] = total
    for series in figure.series:
        if series.ratio is None:
            continue
        for row in figure.rows:
            row.cells[series.key] = _ratio(series, row.cells, figure.totals)
        if series.total:
            figure.totals[series.key] = _ratio(series, figure.totals, figure.totals)
    return figure


def _ratio(series, cells, totals):
    numerator_key, denominators = series.ratio
    numerator = cells.get(numerator_key)
    if denominators == TOTAL:
        parts = [totals.get(numerator_key)]
    else:
        parts = [cells.get(key) for key in denominators]
    if numerator is None or any(part is None for part in parts):
        return Cell(None)
    if numerator.is_hidden or any(part.is_hidden for part in parts):
        return Cell(None, hidden=SECONDARY)
    if numerator.value is None or any(part.value is None for part in parts):
        return Cell(None)  # e.g. places without limit: no rate
    denominator = sum(part.value for part in parts)
    if not denominator:
        return Cell(None)
    return Cell(round(float(numerator.value) * 100 / float(denominator), 1))
