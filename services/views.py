"""Parent screens of the services, embedded in their ServicePage (``<page>/espace/...``):
the service's landing screen, the month calendar (days ticked and unticked, a preview
with the price, then the confirmation), the weekly pattern and the same-morning
cancellation for a sick child.

Thin views: every rule is in ``services.bookings`` (which checks again, on the server,
who acts, the enrolment, the deadline, the documents and the places), the month is
built by ``services.month``. Every view receives ``service_page`` and links with
``service_page.screen_url``. Every response is ``Cache-Control: no-store``; a child the
user cannot see is a 404, on read and on write; bad input is a 400 with a French
message, and nothing is written.
"""

import datetime as dt
from urllib.parse import quote

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.households import children_visible_to
from documents.rules import upload_links

from . import bookings, clock
from .bookings import BOOK, CANCEL, Change
from .deadlines import sick_cancellation_deadline
from .models import Activity, Booking, Enrolment, SchoolYear
from .month import day_key, month_for, parse_month
from .rules import Refusal, format_day, format_moment, local_date

MAX_DAYS_PER_POST = 400
MONTHS_AROUND = 24  # the calendar shows months up to two years before or after today
WEEKDAY_NAMES = [gettext_lazy("lundi"), gettext_lazy("mardi"), gettext_lazy("mercredi"), gettext_lazy("jeudi"),
                 gettext_lazy("vendredi"), gettext_lazy("samedi"), gettext_lazy("dimanche")]


class BadInput(Exception):
    """A request the screens never send (or a mistyped address): 400, nothing written."""


# Helpers -------------------------------------------------------------------------

def _context(request, service_page, **extra):
    return {"service_page": service_page, "service_url": service_page.get_url(request),
            "index_url": service_page.screen_url(request, "index"), **extra}


def _screen(request, service_page, name, *args, **kwargs):
    """The URL of another screen, or None when it is not (yet) part of the URLconf."""
    try:
        return service_page.screen_url(request, name, *args, **kwargs)
    except NoReverseMatch:
        return None


def _bad_request(request, service_page, message, back_url=None):
    return render(request, "services/parent/error.html",
                  _context(request, service_page, message=message, back_url=back_url), status=400)


def _children(user):
    return list(children_visible_to(user).select_related("household").order_by("birth_date", "pk"))


def _visible_child(user, child_id):
    child = children_visible_to(user).select_related("household").filter(pk=child_id).first()
    if child is None:
        raise Http404(_("Enfant introuvable."))
    return child


def _service_activities(service_page):
    """The service's activities open to families (all shapes)."""
    return list(Activity.objects.filter(service_id=service_page.service_id, is_active=True,
                                        service__is_active=True)
                .select_related("service", "booking_rule__fallback", "cancellation_rule__fallback")
                .order_by("name", "pk"))


def _day_activities(service_page):
    return [a for a in _service_activities(service_page) if a.is_bookable_by_day]


def _parse_id(value, message):
    if value is None or not str(value).isdigit() or len(str(value)) > 12:
        raise BadInput(message)
    return int(value)


def _parse_date(value, message):
    try:
        return dt.date.fromisoformat(value or "")
    except (TypeError, ValueError):
        raise BadInput(message) from None


def _parse_key(value):
    """``"<child>:<activity>:<YYYY-MM-DD>"`` → (child id, activity id, date)."""
    parts = (value or "").split(":")
    message = _("Jour demandé illisible : « %(value)s ».") % {"value": (value or "")[:40]}
    if len(parts) != 3:
        raise BadInput(message)
    return _parse_id(parts[0], message), _parse_id(parts[1], message), _parse_date(parts[2], message)


def _check_day(day, today):
    if abs((day - today).days) > 800:
        raise BadInput(_("La date %(day)s est hors des dates proposées.") % {"day": day.isoformat()})


def _result_context(request, result, back_url):
    """What the preview and summary templates show of a ``Result``."""
    groups = []
    for code, message, items in result.refusals_by_reason():
        links = []
        if code == "document_missing":
            seen = set()
            for outcome in items:
                for link in upload_links(outcome.child.household, outcome.child, outcome.activity, outcome.day, back_url):
                    if (link["name"], outcome.child.pk) not in seen:
                        seen.add((link["name"], outcome.child.pk))
                        links.append({**link, "child": outcome.child})
        groups.append({"code": code, "message": message, "outcomes": items, "upload_links": links})
    return {"result": result, "refusal_groups": groups, "price_change": result.price_change,
            "history_url": None}


