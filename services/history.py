"""The history of booking changes (Article 10.3) as a parent reads it: the web screen
(``services.views_family.history``) and the family API (``/api/v1/history``) both use it.

- ``changes_for(user, child=None)``: the changes of the children ``user`` may see (or of
  one of them), newest first;
- ``authors(user)``: ``who(change)``, the author of a change in the reader's words: you,
  the other guardian by name, an agent of the commune for the family, or the portal (a
  place given from the waiting list).
"""

from django.utils.translation import gettext as _

from accounts.households import children_visible_to, households_for
from accounts.models import Guardian

from .models import BookingChange


def changes_for(user, child=None):
    children = children_visible_to(user) if child is None else children_visible_to(user).filter(pk=child.pk)
    return (BookingChange.objects.filter(child__in=children.values("pk")).select_related("activity", "child")
            .order_by("-at", "-id"))


def authors(user):
    """``who(change)`` (one query, whatever the number of changes)."""
    names = {g.user_id: f"{g.first_name} {g.last_name}".strip()
             for g in Guardian.objects.filter(household__in=households_for(user), user__isnull=False)}

    def who(change):
        if change.acting_for_family:
            return _("un agent de la commune, pour votre famille")
        if change.actor_id is None:
            return _("le portail (liste d'attente)")
        if change.actor_id == user.pk:
            return _("vous")
        if change.actor_id in names:
            return _("%(name)s (autre responsable)") % {"name": names[change.actor_id]}
        return _("un autre responsable de l'enfant")

    return who
