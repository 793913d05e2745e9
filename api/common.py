"""What every route of the family API shares: the caller, pagination, lookups that give
404 for anything outside the caller's households, date ranges."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Query

from accounts.households import children_visible_to

from .errors import ApiError, not_found
from .schemas import Error

MAX_ID = 2**62
MAX_LIMIT = 200
DEFAULT_LIMIT = 50
MAX_OFFSET = 1_000_000
MIN_DATE = dt.date(2000, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)

# The errors every route may answer (see api.errors).
ERRORS = {status: Error for status in (400, 401, 403, 404, 409, 422, 429)}


def responses(ok, status=200, extra=None):
    """The ``response`` of a route: ``ok`` with ``status``, the shared errors, ``extra``."""
    return {status: ok, **ERRORS, **(extra or {})}


def LimitParam():  # noqa: N802 - used as a default value, like ninja's Query
    return Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Éléments par page (au plus {MAX_LIMIT}).")


def OffsetParam():  # noqa: N802
    return Query(0, ge=0, le=MAX_OFFSET, description="Rang du premier élément renvoyé.")


def paginate(queryset, limit, offset, serialize):
    """``{"count", "limit", "offset", "items"}`` for one page of ``queryset``."""
    count = queryset.count()
    items = [serialize(obj) for obj in queryset[offset:offset + limit]] if offset < count else []
    return {"count": count, "limit": limit, "offset": offset, "items": items}


def visible_child(user, child_id):
    """The child ``child_id`` among those ``user`` may see; 404 for any other."""
    child = children_visible_to(user).select_related("household").filter(pk=child_id).first()
    if child is None:
        raise not_found()
    return child


def check_day(value, field):
    if value is not None and not (MIN_DATE <= value <= MAX_DATE):
        raise ApiError("validation_error", _("Données invalides : vérifiez les champs indiqués."), status=422,
                       errors=[{"field": field, "type": "date_range",
                                "message": _("Date hors des limites (%(min)s – %(max)s).")
                                % {"min": MIN_DATE.isoformat(), "max": MAX_DATE.isoformat()}}])
    return value


def date_range(start, end, *, default_days, max_days, today):
    """(start, end) checked: in bounds, end after start, at most ``max_days`` apart."""
    start = check_day(start, "query.start") or today
    end = check_day(end, "query.end") or min(start + dt.timedelta(days=default_days - 1), MAX_DATE)
    if end < start:
        raise ApiError("invalid_range", _("La date de fin doit suivre la date de début."))
    if (end - start).days >= max_days:
        raise ApiError("range_too_long", _("Une période de %(days)d jours au plus.") % {"days": max_days})
    return start, end
