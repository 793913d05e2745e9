"""Domain rules of the family file as parents and agents change it.

Who may change what (decided here, enforced on the server whatever is posted):

- a guardian whose link is confirmed changes the household's contact details and the
  household fields the commune does not check (``direct_household_fields``); the fields
  it checks (``settings.PORTAL_CHECKED_HOUSEHOLD_FIELDS``: address, family situation,
  family quotient by default) become change requests that an agent accepts or refuses
  with a reason, the old value kept;
- a guardian changes their own guardian record (phones, e-mail), never another's;
- a guardian holding the ``book`` right on a child changes the child's diet, allergies
  and doctor, its authorised persons and its authorisations (the PAI flag, identity,
  school and class stay with the commune); ``view`` alone reads;
- every write first passes the regulation gate (``home.acceptance.acceptance_refusal``);
  a paper-only household (Article 5.4) gets no online change: agents make them;
- every change is one audit event with before/after, written in the same transaction.

Linking an account to the household the commune holds (``link_household``): the
household code printed on invoices plus one child's birth date. When one of the
household's guardian records carries the account's (verified) e-mail address, the
account takes that record and the rights the commune set on it. Otherwise a new
guardian record is made with no right and ``rights_confirmed`` false: an agent checks
the person's identity and sets the rights in the admin ("Rattachements à confirmer");
until then the account sees nothing of the household. Attempts are rate-limited and
traced, and the household's other addresses are told of a new link.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.notifications import notify

from .audit import CONTACT_FIELDS, client_ip, json_value, record
from .households import user_can
from .models import (
    AuditEvent,
    Authorisation,
    AuthorisedPerson,
    ChangeRequest,
    Guardian,
    Household,
)
from .ratelimit import RateLimitExceeded, limit_or_raise

# Household fields a parent may change (directly or through a change request).
PARENT_EDITABLE_HOUSEHOLD_FIELDS = [
    "address_line1", "address_line2", "postcode", "city", "phone_home", "phone_mobile", "email",
    "family_situation", "family_quotient", "family_quotient_source",
]
GUARDIAN_FIELDS = ["phone_mobile", "phone_home", "phone_work", "email"]
CHILD_FIELDS = ["diet", "allergies", "doctor_name", "doctor_phone"]
AUTHORISED_PERSON_FIELDS = ["first_name", "last_name", "relationship", "phone", "valid_from", "valid_until"]


class FamilyRefused(Exception):
    """An operation refused, with the French message the parent or agent sees."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def checked_household_fields():
    return [f for f in settings.PORTAL_CHECKED_HOUSEHOLD_FIELDS if f in PARENT_EDITABLE_HOUSEHOLD_FIELDS]


def direct_household_fields():
    checked = set(checked_household_fields())
    return [f for f in PARENT_EDITABLE_HOUSEHOLD_FIELDS if f not in checked]


def _gate(user, household):
    from home.acceptance import acceptance_refusal

    refusal = acceptance_refusal(user)
    if refusal:
        raise FamilyRefused(refusal)
    # Read from the database: an agent may have switched the household to paper meanwhile.
    if Household.objects.filter(pk=household.pk, paper_only=True).exists():
        raise FamilyRefused(_("Ce foyer a choisi les démarches papier : les modifications se font auprès des "
                              "services de la commune."))


def own_guardian(user, household):
    """The user's confirmed guardian record in ``household``, or None."""
    return Guardian.objects.filter(household=household, user=user, rights_confirmed=True).first()


def _require_guardian(user, household):
    guardian = own_guardian(user, household)
    if guardian is None:
        raise FamilyRefused(_("Votre compte n'est pas responsable de ce foyer."))
    return guardian


def _require_book_right(user, child):
    if not user_can(user, child, "book"):
        raise FamilyRefused(_("Vous pouvez consulter la fiche de cet enfant, mais pas la modifier."))


def _changes(instance, values, fields):
    before, after = {}, {}
    for name in fields:
        if name not in values:
            continue
        old, new = getattr(instance, name), values[name]
        if old != new:
            before[name], after[name] = json_value(old), json_value(new)
    return before, after


def _apply(instance, values, fields):
    for name in fields:
        if name in values:
            setattr(instance, name, values[name])
    try:
        instance.full_clean()
    except ValidationError as error:
        raise FamilyRefused(" ".join(error.messages)) from error
    instance.save()


