"""The household's history as a parent reads it: the audit events of the household that
concern no child or a child the reader holds rights on, and no other guardian's own
records (a separated parent never sees the other's invoices, payments or contact
changes), with readable French labels."""

from django.db.models import Q
from django.utils.translation import gettext as _

from .households import children_visible_to
from .models import AuditEvent, Authorisation, AuthorisedPerson, ChangeRequest, Child, Guardian, Household

_LABEL_MODELS = (Household, Guardian, Child, AuthorisedPerson, Authorisation, ChangeRequest)
EXTRA_LABELS = {
    "kind": "autorisation", "granted": "accordée", "given_by": "donnée par", "given_at": "donnée le",
    "decision": "décision", "reason": "motif", "record": "fiche", "guardian": "responsable",
    "confirmed": "confirmé", "email": "adresse e-mail", "code": "code famille",
}


def field_label(name):
    for model in _LABEL_MODELS:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001 - not a field of this model
            continue
    return EXTRA_LABELS.get(name, name.replace("_", " "))


_CHOICES = {
    "family_situation": dict(Household.FamilySituation.choices),
    "family_quotient_source": dict(Household.QuotientSource.choices),
    "diet": dict(Child.Diet.choices),
    "class_level": dict(Child.ClassLevel.choices),
    "kind": dict(Authorisation.Kind.choices),
}


def value_label(name, value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if name in _CHOICES and value in _CHOICES[name]:
        return str(_CHOICES[name][value])
    return str(value)


def changes_of(event):
    """[(label, before, after)] for the fields an event changed."""
    before, after = event.before or {}, event.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return []
    rows = []
    for name in list(dict.fromkeys([*before, *after])):
        rows.append((field_label(name), value_label(name, before.get(name)), value_label(name, after.get(name))))
    return rows


def events_for(user, household):
    """The events of ``household`` the user may read, newest first (a queryset)."""
    visible_children = list(children_visible_to(user).filter(household=household).values_list("pk", flat=True))
    own = list(Guardian.objects.filter(household=household, user=user).values_list("pk", flat=True))
    return (AuditEvent.objects.filter(household=household)
            .filter(Q(child__isnull=True) | Q(child_id__in=visible_children))
            .filter(Q(guardian__isnull=True) | Q(guardian_id__in=own))
            .order_by("-occurred_at", "-id"))


def readable(events, user, household):
    """Dicts ready for the template; the authors named as the reader knows them."""
    names = {g.user_id: str(g) for g in Guardian.objects.filter(household=household, user__isnull=False)}
    rows = []
    for event in events:
        if event.actor_id == user.pk:
            who = _("vous")
        elif event.acting_for_family:
            who = _("un agent de la commune")
        elif event.actor_id in names:
            who = names[event.actor_id]
        elif event.actor_id is None:
            who = _("le système")
        else:
            who = _("un agent de la commune")
        rows.append({"event": event, "when": event.occurred_at, "action": event.get_action_display(),
                     "who": who, "via_api": event.channel == AuditEvent.Channel.API, "summary": event.summary, "changes": changes_of(event)})
    return rows
