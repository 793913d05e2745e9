"""The hiding of small groups (dashboards.privacy) on figures built by hand: no visible
number, alone or with a total, gives back a group smaller than the threshold."""

import itertools
from decimal import Decimal

from dashboards.privacy import min_group, protect
from dashboards.tables import MONEY, PERCENT, SECONDARY, SMALL, TOTAL, Cell, Figure, Row, Series


def figure(columns, *, linked=False, populations=None, series=None):
    """``columns``: {series key: [values per row]} (the value is also the population)."""
    keys = list(columns)
    rows = [Row(f"r{i}", f"ligne {i}", {key: Cell(columns[key][i], columns[key][i]) for key in keys})
            for i in range(len(columns[keys[0]]))]
    return Figure("essai", "Essai", "…", "Ligne", series or [Series(key, key) for key in keys], rows,
                  total_populations=populations or {}, linked_rows=linked)


def visible_numbers(protected):
    return [cell.value for row in protected.rows for cell in row.cells.values() if not cell.is_hidden] + \
        [cell.value for cell in protected.totals.values() if not cell.is_hidden]


def test_the_default_threshold_is_five(settings):
    assert min_group() == 5
    settings.PORTAL_STATISTICS_MIN_GROUP = 10
    assert min_group() == 10


def test_a_small_cell_is_shown_as_small_and_its_total_hidden():
    protected = protect(figure({"n": [12, 3, 0, 8]}), 5)
    assert [row.cells["n"].hidden for row in protected.rows] == ["", SMALL, "", ""]
    assert protected.totals["n"].hidden == SECONDARY and protected.totals["n"].value == 23
    assert 3 not in visible_numbers(protected) and 23 not in visible_numbers(protected)


def test_zero_is_not_a_group_and_big_groups_show_with_their_total():
    protected = protect(figure({"n": [12, 0, 5]}), 5)
    assert not protected.has_hidden
    assert protected.totals["n"].value == 17


def test_a_total_about_a_small_group_is_small():
    protected = protect(figure({"n": [0, 0, 4]}), 5)
    assert protected.totals["n"].hidden == SMALL


def test_no_combination_of_visible_numbers_gives_a_hidden_cell_back():
    """For many small tables: the hidden cells cannot be the difference between a visible
    total and visible cells, because a total over a hidden cell is never visible."""
    for values in itertools.product([0, 1, 4, 5, 9], repeat=3):
        protected = protect(figure({"a": list(values), "b": [v + 5 for v in values]}), 5)
        for key in ("a", "b"):
            cells = [row.cells[key] for row in protected.rows]
            if any(cell.is_hidden for cell in cells):
                assert protected.totals[key].is_hidden, values
            for cell in cells:
                assert cell.is_hidden == (0 < cell.value < 5), values


def test_related_cells_of_a_row_are_hidden_together():
    protected = protect(figure({"booked": [6, 9], "present": [5, 9], "absent": [1, 0]}, linked=True), 5)
    assert [cell.hidden for cell in protected.rows[0].cells.values()] == [SECONDARY, SECONDARY, SMALL]
    assert not any(cell.hidden for cell in protected.rows[1].cells.values())


def test_amounts_are_hidden_by_the_households_behind_them():
    series = [Series("paid", "Payé", MONEY)]
    rows = [Row("a", "A", {"paid": Cell(Decimal("900.00"), 2)}), Row("b", "B", {"paid": Cell(Decimal("10.00"), 7)})]
    protected = protect(Figure("x", "X", "…", "L", series, rows, total_populations={"paid": 8}), 5)
    assert rows[0].cells["paid"].hidden == SMALL and not rows[1].cells["paid"].hidden
    assert protected.totals["paid"].hidden == SECONDARY


def test_a_rate_is_hidden_with_what_it_is_computed_from():
    series = [Series("a", "A"), Series("b", "B"), Series("share", "Part", PERCENT, ratio=("a", ["a", "b"]))]
    protected = protect(figure({"a": [6, 2], "b": [6, 8]}, series=series), 5)
    assert protected.rows[0].cells["share"].value == 50.0
    assert protected.rows[1].cells["share"].hidden == SECONDARY
    assert protected.totals["share"].hidden == SECONDARY
    share_of_total = [Series("n", "N"), Series("share", "Part", PERCENT, total=False, ratio=("n", TOTAL))]
    protected = protect(figure({"n": [6, 14]}, series=share_of_total), 5)
    assert [row.cells["share"].value for row in protected.rows] == [30.0, 70.0]