def _action_for(after):
    return AuditEvent.Action.CONTACT_CHANGE if set(after) & CONTACT_FIELDS else AuditEvent.Action.FAMILY_CHANGE


# --- direct edits ---------------------------------------------------------------------


def update_household(user, household, values, *, request=None):
    """Apply the direct fields of ``values`` (others are ignored); returns the event or None."""
    _gate(user, household)
    _require_guardian(user, household)
    fields = direct_household_fields()
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        before, after = _changes(household, values, fields)
        if not after:
            return None
        _apply(household, values, list(after))
        return record(_action_for(after), actor=user, household=household, obj=household, request=request,
                      summary="Coordonnées du foyer modifiées", before=before, after=after)


def update_guardian(user, guardian, values, *, request=None):
    if guardian.user_id != user.pk or not guardian.rights_confirmed:
        raise FamilyRefused(_("Vous ne pouvez modifier que votre propre fiche de responsable."))
    _gate(user, guardian.household)
    with transaction.atomic():
        guardian = Guardian.objects.select_for_update().get(pk=guardian.pk)
        before, after = _changes(guardian, values, GUARDIAN_FIELDS)
        if not after:
            return None
        _apply(guardian, values, list(after))
        return record(_action_for(after), actor=user, household=guardian.household, obj=guardian, request=request,
                      summary=f"Coordonnées de {guardian} modifiées", before=before, after=after)


def update_child(user, child, values, *, request=None):
    _gate(user, child.household)
    _require_book_right(user, child)
    with transaction.atomic():
        child = type(child).objects.select_for_update().get(pk=child.pk)
        before, after = _changes(child, values, CHILD_FIELDS)
        if not after:
            return None
        _apply(child, values, list(after))
        return record(AuditEvent.Action.FAMILY_CHANGE, actor=user, household=child.household, obj=child,
                      request=request, summary=f"Fiche de {child.first_name} modifiée", before=before, after=after)


def _person_values(person):
    return {name: json_value(getattr(person, name)) for name in AUTHORISED_PERSON_FIELDS}


def add_authorised_person(user, child, values, *, request=None):
    _gate(user, child.household)
    _require_book_right(user, child)
    with transaction.atomic():
        person = AuthorisedPerson(child=child)
        _apply(person, values, AUTHORISED_PERSON_FIELDS)
        record(AuditEvent.Action.CONTACT_CHANGE, actor=user, household=child.household, obj=person, request=request,
               summary=f"Personne autorisée ajoutée pour {child.first_name} : {person}", before=None,
               after=_person_values(person))
    return person


def update_authorised_person(user, person, values, *, request=None):
    child = person.child
    _gate(user, child.household)
    _require_book_right(user, child)
    with transaction.atomic():
        person = AuthorisedPerson.objects.select_for_update().get(pk=person.pk)
        before, after = _changes(person, values, AUTHORISED_PERSON_FIELDS)
        if not after:
            return None
        _apply(person, values, list(after))
        return record(AuditEvent.Action.CONTACT_CHANGE, actor=user, household=child.household, obj=person,
                      request=request, summary=f"Personne autorisée modifiée pour {child.first_name} : {person}",
                      before=before, after=after)


def remove_authorised_person(user, person, *, request=None):
    child = person.child
    _gate(user, child.household)
    _require_book_right(user, child)
    with transaction.atomic():
        record(AuditEvent.Action.CONTACT_CHANGE, actor=user, household=child.household, obj=person, child=child,
               request=request, summary=f"Personne autorisée retirée pour {child.first_name} : {person}",
               before=_person_values(person), after=None)
        person.delete()


