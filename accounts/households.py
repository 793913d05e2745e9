"""Domain rules of the family file: who sees which household and which child.

A user reaches a household only through a ``Guardian`` record that points at the user
account; a child only through that guardian's ``GuardianChildRight`` row. Nobody sees a
household they are not linked to, and separated parents each see only the children
they hold rights on (Article IV 4.1: rights "pour des enfants précisément identifiés").

A link made online without the commune knowing the account's address
(``Guardian.rights_confirmed`` false, see ``accounts.family``) gives nothing until an
agent confirms it.

A household that chose paper (Article V 5.4, ``paper_only``) keeps the right to look at
its file, but no online operation (booking, paying) is allowed for it: agents act on
its behalf.
"""

from django.db.models import F, Q

from .models import Child, GuardianChildRight, Household

VIEW = "view"
BOOK = "book"
PAY = "pay"
RIGHTS = (VIEW, BOOK, PAY)
# Rights that are online operations, refused to paper-only households.
ONLINE_OPERATIONS = (BOOK, PAY)


def _is_portal_user(user):
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active and user.pk)


def households_for(user):
    """The households in which ``user`` is a guardian (one query when evaluated)."""
    if not _is_portal_user(user):
        return Household.objects.none()
    # (household, user) is unique on Guardian: no duplicate rows, no DISTINCT needed.
    # A link the commune has not confirmed yet (accounts.family.link_household) shows nothing.
    return Household.objects.filter(guardians__user=user, guardians__rights_confirmed=True)


def children_visible_to(user):
    """The children on which the user's guardian record holds ``can_view`` (one query)."""
    if not _is_portal_user(user):
        return Child.objects.none()
    # One filter() call: the conditions bear on the same right row. The guardian must
    # belong to the child's household, whatever a hand-made right row says.
    return Child.objects.filter(
        guardian_rights__guardian__user=user,
        guardian_rights__guardian__household=F("household"),
        guardian_rights__guardian__rights_confirmed=True,
        guardian_rights__can_view=True,
    )


def payer_guardians_for(user):
    """The guardian records through which ``user`` pays (for billing): one invoice per
    payer guardian, and a parent sees only the invoices whose payer is one of these, so
    that separated parents each see only their own (filter ``payer__in=...``)."""
    from .models import Guardian

    if not _is_portal_user(user):
        return Guardian.objects.none()
    return Guardian.objects.filter(user=user, rights_confirmed=True, is_payer=True)


def rights_filter(user, right, prefix=""):
    """A Q object selecting right rows of ``user`` that grant ``right`` (for use in other apps)."""
    _check_right(right)
    q = Q(**{f"{prefix}guardian__user": user, f"{prefix}guardian__rights_confirmed": True,
             f"{prefix}can_{right}": True})
    if right in ONLINE_OPERATIONS:
        q &= Q(**{f"{prefix}child__household__paper_only": False})
    return q


def user_can(user, child, right):
    """Whether ``user`` holds ``right`` ("view", "book" or "pay") on ``child`` (one query)."""
    _check_right(right)
    if not _is_portal_user(user) or child is None or child.pk is None:
        return False
    rows = GuardianChildRight.objects.filter(
        rights_filter(user, right),
        child_id=child.pk,
        guardian__household=F("child__household"),
    )
    return rows.exists()


def _check_right(right):
    if right not in RIGHTS:
        raise ValueError(f"Unknown right {right!r}: expected one of {', '.join(RIGHTS)}.")
