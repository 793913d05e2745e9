"""What every enrolment, booking and absence operation checks first: who is acting,
for which child, and in which words a refusal is told.

- ``actor_for(user, child, *, override)`` decides whether ``user`` may act for
  ``child`` (a parent holding the booking right, past the regulation gate, in a
  household that did not choose paper; or an agent of the commune) and whether the
  staff override is allowed. Every domain function calls it before any write.
- ``Refusal`` carries a stable ``code`` (for tests and the JSON API) and a message in
  the active language (French by default, English on /en/ pages).
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from accounts.households import BOOK, VIEW, user_can

from .calendars import PARIS

BOOKING_PERMISSION = "services.change_booking"


class Refusal(Exception):
    """An operation refused for a reason the user can read; nothing was written."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message
        self.missing = []

    def __str__(self):
        return str(self.message)


# Formatting in the active language -------------------------------------------------

def format_day(day):
    """« jeudi 10 décembre 2026 » / "Thursday 10 December 2026"."""
    return formats.date_format(day, "l j F Y")


def format_moment(moment):
    """« jeudi 10 décembre 2026 à 12:00 » (Paris time)."""
    local = moment.astimezone(PARIS)
    return _("%(day)s à %(time)s") % {"day": format_day(local.date()), "time": local.strftime("%H:%M")}


# Who acts ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Actor:
    user: object
    is_agent: bool
    override: bool

    @property
    def acting_for_family(self):
        return self.is_agent


def is_agent(user):
    """A member of staff allowed to book and cancel on a family's behalf."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_staff
        and user.has_perm(BOOKING_PERMISSION)
    )


def actor_for(user, child, *, override=False, right=BOOK):
    """The ``Actor`` allowed to act for ``child``, or raise ``Refusal``.

    Parents: they must see the child, hold ``right`` on it, belong to a household that
    did not choose paper, and have accepted the regulation in force. Agents (staff with
    the booking permission) act for any family; only they may use ``override``."""
    from home.acceptance import acceptance_refusal

    if is_agent(user):
        return Actor(user=user, is_agent=True, override=bool(override))
    if override:
        raise Refusal("override_not_allowed", _("Seul un agent de la commune peut déroger aux règles."))
    if user is None or not getattr(user, "is_authenticated", False) or not user_can(user, child, VIEW):
        raise Refusal("not_allowed", _("Vous n'avez pas de droits sur cet enfant."))
    if child.household.paper_only:
        raise Refusal(
            "paper_only",
            _("Ce foyer a choisi les démarches papier : adressez-vous au service, qui fera la démarche pour vous."),
        )
    if not user_can(user, child, right):
        raise Refusal("not_allowed", _("Vous n'avez pas le droit d'inscrire ou de réserver pour cet enfant."))
    refusal = acceptance_refusal(user)
    if refusal:
        raise Refusal("regulation_not_accepted", refusal)
    return Actor(user=user, is_agent=False, override=False)


def age_on(birth_date, day):
    """Age in whole years on ``day``."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def missing_documents_for(household, child, activity, day):
    """The names of the required documents missing or expired on ``day`` (documents area)."""
    from documents.rules import missing_documents

    return [str(name) for name in missing_documents(household, child, activity, day)]


def documents_message(missing):
    """The refusal for documents not in order; each name carries its state (missing,
    « en attente de validation », « document refusé », « valable jusqu'au … »)."""
    return _("Il manque une pièce justificative en règle : %(names)s.") % {"names": ", ".join(missing)}


def documents_refusal(missing):
    refusal = Refusal("document_missing", documents_message(missing))
    refusal.missing = list(missing)
    return refusal


def local_date(now):
    """The date in Paris at the aware moment ``now``."""
    if now.tzinfo is None:
        raise ValueError("« now » doit être une date et heure avec fuseau (timezone.now()).")
    return now.astimezone(PARIS).date()


def midnight_after(day):
    from .deadlines import local_datetime

    return local_datetime(day + dt.timedelta(days=1), dt.time(0, 0))
