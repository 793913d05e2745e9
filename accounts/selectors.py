"""What the parent's space shows, computed in a few queries."""

from django.db.models import F, Prefetch

from .households import households_for
from .models import Guardian, GuardianChildRight


def space_context(user):
    """The parent's space: the user's households and, per household, only the children
    the user holds view rights on, with the rights held.

    Three queries whatever the number of households and children: households, the
    user's own guardian records, and their view rights joined to the children.
    """
    visible_rights = (
        GuardianChildRight.objects.filter(can_view=True, child__household=F("guardian__household"))
        .select_related("child")
        .order_by("child__birth_date", "child__first_name", "child_id")
    )
    own_guardians = Guardian.objects.filter(user=user).prefetch_related(
        Prefetch("child_rights", queryset=visible_rights, to_attr="visible_rights")
    )
    households = households_for(user).order_by("name", "code").prefetch_related(
        Prefetch("guardians", queryset=own_guardians, to_attr="own_guardians")
    )

    entries = []
    for household in households:
        children = []
        guardian = household.own_guardians[0] if household.own_guardians else None
        for right in guardian.visible_rights if guardian else []:
            children.append(
                {
                    "child": right.child,
                    "can_view": right.can_view,
                    "can_book": right.can_book and not household.paper_only,
                    "can_pay": right.can_pay and not household.paper_only,
                }
            )
        family_quotient = household.family_quotient_on()
        entries.append(
            {
                "household": household,
                "guardian": guardian,
                "family_quotient": family_quotient,
                "family_quotient_expired": household.family_quotient is not None and family_quotient is None,
                "children": children,
            }
        )
    return {"account": user, "households": entries}
