"""Parent screens of a service about the family's file, embedded below the ServicePage
(``services.urls_family``): enrolment requests, absence declarations with a medical
certificate, the history of booking changes (Article 10.3) and the iCalendar feeds.

Thin views: the rules are in ``services.enrolments``, ``services.absences``,
``services.feeds`` and ``services.rules`` (``enrolments.preview_request`` and
``absences.preview_declaration`` for what a request would give before it is confirmed:
the same checks as the request, nothing written). Every view receives ``service_page`` and links with
``service_page.screen_url``. Every response is ``Cache-Control: no-store``. A child,
an enrolment, a certificate or a feed the user may not see is a 404, on read and on
write; refused input is a 400 with the reason, and nothing is written.

``feed_ics`` is not an embedded screen: it serves a feed at its secret address
(``services.urls``), without a session.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.households import children_visible_to
from documents.rules import upload_links

from . import absences, clock, enrolments, feeds
from . import history as booking_history
from .forms_family import AbsenceForm, EnrolForm
from .models import AbsenceJustification, Activity, Booking, CalendarFeed, Enrolment
from .rules import PARIS, Refusal, local_date

HISTORY_PAGE_SIZE = 50
DECLARATIONS_SHOWN = 50


def now():
    """The current moment: the parent screens' one clock (``services.clock``, which tests set)."""
    return clock.now()


# --- helpers ---------------------------------------------------------------------------


class BadInput(Exception):
    """A query parameter that is not what the screen expects (answered with a 400)."""


def _children(user):
    return list(children_visible_to(user).select_related("household").order_by("birth_date", "first_name", "pk"))


def _posted_child(request, children, field="child"):
    """The visible child named by ``request.POST[field]``; 404 for an id the user may not
    see; None when the value is missing or not a number (the form then says why)."""
    raw = request.POST.get(field, "").strip()
    if not raw.isascii() or not raw.isdigit():
        return None
    child = next((c for c in children if c.pk == int(raw)), None)
    if child is None:
        raise Http404(_("Enfant introuvable."))
    return child


def _queried_child(request, children, field="enfant"):
    """``?enfant=<id>``: None when absent; 404 when not visible; ``BadInput`` when not an id."""
    raw = request.GET.get(field, "").strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit():
        raise BadInput(_("Le paramètre « enfant » doit être le numéro d'un de vos enfants."))
    child = next((c for c in children if c.pk == int(raw)), None)
    if child is None:
        raise Http404(_("Enfant introuvable."))
    return child


def _context(request, service_page, **extra):
    return {"service_page": service_page, "service_url": service_page.get_url(request), **extra}


def _bad_query(request, service_page, message, template="services/family/bad_request.html"):
    return render(request, template, _context(request, service_page, refusal=message), status=400)


def _service_activities(service_page):
    return list(Activity.objects.filter(service_id=service_page.service_id, is_active=True, service__is_active=True)
                .exclude(shape=Activity.Shape.HALL_SLOT).select_related("service").order_by("name", "pk"))


def _links(refusal, child, activity, day, next_url):
    """The upload links of a refusal for missing documents (none for another refusal)."""
    if refusal.code != "document_missing":
        return []
    return [(link["name"], link["url"], link["pending"])
            for link in upload_links(child.household, child, activity, day, next_url)]


def _hidden_values(form):
    """(name, value) pairs that post the form again, as cleaned."""
    pairs = []
    for name in form.fields:
        value = form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        pairs.append((form.add_prefix(name), value))
    return pairs


