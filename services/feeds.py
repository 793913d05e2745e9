"""The iCalendar feed of a child's bookings, at a secret address (no session needed).

A feed belongs to one user and one child. Only the SHA-256 of its token is stored, so
the address is shown once, when created; revoking it closes it at once. At every read
the user must still hold the view right on the child."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import record
from accounts.households import VIEW, user_can
from accounts.models import AuditEvent

from .deadlines import local_datetime
from .models import Booking, CalendarFeed
from .rules import Refusal, local_date

PAST_DAYS = 62
FUTURE_DAYS = 400
MAX_FEEDS_PER_CHILD = 5
UTC = dt.timezone.utc


def _hash(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_feed(user, child, *, now, request=None):
    """A new feed for ``child``; returns ``(feed, token)``; the token is not kept."""
    if not user_can(user, child, VIEW):
        raise Refusal("not_allowed", _("Vous n'avez pas de droits sur cet enfant."))
    active = CalendarFeed.objects.filter(user=user, child=child, revoked_at__isnull=True).count()
    if active >= MAX_FEEDS_PER_CHILD:
        raise Refusal("too_many", _("Révoquez d'abord une adresse : %(n)s au plus par enfant.") % {
            "n": MAX_FEEDS_PER_CHILD})
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        feed = CalendarFeed.objects.create(user=user, child=child, token_hash=_hash(token), created_at=now)
        record(AuditEvent.Action.DATA_EXPORT, actor=user, household=child.household, obj=feed,
               summary=_("Agenda iCalendar créé pour %(child)s") % {"child": child}, request=request,
               acting_for_family=False)
    return feed, token


def revoke(user, feed, *, now, request=None):
    if feed.user_id != user.pk:
        raise Refusal("not_allowed", _("Cet agenda ne vous appartient pas."))
    if feed.revoked_at is None:
        with transaction.atomic():
            feed.revoked_at = now
            feed.save(update_fields=["revoked_at"])
            record(AuditEvent.Action.DATA_EXPORT, actor=user, household=feed.child.household, obj=feed,
                   summary=_("Agenda iCalendar révoqué pour %(child)s") % {"child": feed.child}, request=request,
                   acting_for_family=False)
    return feed


def feed_for_token(token):
    """The live feed for ``token`` (None when unknown, revoked, or the right is gone)."""
    if not token or len(token) > 100:
        return None
    feed = (CalendarFeed.objects.filter(token_hash=_hash(token), revoked_at__isnull=True)
            .select_related("user", "child__household").first())
    if feed is None or not feed.user.is_active or not user_can(feed.user, feed.child, VIEW):
        return None
    return feed


def _escape(text):
    return (str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n"))


def _fold(line):
    """RFC 5545: lines of at most 75 octets, continued with a space."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _utc(moment):
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def render(feed, *, now):
    """The iCalendar text of the feed's bookings (two months back, a year ahead)."""
    today = local_date(now)
    bookings = (Booking.objects.filter(child_id=feed.child_id, status=Booking.Status.BOOKED,
                                       day__gte=today - dt.timedelta(days=PAST_DAYS),
                                       day__lte=today + dt.timedelta(days=FUTURE_DAYS))
                .select_related("activity").order_by("day", "activity__start_time"))
    host = settings.WAGTAILADMIN_BASE_URL.split("//")[-1].split("/")[0] or "portail"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Portail Famille//Reservations//FR", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_escape(_('Réservations de %(name)s') % {'name': feed.child.first_name})}",
             "X-WR-TIMEZONE:Europe/Paris"]
    stamp = _utc(now)
    for booking in bookings:
        activity = booking.activity
        lines += ["BEGIN:VEVENT", f"UID:booking-{booking.pk}@{host}", f"DTSTAMP:{stamp}"]
        if activity.start_time and activity.end_time:
            start = local_datetime(booking.day, activity.start_time)
            end = local_datetime(booking.day, activity.end_time)
            lines += [f"DTSTART:{_utc(start)}", f"DTEND:{_utc(end)}"]
        else:
            lines += [f"DTSTART;VALUE=DATE:{booking.day:%Y%m%d}",
                      f"DTEND;VALUE=DATE:{booking.day + dt.timedelta(days=1):%Y%m%d}"]
        lines.append(f"SUMMARY:{_escape(f'{activity.name} — {feed.child.first_name}')}")
        if activity.site:
            lines.append(f"LOCATION:{_escape(activity.site)}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