def set_authorisations(user, child, answers, *, request=None, now=None, given_by=None):
    """Record each kind whose answer changes (``answers``: kind -> bool), given by the
    user's guardian record (or, for an agent acting on paper, ``given_by``) now."""
    now = now or timezone.now()
    if given_by is None:
        _gate(user, child.household)
        _require_book_right(user, child)
        given_by = _require_guardian(user, child.household)
    events = []
    with transaction.atomic():
        current = {a.kind: a for a in Authorisation.objects.select_for_update().filter(child=child)}
        for kind in Authorisation.Kind.values:
            if kind not in answers:
                continue
            granted = bool(answers[kind])
            existing = current.get(kind)
            if existing is not None and existing.granted == granted:
                continue
            before = None if existing is None else {
                "kind": kind, "granted": existing.granted,
                "given_by": str(existing.given_by) if existing.given_by_id else "",
                "given_at": json_value(existing.given_at)}
            authorisation, _created = Authorisation.objects.update_or_create(
                child=child, kind=kind, defaults={"granted": granted, "given_by": given_by, "given_at": now})
            label = Authorisation.Kind(kind).label
            events.append(record(
                AuditEvent.Action.AUTHORISATION, actor=user, household=child.household, obj=authorisation,
                request=request,
                summary=f"{label} {'accordée' if granted else 'refusée'} pour {child.first_name} par {given_by}",
                before=before,
                after={"kind": kind, "granted": granted, "given_by": str(given_by), "given_at": json_value(now)},
            ))
    return events


# --- change requests --------------------------------------------------------------------


def request_change(user, household, values, *, comment="", request=None):
    """A change request for the checked fields of ``values`` that differ from the file."""
    _gate(user, household)
    _require_guardian(user, household)
    fields = checked_household_fields()
    before, after = _changes(household, values, fields)
    if not after:
        raise FamilyRefused(_("Aucune modification : les valeurs indiquées sont celles de la fiche."))
    pending = ChangeRequest.objects.filter(household=household, status=ChangeRequest.Status.PENDING)
    busy = {name for cr in pending for name in cr.changes} & set(after)
    if busy:
        labels = ", ".join(str(Household._meta.get_field(n).verbose_name) for n in sorted(busy))
        raise FamilyRefused(_("Une demande est déjà en cours pour : %(fields)s. Attendez la réponse de la "
                              "commune.") % {"fields": labels})
    try:
        limit_or_raise("change_request", user.pk)
    except RateLimitExceeded as error:
        raise FamilyRefused(error.message) from error
    # A trial copy: a request the model would refuse (a quotient without source...) is refused now.
    trial = Household.objects.get(pk=household.pk)
    for name in after:
        setattr(trial, name, values[name])
    try:
        trial.full_clean(exclude=["code"])
        trial.validate_constraints()
    except ValidationError as error:
        raise FamilyRefused(" ".join(error.messages)) from error
    with transaction.atomic():
        change = ChangeRequest.objects.create(
            household=household, requested_by=user, requested_by_label=user.email, comment=comment,
            changes={name: {"before": before[name], "after": after[name]} for name in after},
        )
        record(AuditEvent.Action.CHANGE_REQUEST, actor=user, household=household, obj=change, request=request,
               summary=f"Demande de modification : {', '.join(change.field_labels())}", before=before, after=after)
    return change


def _value_for(field, raw):
    """A stored (JSON) value back to the field's Python value."""
    return None if raw is None else field.to_python(raw)


def decide_change_request(agent, change, *, accept, reason="", request=None):
    """Accept (apply the new values) or refuse (with a reason) a pending change request;
    the parent is told. Traced as the agent's, on behalf of the family."""
    reason = (reason or "").strip()
    if not accept and not reason:
        raise FamilyRefused(_("Un refus doit être motivé : indiquez la raison au parent."))
    with transaction.atomic():
        change = ChangeRequest.objects.select_for_update().select_related("household").get(pk=change.pk)
        if change.status != ChangeRequest.Status.PENDING:
            raise FamilyRefused(_("Cette demande a déjà reçu une réponse."))
        household = Household.objects.select_for_update().get(pk=change.household_id)
        before, after = None, None
        if accept:
            values = {name: _value_for(Household._meta.get_field(name), data["after"])
                      for name, data in change.changes.items()}
            before = {name: json_value(getattr(household, name)) for name in values}
            for name, value in values.items():
                setattr(household, name, value)
            try:
                household.full_clean()
            except ValidationError as error:
                raise FamilyRefused(" ".join(error.messages)) from error
            household.save()
            after = {name: json_value(value) for name, value in values.items()}
        change.status = ChangeRequest.Status.ACCEPTED if accept else ChangeRequest.Status.REFUSED
        change.decided_by, change.decided_at, change.reason = agent, timezone.now(), reason
        change.save()
        verb = "acceptée" if accept else "refusée"
        record(AuditEvent.Action.CHANGE_DECISION, actor=agent, household=household, obj=change, request=request,
               acting_for_family=True, summary=f"Demande de modification {verb} : {', '.join(change.field_labels())}",
               before=before, after={**(after or {}), "decision": verb, "reason": reason})
    if change.requested_by_id and change.requested_by.is_active:
        parent = change.requested_by
        notify(parent.email, "accounts_change_decision", {"change": change, "accepted": accept, "reason": reason,
                                                          "fields": change.field_labels()},
               language=parent.preferred_language)
    return change