# --- enrolment -------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def enrol(request, service_page):
    """Step 1: child, activity, period (and for a school enrolment the class, the school
    and the derogation reason); step 2: what the request would give; step 3: request."""
    user = request.user
    children = _children(user)
    activities = _service_activities(service_page)
    today = local_date(now())
    school_periods = enrolments.school_year_periods(today)
    periods = {activity.pk: enrolments.periods_for(activity, today, school_periods) for activity in activities}
    is_school = any(activity.shape == Activity.Shape.SCHOOL_ENROLMENT for activity in activities)
    form_kwargs = {"children": children, "activities": activities, "periods": periods, "is_school": is_school}
    enrol_url = service_page.screen_url(request, "enrol")
    context = _context(request, service_page, children=children, activities=activities, is_school=is_school,
                       enrolments_url=service_page.screen_url(request, "enrolments"))

    if request.method != "POST":
        initial = {}
        try:
            child = _queried_child(request, children)
        except BadInput as error:
            return _bad_query(request, service_page, error.args[0])
        if child is not None:
            initial["child"] = str(child.pk)
        wanted = request.GET.get("activite", "")
        if any(str(activity.pk) == wanted for activity in activities):
            initial["activity"] = wanted
        return render(request, "services/family/enrol.html", {**context, "form": EnrolForm(initial=initial,
                                                                                           **form_kwargs)})

    child = _posted_child(request, children)
    form = EnrolForm(request.POST, **form_kwargs)
    if request.POST.get("edit") == "1":
        form.is_valid()
        form.errors.clear()  # back from the preview: the form as filled in, without errors
        return render(request, "services/family/enrol.html", {**context, "form": form})
    if child is None or not form.is_valid():
        return render(request, "services/family/enrol.html", {**context, "form": form}, status=400)
    data = form.cleaned_data
    activity = form.chosen_activity
    arguments = {"period_start": form.period_start, "requested_level": data.get("requested_level", ""),
                 "requested_school": data.get("requested_school", ""),
                 "derogation_reason": data.get("derogation_reason", "")}
    try:
        if request.POST.get("confirm") == "1":
            enrolment = enrolments.request_enrolment(
                user, child, activity, now=now(), derogation_details=data.get("derogation_details", ""),
                request=request, **arguments)
            return redirect(service_page.screen_url(request, "enrolments") + f"?demande={enrolment.pk}")
        preview = enrolments.preview_request(user, child, activity, now=now(), **arguments)
    except Refusal as refusal:
        next_url = enrol_url + "?" + urlencode({"enfant": child.pk, "activite": activity.pk})
        links = _links(refusal, child, activity, max(today, form.period_start), next_url)
        return render(request, "services/family/enrol.html", {
            **context, "form": form, "refusal": refusal.message, "upload_links": links,
        }, status=400)
    return render(request, "services/family/enrol_preview.html", {
        **context, "form": form, "child": child, "activity": activity, "preview": preview,
        "hidden_fields": _hidden_values(form),
        "derogation_label": Enrolment.Derogation(data["derogation_reason"]).label
        if data.get("derogation_reason") else "",
        "level_label": dict(form.fields["requested_level"].choices).get(data.get("requested_level"))
        if is_school else "",
    })


def _visible_enrolments(user):
    return (Enrolment.objects.filter(child__in=children_visible_to(user).values("pk"))
            .select_related("activity__service", "child", "household"))


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def enrolment_list(request, service_page):
    """The enrolments of the user's children in this service's activities, with their
    state: pending, registered, active, waiting (with the position), refused (why)."""
    children = _children(request.user)
    try:
        child = _queried_child(request, children)
    except BadInput as error:
        return _bad_query(request, service_page, error.args[0])
    rows = _visible_enrolments(request.user).filter(activity__service_id=service_page.service_id)
    if child is not None:
        rows = rows.filter(child=child)
    rows = list(rows.order_by("child__birth_date", "child_id", "-start_date", "activity__name", "-requested_at"))
    notice = None
    wanted = request.GET.get("demande", "")
    for enrolment in rows:
        enrolment.position = enrolments.waiting_position(enrolment)
        if enrolment.status in Enrolment.OPEN:
            enrolment.withdraw_url = service_page.screen_url(request, "enrolment_withdraw", pk=enrolment.pk)
        if str(enrolment.pk) == wanted:
            notice = _request_notice(enrolment)
        elif str(enrolment.pk) == request.GET.get("retiree", "") and enrolment.status == Enrolment.Status.WITHDRAWN:
            notice = _("L'inscription de %(child)s à « %(activity)s » est annulée.") % {
                "child": enrolment.child.first_name, "activity": enrolment.activity.name}
    return render(request, "services/family/enrolments.html", _context(
        request, service_page, enrolments=rows, children=children, child=child, notice=notice,
        enrol_url=service_page.screen_url(request, "enrol")))


def _request_notice(enrolment):
    names = {"child": enrolment.child.first_name, "activity": enrolment.activity.name}
    if enrolment.status == Enrolment.Status.ACTIVE:
        return _("%(child)s est inscrit(e) à « %(activity)s ».") % names
    if enrolment.status == Enrolment.Status.WAITING:
        return _("La demande pour %(child)s à « %(activity)s » est sur liste d'attente, en position "
                 "%(position)s : vous serez prévenu(e) dès qu'une place se libère.") % {
            **names, "position": enrolments.waiting_position(enrolment)}
    if enrolment.status == Enrolment.Status.PENDING:
        return _("La demande pour %(child)s à « %(activity)s » est enregistrée : le service la validera, "
                 "vous serez prévenu(e) de sa décision.") % names
    return None


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def enrolment_withdraw(request, pk, service_page):
    """GET asks for confirmation; POST withdraws the request or the enrolment."""
    enrolment = get_object_or_404(_visible_enrolments(request.user), pk=pk)
    list_url = service_page.screen_url(request, "enrolments")
    context = _context(request, service_page, enrolment=enrolment, enrolments_url=list_url,
                       is_open=enrolment.status in Enrolment.OPEN,
                       is_stay=enrolment.activity.shape == Activity.Shape.STAY)
    if request.method != "POST":
        return render(request, "services/family/withdraw_confirm.html", context)
    try:
        enrolments.withdraw(request.user, enrolment, now=now(), request=request)
    except Refusal as refusal:
        return render(request, "services/family/withdraw_confirm.html", {**context, "refusal": refusal.message},
                      status=400)
    return redirect(list_url + f"?retiree={enrolment.pk}")