# The landing screen --------------------------------------------------------------

@never_cache
@require_http_methods(["GET", "HEAD"])
def index(request, service_page):
    """The children the parent can see, their enrolments in this service, and the way to
    each child's month calendar, weekly pattern and sick-child cancellation."""
    context = _context(request, service_page)
    if not request.user.is_authenticated:
        login = f"{_login_url()}?next={quote(request.get_full_path(), safe='/')}"
        return render(request, "services/parent/index.html", {**context, "login_url": login})
    activities = _service_activities(service_page)
    day_ids = {a.pk for a in activities if a.is_bookable_by_day}
    children = _children(request.user)
    now = clock.now()
    today = local_date(now)
    enrolments = {}
    for enrolment in (Enrolment.objects.filter(child__in=[c.pk for c in children],
                                               activity__in=[a.pk for a in activities], end_date__gte=today)
                      .exclude(status__in=[Enrolment.Status.WITHDRAWN, Enrolment.Status.REFUSED])
                      .select_related("activity").order_by("start_date", "activity__name")):
        enrolments.setdefault(enrolment.child_id, []).append(enrolment)
    for child in children:
        child.service_enrolments = enrolments.get(child.pk, [])
        child.books_by_day = any(e.activity_id in day_ids and e.status == Enrolment.Status.ACTIVE
                                 for e in child.service_enrolments)
        child.calendar_url = service_page.screen_url(request, "child_calendar", child_id=child.pk)
        child.pattern_url = service_page.screen_url(request, "pattern", child_id=child.pk)
        child.sick_url = service_page.screen_url(request, "sick", child_id=child.pk)
    return render(request, "services/parent/index.html", {
        **context, "children": children, "has_day_activities": bool(day_ids),
        "calendar_url": service_page.screen_url(request, "calendar"),
        "today": today,
    })


def _login_url():
    from django.conf import settings
    from django.shortcuts import resolve_url

    return resolve_url(settings.LOGIN_URL)


# The month calendar --------------------------------------------------------------

@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def calendar(request, service_page, child_id=None):
    """GET: the month (``?mois=YYYY-MM``, ``?enfant=<id>``) with a checkbox per day that
    can still be changed. POST ``etape=apercu``: what the ticked and unticked days would
    do (nothing written); POST ``etape=confirmer``: apply them."""
    now = clock.now()
    today = local_date(now)
    base_url = service_page.screen_url(request, "calendar")
    try:
        if child_id is None and request.method == "GET" and request.GET.get("enfant"):
            child_id = _parse_id(request.GET.get("enfant"), _("L'enfant demandé est invalide."))
        child = _visible_child(request.user, child_id) if child_id is not None else None
        month_value = request.POST.get("mois") if request.method == "POST" else request.GET.get("mois")
        first_day = today.replace(day=1)
        if month_value:
            first_day = parse_month(month_value)
            if first_day is None:
                raise BadInput(_("Le mois demandé est invalide : utilisez la forme AAAA-MM, par exemple %(example)s.")
                               % {"example": today.strftime("%Y-%m")})
            if abs((first_day.year - today.year) * 12 + first_day.month - today.month) > MONTHS_AROUND:
                raise BadInput(_("Le mois demandé est hors des dates proposées."))
    except BadInput as error:
        return _bad_request(request, service_page, str(error), back_url=base_url)
    children = [child] if child is not None else _children(request.user)
    this_url = (service_page.screen_url(request, "child_calendar", child_id=child.pk) if child is not None
                else base_url)
    month_url = f"{this_url}?mois={first_day:%Y-%m}"
    if request.method == "POST":
        try:
            return _calendar_post(request, service_page, children, first_day, now, month_url)
        except BadInput as error:
            return _bad_request(request, service_page, str(error), back_url=month_url)
    activities = _day_activities(service_page)
    month = month_for(request.user, children, activities, first_day, now=now)
    for child_month in month.children:
        child_month.sick_url = service_page.screen_url(request, "sick", child_id=child_month.child.pk)
        child_month.pattern_url = service_page.screen_url(request, "pattern", child_id=child_month.child.pk)
    paper = [c for c in children if c.household.paper_only]
    from home.acceptance import acceptance_refusal

    return render(request, "services/parent/calendar.html", _context(
        request, service_page, month=month, child=child, this_url=this_url, month_url=month_url,
        previous_url=f"{this_url}?mois={month.previous:%Y-%m}", next_url=f"{this_url}?mois={month.next:%Y-%m}",
        paper_only=bool(paper), regulation_refusal=acceptance_refusal(request.user),
        has_activities=bool(activities), now=now, today=today,
    ))


