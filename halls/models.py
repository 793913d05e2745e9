"""Hall hire: requests, approval, prices, deposits and cancellation fees (issue 5)."""