# --- absences ----------------------------------------------------------------------------


def _certificates(children):
    from documents.models import SupportingDocument

    return list(SupportingDocument.objects.filter(
        child__in=[c.pk for c in children], document_type__code__in=absences.certificate_type_codes(),
    ).exclude(status=SupportingDocument.Status.REJECTED).select_related("document_type")
        .order_by("-uploaded_at", "-pk"))


def _certificate_upload_url(absence_url, child=None):
    """The documents area's upload screen for a medical certificate (the first type of
    ``PORTAL_ABSENCE_CERTIFICATE_TYPES`` the commune has), with the way back."""
    from documents.models import DocumentType
    from documents.rules import upload_url

    codes = absences.certificate_type_codes()
    types = {t.code: t for t in DocumentType.objects.filter(code__in=codes, is_active=True)}
    kind = next((types[code] for code in codes if code in types), None)
    if kind is None:
        return None
    try:
        return upload_url(kind, child, absence_url)
    except NoReverseMatch:
        return None


def _posted_certificate(request, certificates, children):
    """The certificate named by ``request.POST["document"]``: 404 when it is not one of
    the visible children's documents."""
    from documents.models import SupportingDocument

    raw = request.POST.get("document", "").strip()
    if not raw.isascii() or not raw.isdigit():
        return
    if any(str(document.pk) == raw for document in certificates):
        return
    if not SupportingDocument.objects.filter(pk=int(raw), child__in=[c.pk for c in children]).exists():
        raise Http404(_("Document introuvable."))


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def absence(request, service_page):
    """Declare an absence with a medical certificate (step 1: the form; step 2: the days it
    covers; step 3: the declaration), and the household's declarations with their state."""
    user = request.user
    children = _children(user)
    certificates = _certificates(children)
    absence_url = service_page.screen_url(request, "absence")
    declarations = list(
        AbsenceJustification.objects.filter(child__in=[c.pk for c in children])
        .select_related("child", "document__document_type")
        .prefetch_related(Prefetch("bookings", queryset=Booking.objects.select_related("activity")
                                   .order_by("day", "activity__name")))
        .order_by("-declared_at", "-pk")[:DECLARATIONS_SHOWN])
    context = _context(request, service_page, children=children, certificates=certificates,
                       declarations=declarations, upload_url=_certificate_upload_url(absence_url),
                       child_upload_urls=[(c, _certificate_upload_url(absence_url, c)) for c in children])
    form_kwargs = {"children": children, "certificates": certificates}
    if request.method != "POST":
        notice = None
        wanted = request.GET.get("declaree", "")
        declared = next((d for d in declarations if str(d.pk) == wanted), None)
        if declared is not None:
            notice = _("L'absence de %(child)s est déclarée : %(count)s jour(s) en attente de la décision du "
                       "service.") % {"child": declared.child.first_name, "count": len(declared.bookings.all())}
        initial = {}
        try:
            child = _queried_child(request, children)
        except BadInput as error:
            return _bad_query(request, service_page, error.args[0])
        if child is not None:
            initial["child"] = str(child.pk)
        return render(request, "services/family/absence.html", {
            **context, "form": AbsenceForm(initial=initial, **form_kwargs), "notice": notice})

    child = _posted_child(request, children)
    _posted_certificate(request, certificates, children)
    form = AbsenceForm(request.POST, **form_kwargs)
    if request.POST.get("edit") == "1":
        form.is_valid()
        form.errors.clear()
        return render(request, "services/family/absence.html", {**context, "form": form})
    if child is None or not form.is_valid():
        return render(request, "services/family/absence.html", {**context, "form": form}, status=400)
    data = form.cleaned_data
    document = form.certificate
    try:
        if request.POST.get("confirm") == "1":
            declared = absences.declare(user, child, data["first_day"], data["last_day"], document, now=now(),
                                        comment=data.get("comment", ""), request=request)
            return redirect(absence_url + f"?declaree={declared.pk}")
        preview = absences.preview_declaration(user, child, data["first_day"], data["last_day"], document,
                                                now=now())
    except Refusal as refusal:
        return render(request, "services/family/absence.html", {
            **context, "form": form, "refusal": refusal.message,
            "refusal_upload_url": _certificate_upload_url(absence_url, child)
            if refusal.code in ("document_required", "document_type", "document_rejected") else None,
        }, status=400)
    deadlines = {}
    for booking in preview.covered:
        deadline = absences.justification_deadline(booking.activity, data["first_day"])
        if deadline is not None:
            deadlines.setdefault(booking.activity.name, deadline)
    return render(request, "services/family/absence_preview.html", {
        **context, "form": form, "child": child, "document": document, "preview": preview,
        "first_day": data["first_day"], "last_day": data["last_day"], "comment": data.get("comment", ""),
        "deadlines": sorted(deadlines.items()), "hidden_fields": _hidden_values(form)})


