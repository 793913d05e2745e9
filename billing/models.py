"""Invoices, payments, tariffs and the PayFiP adapter (issue 6)."""
