"""Wagtail hooks through which the apps contribute to shared features.

- ``portal_space_links`` (accounts.views.space_links): ``fn(request) -> list`` of
  ``{"label", "url", "description"?, "order"?}`` shown in the parent's space.
- ``portal_household_export``: ``fn(household, user) -> (section title, list of dicts)``;
  the GDPR "download my data" export (accounts) puts every app's section in it, so that
  it holds every kind of record the portal keeps on a household.
- ``portal_periodic_jobs``: ``fn() -> list`` of ``{"name", "every" (timedelta),
  "run" (callable(now))}``; the scheduler (ops) runs each job at that interval (reminders,
  PayFiP polling, document expiry, purges...). Jobs must be idempotent.
- ``portal_account_closed``: ``fn(user)``, called inside the transaction that closes an
  account (accounts.closing): each app removes the account's own ways in without a
  password (API tokens, iCalendar addresses...).
"""

from wagtail import hooks

SPACE_LINKS = "portal_space_links"
HOUSEHOLD_EXPORT = "portal_household_export"
PERIODIC_JOBS = "portal_periodic_jobs"
ACCOUNT_CLOSED = "portal_account_closed"


def collect(name, *args):
    """Call every function registered for hook ``name`` and return their results."""
    return [fn(*args) for fn in hooks.get_hooks(name)]
