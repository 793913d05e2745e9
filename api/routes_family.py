"""The caller, their households and children, and the history (bookings, household)."""

from typing import Optional

from django.db.models import F
from ninja import Path, Query, Router

from accounts import history as household_history
from accounts.households import RIGHTS, children_visible_to, households_for, payer_guardians_for, rights_filter
from accounts.models import GuardianChildRight
from home import acceptance
from services import history as services_history

from .common import MAX_ID, LimitParam, OffsetParam, paginate, responses, visible_child
from .errors import not_found
from .schemas import BookingChangeOut, ChildOut, HouseholdEventOut, MeOut, Page

router = Router(tags=["famille"])


@router.get("/me", response=responses(MeOut), url_name="me", summary="L'appelant et ses foyers")
def me(request):
    """Le compte, les foyers auxquels il est rattaché, et s'il a accepté le règlement en
    vigueur (sans cela, aucune opération n'est possible)."""
    user = request.user
    payer_households = set(payer_guardians_for(user).values_list("household_id", flat=True))
    households = [
        {"id": h.pk, "code": h.code, "name": h.name, "paper_only": h.paper_only, "is_payer": h.pk in payer_households}
        for h in households_for(user).order_by("name", "pk")
    ]
    version, accepted = acceptance.status(user)
    return {
        "user": {"id": user.pk, "email": user.email, "first_name": user.first_name, "last_name": user.last_name,
                 "preferred_language": user.preferred_language or ""},
        "households": households,
        "regulation": {"accepted": accepted, "version": version.number if version else None},
        "via": "token" if getattr(request, "api_token", None) is not None else "session",
    }


def _rights(user, child_ids):
    held = {}
    for right in RIGHTS:
        held[right] = set(GuardianChildRight.objects.filter(
            rights_filter(user, right), child_id__in=child_ids, guardian__household=F("child__household"),
        ).values_list("child_id", flat=True))
    return held


def _child(child, held):
    return {"id": child.pk, "household_id": child.household_id, "first_name": child.first_name,
            "last_name": child.last_name, "birth_date": child.birth_date, "class_level": child.class_level,
            "school": child.school, "rights": {right: child.pk in held[right] for right in RIGHTS}}


@router.get("/children", response=responses(Page[ChildOut]), url_name="children", summary="Les enfants")
def children(request, limit: int = LimitParam(), offset: int = OffsetParam()):
    """Les enfants sur lesquels l'appelant a des droits (les parents séparés ne voient
    chacun que les leurs), avec ces droits : voir, inscrire et réserver, payer."""
    queryset = children_visible_to(request.user).order_by("household__name", "birth_date", "pk")
    page = paginate(queryset, limit, offset, lambda c: c)
    held = _rights(request.user, [c.pk for c in page["items"]])
    page["items"] = [_child(c, held) for c in page["items"]]
    return page


@router.get("/children/{int:child_id}", response=responses(ChildOut), url_name="child", summary="Un enfant")
def child(request, child_id: int = Path(..., ge=1, le=MAX_ID)):
    found = visible_child(request.user, child_id)
    return _child(found, _rights(request.user, [found.pk]))


@router.get("/history", response=responses(Page[BookingChangeOut]), url_name="booking_history",
            summary="Historique des réservations")
def booking_history(request, child_id: Optional[int] = Query(None, ge=1, le=MAX_ID),
                    limit: int = LimitParam(), offset: int = OffsetParam()):
    """Chaque réservation, annulation, passage en liste d'attente… des enfants de
    l'appelant : quand, par qui, avant et après (article 10.3), du plus récent au plus ancien."""
    user = request.user
    child = visible_child(user, child_id) if child_id is not None else None
    who = services_history.authors(user)
    return paginate(services_history.changes_for(user, child), limit, offset, lambda c: {
        "id": c.pk, "at": c.at, "child_id": c.child_id, "activity_id": c.activity_id,
        "activity_name": c.activity.name, "day": c.day, "action": c.action, "action_label": c.get_action_display(),
        "before_status": c.before_status, "after_status": c.after_status,
        "by": who(c), "note": c.note,
    })


@router.get("/households/{int:household_id}/history", response=responses(Page[HouseholdEventOut]),
            url_name="household_history", summary="Historique du foyer")
def household_events(request, household_id: int = Path(..., ge=1, le=MAX_ID),
                     limit: int = LimitParam(), offset: int = OffsetParam()):
    """Le journal des opérations du foyer, tel que le parent le lit sur le site : les
    enfants sur lesquels il a des droits, jamais les factures ou coordonnées propres à
    l'autre responsable."""
    household = households_for(request.user).filter(pk=household_id).first()
    if household is None:
        raise not_found()
    queryset = household_history.events_for(request.user, household)
    page = paginate(queryset, limit, offset, lambda e: e)
    rows = household_history.readable(page["items"], request.user, household)
    page["items"] = [{"id": row["event"].pk, "at": row["when"], "action": row["event"].action,
                      "action_label": str(row["action"]), "summary": row["summary"], "by": str(row["who"]),
                      "channel": row["event"].channel}
                     for row in rows]
    return page
