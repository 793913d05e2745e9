"""The invoicing benchmark (bench/bench_invoicing.py) end to end at a tiny size: the real
monthly run on the generated commune invoices every household with facts, issues
numbers without gaps, a re-run invoices nothing twice, and the parent's invoice pages
read the same number of queries with one month and with a year of history (figures of
time not checked: no timed test)."""

import io

import pytest

pytestmark = pytest.mark.django_db


def test_the_invoicing_benchmark_runs_at_a_tiny_size():
    from bench.bench_invoicing import run
    from billing.models import Invoice, InvoiceLine

    out = io.StringIO()
    result = run(households=8, children=12, runs=2, memory=True, out=out)
    text = out.getvalue()

    month_run = result["run"]
    assert month_run.status == "finalised"
    assert month_run.invoices_created == result["issued"] >= 7  # one household has no booking yet
    lines = InvoiceLine.objects.filter(invoice__run=month_run)
    assert lines.count() == month_run.lines_created > 8 * 20
    statuses = set(lines.values_list("fact_status", flat=True))
    assert {"booked_present", "booked_absent"} <= statuses  # the attendance of the month was read
    sequences = sorted(Invoice.objects.filter(run=month_run).values_list("sequence_number", flat=True))
    assert sequences == list(range(sequences[0], sequences[0] + len(sequences)))  # no gap
    assert result["rerun"].lines_created == 0 and result["rerun"].facts_skipped == month_run.lines_created

    assert "peak memory" in text and "HTTP" not in text  # every page answered 200
    assert result["history"] == 11
    assert "list, a year of history (12 invoices)" in text
    # Issue 6: the invoice list and detail read a number of queries that does not grow
    # with the household's history.
    assert len(result["queries"]["list"]) == 1 and len(result["queries"]["detail"]) == 1, text
    assert "same number of queries whatever the history: list yes, detail of 2026-11 yes" in text