def _changes_from_post(request, service_page, children, today):
    """The ``Change`` list the form asks for. From the calendar: ``jour`` (ticked) and
    ``affiche`` (the changeable days shown); from the preview: ``reserver``, ``annuler``
    and ``malade`` (explicit). A child the user cannot see is a 404."""
    post = request.POST
    lists = {name: post.getlist(name) for name in ("jour", "affiche", "reserver", "annuler", "malade")}
    if sum(len(values) for values in lists.values()) > 3 * MAX_DAYS_PER_POST:
        raise BadInput(_("Trop de jours demandés en une fois."))
    parsed = {name: [_parse_key(value) for value in values] for name, values in lists.items()}
    child_ids = {item[0] for values in parsed.values() for item in values}
    activity_ids = {item[1] for values in parsed.values() for item in values}
    visible = {c.pk: c for c in children}
    if child_ids - set(visible):
        # Not one of the children of this screen: another household's, or hidden.
        extra = {c.pk: c for c in children_visible_to(request.user).select_related("household")
                 .filter(pk__in=child_ids - set(visible))}
        if child_ids - set(visible) - set(extra):
            raise Http404(_("Enfant introuvable."))
        visible.update(extra)
    activities = {a.pk: a for a in _day_activities(service_page)}
    unknown = activity_ids - set(activities)
    if unknown:
        if Activity.objects.filter(pk__in=unknown, service_id=service_page.service_id).exists():
            raise BadInput(_("Cette activité ne se réserve pas jour par jour : faites une demande d'inscription."))
        raise BadInput(_("Activité inconnue pour ce service."))
    for values in parsed.values():
        for _child, _activity, day in values:
            _check_day(day, today)
    ticked = {item for item in parsed["jour"]}
    shown = {item for item in parsed["affiche"]}
    current = {}
    calendar_keys = ticked | shown
    if calendar_keys:
        rows = Booking.objects.filter(child_id__in={k[0] for k in calendar_keys},
                                      activity_id__in={k[1] for k in calendar_keys},
                                      day__in={k[2] for k in calendar_keys})
        current = {(b.child_id, b.activity_id, b.day): b.status for b in rows}
    holding = (Booking.Status.BOOKED, Booking.Status.WAITING)
    changes = {}
    for key in ticked:
        if current.get(key) not in holding:
            changes[key] = Change(visible[key[0]], activities[key[1]], key[2], BOOK)
    for key in shown - ticked:
        if current.get(key) in holding:
            changes[key] = Change(visible[key[0]], activities[key[1]], key[2], CANCEL)
    for name, action, sick in (("reserver", BOOK, False), ("annuler", CANCEL, False), ("malade", CANCEL, True)):
        for key in parsed[name]:
            changes[key] = Change(visible[key[0]], activities[key[1]], key[2], action, sick=sick)
    if len(changes) > MAX_DAYS_PER_POST:
        raise BadInput(_("Trop de jours demandés en une fois."))
    return sorted(changes.values(), key=lambda c: (c.day, c.activity.name, c.child.pk))


