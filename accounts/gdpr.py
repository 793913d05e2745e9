"""GDPR rights (Article 5.3): the household's data export, rectification / opposition /
erasure requests tracked to an answer within one month.

The export gathers every kind of record the portal keeps on a household, as the reader
may see it (separated parents: only the children they hold rights on): the accounts
area's own sections, then every app's section registered with the
``portal_household_export`` hook (``fn(household, user) -> (title, list of dicts)``).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.hooks import HOUSEHOLD_EXPORT, collect
from portal.notifications import notify

from . import history
from .audit import json_value, record
from .households import children_visible_to
from .models import (
    AuditEvent,
    Authorisation,
    AuthorisedPerson,
    ChangeRequest,
    GdprRequest,
    Guardian,
    GuardianChildRight,
)
from .preferences import choices_of
from .ratelimit import RateLimitExceeded, limit_or_raise

HOUSEHOLD_FIELDS = ["code", "name", "address_line1", "address_line2", "postcode", "city", "phone_home",
                    "phone_mobile", "email", "family_situation", "is_resident", "family_quotient",
                    "family_quotient_source", "family_quotient_valid_until", "paper_only", "created_at", "updated_at"]
GUARDIAN_FIELDS = ["first_name", "last_name", "relationship", "email", "phone_home", "phone_mobile", "phone_work",
                   "is_payer"]
CHILD_FIELDS = ["first_name", "last_name", "birth_date", "sex", "school", "class_level", "diet", "allergies",
                "has_medical_plan", "doctor_name", "doctor_phone"]


class GdprRefused(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _row(instance, fields):
    return {name: json_value(getattr(instance, name)) for name in fields}


def own_sections(household, user):
    children = list(children_visible_to(user).filter(household=household).order_by("birth_date", "pk"))
    child_ids = [c.pk for c in children]
    guardians = list(Guardian.objects.filter(household=household).order_by("pk"))
    own = [g for g in guardians if g.user_id == user.pk]
    sections = [
        (_("Mon compte"), [{
            "email": user.email, "first_name": user.first_name, "last_name": user.last_name,
            "preferred_language": user.preferred_language, "date_joined": json_value(user.date_joined),
            "email_verified_at": json_value(user.email_verified_at), "email_preferences": choices_of(user),
        }]),
        (_("Foyer"), [_row(household, HOUSEHOLD_FIELDS)]),
        # Another guardian's own contact details are theirs: only who they are.
        (_("Responsables légaux"), [
            _row(g, GUARDIAN_FIELDS) | {"is_me": True} if g.user_id == user.pk
            else {"first_name": g.first_name, "last_name": g.last_name, "relationship": g.relationship,
                  "is_me": False}
            for g in guardians]),
        (_("Enfants"), [_row(c, CHILD_FIELDS) for c in children]),
        (_("Mes droits sur les enfants"), [
            {"child": str(r.child), "can_view": r.can_view, "can_book": r.can_book, "can_pay": r.can_pay}
            for r in GuardianChildRight.objects.filter(guardian__in=own, child_id__in=child_ids)
            .select_related("child")]),
        (_("Personnes autorisées"), [
            {"child": str(p.child), **_row(p, ["first_name", "last_name", "relationship", "phone", "valid_from",
                                              "valid_until"])}
            for p in AuthorisedPerson.objects.filter(child_id__in=child_ids).select_related("child")]),
        (_("Autorisations"), [
            {"child": str(a.child), "kind": a.get_kind_display(), "granted": a.granted,
             "given_by": str(a.given_by) if a.given_by_id else "", "given_at": json_value(a.given_at)}
            for a in Authorisation.objects.filter(child_id__in=child_ids).select_related("child", "given_by")]),
        (_("Demandes de modification"), [
            {"created_at": json_value(c.created_at), "changes": c.changes, "comment": c.comment,
             "status": c.get_status_display(), "decided_at": json_value(c.decided_at), "reason": c.reason}
            for c in ChangeRequest.objects.filter(household=household)]),
        (_("Demandes RGPD"), [
            {"created_at": json_value(g.created_at), "kind": g.get_kind_display(), "message": g.message,
             "due_on": json_value(g.due_on), "status": g.get_status_display(), "answer": g.answer,
             "answered_at": json_value(g.answered_at)}
            for g in GdprRequest.objects.filter(household=household)]),
        (_("Historique du foyer"), [
            {"occurred_at": json_value(e.occurred_at), "action": e.get_action_display(), "summary": e.summary,
             "before": e.before, "after": e.after}
            for e in history.events_for(user, household)]),
    ]
    return sections


def export(household, user):
    """{"household": code, "generated_at": ..., "sections": [{"title", "records"}]}"""
    sections = own_sections(household, user)
    for result in collect(HOUSEHOLD_EXPORT, household, user):
        if result:
            title, rows = result
            sections.append((title, list(rows or [])))
    return {
        "household": household.code,
        "generated_at": json_value(timezone.now()),
        "generated_for": user.email,
        "sections": [{"title": str(title), "records": rows} for title, rows in sections],
    }


def record_export(user, household, fmt, *, request=None):
    """Count the export against its rate limit and trace it (before building it)."""
    try:
        limit_or_raise("data_export", user.pk,
                       message=_("Vous avez déjà téléchargé vos données plusieurs fois dans l'heure : réessayez "
                                 "plus tard."))
    except RateLimitExceeded as error:
        raise GdprRefused(error.message) from error
    record(AuditEvent.Action.DATA_EXPORT, actor=user, household=household, request=request, acting_for_family=False,
           summary=f"Téléchargement des données du foyer ({fmt})", after={"format": fmt})


def submit_request(user, household, kind, message, *, request=None):
    """A GDPR request, due one month after today. Not behind the regulation gate: the
    rights of Article 5 do not depend on accepting the regulation."""
    try:
        limit_or_raise("gdpr_request", user.pk)
    except RateLimitExceeded as error:
        raise GdprRefused(error.message) from error
    with transaction.atomic():
        gdpr_request = GdprRequest.objects.create(household=household, requested_by=user,
                                                  requested_by_label=user.email, kind=kind, message=message)
        record(AuditEvent.Action.GDPR_REQUEST, actor=user, household=household, obj=gdpr_request, request=request,
               acting_for_family=False,
               summary=f"Demande RGPD ({gdpr_request.get_kind_display()}), réponse due le "
                       f"{gdpr_request.due_on:%d/%m/%Y}",
               after={"kind": kind, "due_on": json_value(gdpr_request.due_on)})
    return gdpr_request


def answer_request(agent, gdpr_request, answer, *, request=None):
    answer = (answer or "").strip()
    if not answer:
        raise GdprRefused(_("Écrivez la réponse faite au demandeur."))
    with transaction.atomic():
        gdpr_request = GdprRequest.objects.select_for_update().get(pk=gdpr_request.pk)
        if gdpr_request.status != GdprRequest.Status.OPEN:
            raise GdprRefused(_("Cette demande a déjà reçu une réponse."))
        gdpr_request.status = GdprRequest.Status.ANSWERED
        gdpr_request.answer, gdpr_request.answered_by, gdpr_request.answered_at = answer, agent, timezone.now()
        gdpr_request.save()
        record(AuditEvent.Action.GDPR_REQUEST, actor=agent, household=gdpr_request.household, obj=gdpr_request,
               request=request, acting_for_family=True,
               summary=f"Réponse à la demande RGPD ({gdpr_request.get_kind_display()})",
               before={"status": "open"}, after={"status": "answered", "answer": answer})
    parent = gdpr_request.requested_by
    if parent is not None and parent.is_active:
        notify(parent.email, "accounts_gdpr_answer", {"gdpr_request": gdpr_request},
               language=parent.preferred_language)
    return gdpr_request


def open_requests():
    return GdprRequest.objects.filter(status=GdprRequest.Status.OPEN).select_related("household").order_by("due_on")



def readable(data):
    """The export with French labels and values, for the HTML document."""
    def value(name, raw):
        if isinstance(raw, dict):
            return "; ".join(f"{history.field_label(k)} : {value(k, v)}" for k, v in raw.items())
        if isinstance(raw, list):
            return ", ".join(value(name, v) for v in raw)
        return history.value_label(name, raw)

    return {**data, "sections": [
        {"title": section["title"],
         "records": [{history.field_label(k): value(k, v) for k, v in record.items()} for record in section["records"]]}
        for section in data["sections"]]}
