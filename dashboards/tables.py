"""What a statistic is made of: a figure is a table of rows (activities, months, stages...)
and series (the columns: counts, amounts, rates); each cell keeps its value and the number
of people behind it, so that ``dashboards.privacy`` can hide the small groups.

Figures hold aggregated numbers only: a row is a category, never a person or a family."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

SMALL = "small"  # fewer people than the threshold: shown "< N"
SECONDARY = "secondary"  # hidden so that a total or a related cell cannot reveal a small group

COUNT = "count"
MONEY = "money"
PERCENT = "percent"
PLACES = "places"  # a number of places offered: not about people, never hidden
TOTAL = "__total__"
CENTS = Decimal("0.01")  # as a ratio's denominator: the total of the numerator's series


@dataclass
class Cell:
    value: object = 0  # int, Decimal, float (a percentage) or None (not applicable)
    population: int | None = None  # people or households behind the value; None: nobody (capacity)
    hidden: str = ""

    @property
    def is_hidden(self):
        return bool(self.hidden)


@dataclass
class Series:
    key: str
    label: str
    kind: str = COUNT
    total: bool = True  # additive over the rows: the figure gives its total
    chart: bool = True  # drawn in the chart
    ratio: tuple | None = None  # a percentage: (numerator key, [denominator keys] or TOTAL)


@dataclass
class Row:
    key: str
    label: str
    cells: dict


@dataclass
class Figure:
    key: str
    title: str
    description: str
    row_heading: str
    series: list
    rows: list
    # Distinct people behind each series' total, when it is not the sum of the rows'
    # (the same household may pay in several months).
    total_populations: dict = field(default_factory=dict)
    # The series of a row are related (booked, present, absent): one hidden cell hides the row.
    linked_rows: bool = False
    # Operational work counts (the agents' queues: requests to decide, documents to
    # check...): not statistics about people, shown exact everywhere (page, panel, export).
    operational: bool = False
    notes: list = field(default_factory=list)
    totals: dict = field(default_factory=dict)
    threshold: int | None = None  # set by dashboards.privacy.protect

    @property
    def value_series(self):
        return [series for series in self.series if series.ratio is None]

    @property
    def chart_series(self):
        return [series for series in self.series if series.chart]

    @property
    def has_totals(self):
        return any(series.total for series in self.series)

    @property
    def has_hidden(self):
        cells = [cell for row in self.rows for cell in row.cells.values()] + list(self.totals.values())
        return any(cell.is_hidden for cell in cells)


def format_value(value, kind):
    if value is None:
        return "—"
    if kind == MONEY:
        return f"{number_format(Decimal(value), 2, force_grouping=True)} €"
    if kind == PERCENT:
        return f"{number_format(value, 1, force_grouping=True)} %"
    return number_format(value, 0, force_grouping=True)


def hidden_text(cell, threshold):
    if cell.hidden == SMALL:
        return f"< {threshold}"
    return _("masqué")


def display(cell, series, threshold):
    """The cell as the page shows it."""
    if cell.is_hidden:
        return hidden_text(cell, threshold)
    return format_value(cell.value, series.kind)


def export_value(cell, series, threshold):
    """The cell as an export holds it: the number, or the same marker as the page."""
    if cell.is_hidden:
        return hidden_text(cell, threshold)
    if cell.value is None:
        return ""
    if series.kind == PERCENT:
        return round(float(cell.value), 1)
    if series.kind == MONEY:
        return Decimal(cell.value).quantize(CENTS)
    return cell.value