def _calendar_post(request, service_page, children, first_day, now, month_url):
    step = request.POST.get("etape")
    if step not in ("apercu", "confirmer"):
        raise BadInput(_("Étape inconnue : recommencez depuis le calendrier."))
    changes = _changes_from_post(request, service_page, children, local_date(now))
    if not changes:
        raise BadInput(_("Aucun changement : cochez les jours à réserver ou décochez les jours à annuler."))
    waiting_list = request.POST.get("sans_attente") != "1"
    result = bookings.apply_changes(request.user, changes, now=now, waiting_list=waiting_list,
                                    dry_run=step == "apercu", request=request)
    context = _context(request, service_page, back_url=month_url, first_day=first_day, waiting_list=waiting_list,
                       action_url=request.path, **_result_context(request, result, month_url))
    if step == "apercu":
        keep = [o for o in result.outcomes if o.changed]
        sick = {c.key for c in changes if c.sick}
        context["hidden"] = [("malade" if o.action == CANCEL and (o.child.pk, o.activity.pk, o.day) in sick else
                              "reserver" if o.action == BOOK else "annuler",
                              day_key(o.child.pk, o.activity.pk, o.day)) for o in keep]
        return render(request, "services/parent/preview.html", context)
    context["history_url"] = _screen(request, service_page, "history")
    return render(request, "services/parent/summary.html", context)


# The weekly pattern --------------------------------------------------------------