# --- history -----------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def history(request, service_page):
    """Every change of the children's bookings (Article 10.3): what, when (Paris time), by
    whom, before and after; newest first, paginated; ``?enfant=<id>`` for one child."""
    children = _children(request.user)
    try:
        child = _queried_child(request, children)
    except BadInput as error:
        return _bad_query(request, service_page, error.args[0])
    page = Paginator(booking_history.changes_for(request.user, child), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page"))
    who = booking_history.authors(request.user)
    statuses = dict(Booking.Status.choices)
    for change in page.object_list:
        change.local_at = timezone.localtime(change.at, PARIS)
        change.by = who(change)
        change.before_label = statuses.get(change.before_status, "") if change.before_status else ""
        change.after_label = statuses.get(change.after_status, "")
    history_url = service_page.screen_url(request, "history")

    def page_url(number):
        query = {"page": number}
        if child is not None:
            query = {"enfant": child.pk, **query}
        return f"{history_url}?{urlencode(query)}"

    return render(request, "services/family/history.html", _context(
        request, service_page, page=page, children=children, child=child, history_url=history_url,
        previous_url=page_url(page.previous_page_number()) if page.has_previous() else None,
        next_url=page_url(page.next_page_number()) if page.has_next() else None))


# --- iCalendar feeds -----------------------------------------------------------------------


def feed_address(request, token):
    return request.build_absolute_uri(reverse("services:feed", kwargs={"token": token}))


def _own_feeds(user, children):
    return (CalendarFeed.objects.filter(user=user, revoked_at__isnull=True, child__in=[c.pk for c in children])
            .select_related("child").order_by("child__birth_date", "child_id", "-created_at"))


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def feed_list(request, service_page):
    """The user's active feeds; POST creates one for a child and shows its address once."""
    user = request.user
    children = _children(user)
    context = _context(request, service_page, children=children)
    created = None
    status = 200
    if request.method == "POST":
        child = _posted_child(request, children)
        if child is None:
            context["refusal"] = _("Choisissez l'enfant dont vous voulez l'agenda.")
            status = 400
        else:
            try:
                feed, token = feeds.create_feed(user, child, now=now(), request=request)
                created = {"feed": feed, "url": feed_address(request, token)}
            except Refusal as refusal:
                context["refusal"] = refusal.message
                status = 400
    rows = list(_own_feeds(user, children))
    for feed in rows:
        feed.revoke_url = service_page.screen_url(request, "feed_revoke", pk=feed.pk)
    notice = _("L'adresse de l'agenda est révoquée : elle ne donne plus rien.") \
        if request.method != "POST" and request.GET.get("revoque") else None
    return render(request, "services/family/feeds.html", {**context, "feeds": rows, "created": created,
                                                          "notice": notice}, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def feed_revoke(request, pk, service_page):
    """GET asks for confirmation; POST closes the address at once."""
    feed = get_object_or_404(_own_feeds(request.user, _children(request.user)), pk=pk)
    list_url = service_page.screen_url(request, "feeds")
    if request.method != "POST":
        return render(request, "services/family/feed_revoke.html",
                      _context(request, service_page, feed=feed, feeds_url=list_url))
    feeds.revoke(request.user, feed, now=now(), request=request)
    return redirect(list_url + "?revoque=1")


@never_cache
@require_http_methods(["GET", "HEAD"])
def feed_ics(request, token):
    """The iCalendar text of a feed, at its secret address (no session): 404 when the
    token is unknown or revoked, or when its owner lost the right to see the child."""
    feed = feeds.feed_for_token(token)
    if feed is None:
        raise Http404(_("Agenda introuvable ou révoqué."))
    response = HttpResponse(feeds.render(feed, now=now()), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="reservations.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response