# --- paper mode ---------------------------------------------------------------------------


def set_paper_mode(agent, household, paper, *, reason="", request=None):
    """Switch a household to paper (online access closed, data kept, agents act for it)
    or back online; traced."""
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        if household.paper_only == paper:
            return None
        household.paper_only = paper
        household.save(update_fields=["paper_only", "updated_at"])
        return record(AuditEvent.Action.PAPER_MODE, actor=agent, household=household, obj=household,
                      request=request, acting_for_family=True,
                      summary="Passage en démarches papier" if paper else "Retour aux démarches en ligne",
                      before={"paper_only": not paper}, after={"paper_only": paper, "reason": reason})


# --- linking an account ------------------------------------------------------------------


def link_household(user, code, birth_date, *, request=None):
    """Link ``user`` to the household of ``code`` when one of its children was born on
    ``birth_date`` (see the module docstring); returns the guardian record."""
    generic = _("Ce code famille et cette date de naissance ne correspondent à aucun foyer. Vérifiez le code "
                "imprimé sur vos factures, ou adressez-vous à la mairie.")
    try:
        limit_or_raise("household_link_user", user.pk,
                       message=_("Trop d'essais de rattachement aujourd'hui : réessayez demain ou adressez-vous à "
                                 "la mairie."))
        limit_or_raise("household_link_ip", client_ip(request),
                       message=_("Trop d'essais de rattachement aujourd'hui : réessayez demain ou adressez-vous à "
                                 "la mairie."))
    except RateLimitExceeded as error:
        raise FamilyRefused(error.message) from error
    code = (code or "").strip().upper()
    household = Household.objects.filter(code=code).first() if code else None
    if household is None or not household.children.filter(birth_date=birth_date).exists():
        record(AuditEvent.Action.HOUSEHOLD_LINK, actor=user, request=request, acting_for_family=False,
               summary="Rattachement refusé : code famille ou date de naissance inexacts",
               after={"code": code[:20]})
        raise FamilyRefused(generic)
    if Guardian.objects.filter(household=household, user=user).exists():
        raise FamilyRefused(_("Votre compte est déjà rattaché à ce foyer."))
    if household.paper_only:
        raise FamilyRefused(_("Ce foyer a choisi les démarches papier : adressez-vous à la mairie pour revenir aux "
                              "démarches en ligne."))
    with transaction.atomic():
        guardian = (Guardian.objects.select_for_update()
                    .filter(household=household, user__isnull=True, email__iexact=user.email).first())
        if guardian is not None:
            guardian.user = user
            guardian.rights_confirmed = True
            guardian.save(update_fields=["user", "rights_confirmed"])
            summary = f"Compte {user.email} rattaché à la fiche de {guardian}"
        else:
            guardian = Guardian.objects.create(
                household=household, user=user, first_name=user.first_name or "?", last_name=user.last_name or "?",
                email=user.email, rights_confirmed=False,
            )
            summary = f"Compte {user.email} rattaché, en attente de confirmation par un agent"
        record(AuditEvent.Action.HOUSEHOLD_LINK, actor=user, household=household, obj=guardian, request=request,
               acting_for_family=False, summary=summary,
               after={"guardian": str(guardian), "confirmed": guardian.rights_confirmed})
    others = {household.email} | set(
        household.guardians.exclude(pk=guardian.pk).filter(user__isnull=False, user__is_active=True)
        .values_list("user__email", flat=True))
    notify(sorted(e for e in others if e and e != user.email), "accounts_household_linked",
           {"household": household, "account": user.email, "confirmed": guardian.rights_confirmed})
    return guardian