class PatternForm(forms.Form):
    activite = forms.TypedChoiceField(label=gettext_lazy("Activité"), coerce=int)
    jours = forms.TypedMultipleChoiceField(label=gettext_lazy("Jours de la semaine"), coerce=int,
                                           widget=forms.CheckboxSelectMultiple,
                                           error_messages={"required": gettext_lazy(
                                               "Choisissez au moins un jour de la semaine.")})
    du = forms.DateField(label=gettext_lazy("Du"), widget=forms.DateInput(attrs={"type": "date"}),
                         error_messages={"invalid": gettext_lazy("Date invalide : utilisez la forme AAAA-MM-JJ.")})
    au = forms.DateField(label=gettext_lazy("Au (inclus)"), widget=forms.DateInput(attrs={"type": "date"}),
                         help_text=gettext_lazy("Par défaut : la fin de l'année scolaire."),
                         error_messages={"invalid": gettext_lazy("Date invalide : utilisez la forme AAAA-MM-JJ.")})
    sans_attente = forms.BooleanField(label=gettext_lazy("Ne pas m'inscrire en liste d'attente les jours complets"),
                                      required=False)

    def __init__(self, *args, activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.activities = {a.pk: a for a in activities}
        self.fields["activite"].choices = [(a.pk, a.name) for a in activities]
        weekdays = sorted({w for a in activities for w in (a.weekdays or range(7))}) or list(range(5))
        self.fields["jours"].choices = [(w, WEEKDAY_NAMES[w]) for w in weekdays]

    def clean(self):
        data = super().clean()
        start, end = data.get("du"), data.get("au")
        if start and end and end < start:
            self.add_error("au", _("La date de fin doit suivre la date de début."))
        if start and end and (end - start).days > bookings.MAX_PATTERN_DAYS:
            self.add_error("au", _("Une semaine type s'applique sur un an au plus."))
        return data


def _school_year_end(day):
    year = SchoolYear.objects.filter(start_date__lte=day, end_date__gte=day).order_by("start_date").first()
    if year is None:
        year = SchoolYear.objects.filter(start_date__gt=day).order_by("start_date").first()
    return year.end_date if year else day + dt.timedelta(days=180)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def pattern(request, child_id, service_page):
    """A weekly pattern for one child and activity: the form, the preview (nothing
    written, ``etape=apercu``), then the confirmation (``etape=confirmer``)."""
    child = _visible_child(request.user, child_id)
    now = clock.now()
    today = local_date(now)
    activities = _day_activities(service_page)
    enrolled = set(Enrolment.objects.filter(child=child, activity__in=[a.pk for a in activities],
                                            status=Enrolment.Status.ACTIVE, end_date__gte=today)
                   .values_list("activity_id", flat=True))
    offered = [a for a in activities if a.pk in enrolled]
    this_url = service_page.screen_url(request, "pattern", child_id=child.pk)
    calendar_url = service_page.screen_url(request, "child_calendar", child_id=child.pk)
    context = _context(request, service_page, child=child, calendar_url=calendar_url, this_url=this_url)
    if request.method != "POST":
        start = today + dt.timedelta(days=1)
        initial = {"du": start, "au": _school_year_end(start)}
        if len(offered) == 1:
            initial["activite"] = offered[0].pk
        form = PatternForm(activities=offered, initial=initial)
        return render(request, "services/parent/pattern.html", {**context, "form": form, "offered": offered})
    form = PatternForm(request.POST, activities=offered)
    step = request.POST.get("etape")
    if step not in ("apercu", "confirmer"):
        return _bad_request(request, service_page, _("Étape inconnue : recommencez depuis le formulaire."), this_url)
    if not form.is_valid():
        if "activite" in form.errors and not offered:
            form.errors["activite"] = form.error_class([_(
                "%(name)s n'est inscrit(e) à aucune activité de ce service qui se réserve jour par jour : "
                "faites d'abord la demande d'inscription.") % {"name": child.first_name}])
        return render(request, "services/parent/pattern.html", {**context, "form": form, "offered": offered},
                      status=400)
    data = form.cleaned_data
    activity = form.activities[data["activite"]]
    try:
        _check_day(data["du"], today)
        _check_day(data["au"], today)
        result = bookings.apply_pattern(request.user, child, activity, data["jours"], start=data["du"],
                                        end=data["au"], now=now, waiting_list=not data["sans_attente"],
                                        dry_run=step == "apercu", request=request)
    except (BadInput, Refusal) as error:
        return _bad_request(request, service_page, str(error), this_url)
    context.update(_result_context(request, result, this_url))
    context.update(activity=activity, data=data, back_url=this_url, action_url=this_url,
                   weekday_names=[WEEKDAY_NAMES[w] for w in sorted(data["jours"])])
    if step == "apercu":
        context["hidden"] = ([("activite", activity.pk), ("du", data["du"].isoformat()),
                              ("au", data["au"].isoformat())]
                             + [("jours", w) for w in sorted(data["jours"])]
                             + ([("sans_attente", "on")] if data["sans_attente"] else []))
        return render(request, "services/parent/pattern_preview.html", context)
    context["history_url"] = _screen(request, service_page, "history")
    return render(request, "services/parent/pattern_summary.html", context)


# The sick child ------------------------------------------------------------------

@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def sick(request, child_id, service_page):
    """The same-morning cancellation for a sick child: today's bookings of this
    service, with until when the activity allows it. POST ``reservation=<activity
    id>:<YYYY-MM-DD>`` cancels it (``cancel(..., sick=True)``)."""
    child = _visible_child(request.user, child_id)
    now = clock.now()
    today = local_date(now)
    activities = {a.pk: a for a in _day_activities(service_page)}
    calendar_url = service_page.screen_url(request, "child_calendar", child_id=child.pk)
    this_url = service_page.screen_url(request, "sick", child_id=child.pk)
    context = _context(request, service_page, child=child, calendar_url=calendar_url, this_url=this_url)
    if request.method == "POST":
        value = request.POST.get("reservation", "")
        parts = value.split(":")
        try:
            if len(parts) != 2:
                raise BadInput(_("Réservation demandée illisible."))
            activity_id = _parse_id(parts[0], _("Réservation demandée illisible."))
            day = _parse_date(parts[1], _("Réservation demandée illisible."))
            _check_day(day, today)
            if activity_id not in activities:
                raise BadInput(_("Activité inconnue pour ce service."))
        except BadInput as error:
            return _bad_request(request, service_page, str(error), this_url)
        outcome = bookings.cancel(request.user, child, activities[activity_id], day, now=now, sick=True,
                                  request=request)
        return render(request, "services/parent/sick_done.html", {
            **context, "outcome": outcome, "history_url": _screen(request, service_page, "history"),
            "absence_url": _screen(request, service_page, "absence")})
    rows = (Booking.objects.filter(child=child, activity_id__in=list(activities), day=today,
                                   status=Booking.Status.BOOKED).order_by("activity__name"))
    items = []
    for booking in rows:
        activity = activities[booking.activity_id]
        sick_until = sick_cancellation_deadline(activity, today)
        # What the cancellation would do now, in the engine's words (nothing written).
        outcome = bookings.cancel(request.user, child, activity, today, now=now, sick=True, dry_run=True)
        items.append({"activity": activity, "day": today, "key": f"{activity.pk}:{today.isoformat()}",
                      "allowed": outcome.ok, "late": outcome.late,
                      "sick_until": format_moment(sick_until) if sick_until else "",
                      "reason": "" if outcome.ok else outcome.message})
    allowing = [a for a in activities.values() if a.same_day_sick_cancellation_until]
    return render(request, "services/parent/sick.html", {**context, "items": items, "today": today,
                                                         "today_text": format_day(today), "allowing": allowing})
