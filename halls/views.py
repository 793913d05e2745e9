"""Parent screens of hall hire, embedded below the hall-hire ServicePage.

Thin views: the rules are in ``halls.hire``. Every view receives ``service_page`` (the
ServicePage being served) and links with ``service_page.screen_url``. Every response is
``Cache-Control: no-store``; a request of another user is a 404, on read and on write.
"""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from documents.rules import upload_links
from services.models import Hall

from . import hire
from .calendar import month_calendar, parse_month
from .forms import HallRequestForm
from .models import PARIS, HallRequest, HallSlot, terms_for

# Fields the preview carries back to the confirmation (the form's own fields only).
FORM_FIELDS = list(HallRequestForm.base_fields)


def _hall(hall_id):
    return get_object_or_404(Hall, pk=hall_id, is_active=True)


def _context(request, service_page, **extra):
    return {"service_page": service_page, "service_url": service_page.get_url(request), **extra}


@never_cache
@require_http_methods(["GET", "HEAD"])
def index(request, service_page):
    """The halls for hire, their prices and terms, and the user's requests."""
    halls = list(Hall.objects.filter(is_active=True).prefetch_related("hire_slots").select_related("hire_terms"))
    for hall in halls:
        hall.active_slots = [slot for slot in hall.hire_slots.all() if slot.is_active]
        hall.calendar_url = service_page.screen_url(request, "calendar", hall_id=hall.pk)
    own = []
    if request.user.is_authenticated:
        own = list(hire.requests_for(request.user).holding().select_related("hall", "slot")
                   .order_by("event_date")[:10])
        for hall_request in own:
            hall_request.url = service_page.screen_url(request, "request_detail", pk=hall_request.pk)
    return render(request, "halls/index.html", _context(
        request, service_page, halls=halls, own_requests=own,
        my_requests_url=service_page.screen_url(request, "my_requests"),
    ))


@never_cache
@require_http_methods(["GET", "HEAD"])
def calendar(request, hall_id, service_page):
    """The hall's month: one row per day, one column per slot, a link on each free slot."""
    hall = _hall(hall_id)
    now = timezone.now()
    today = timezone.localtime(now, PARIS).date()
    first_day = parse_month(request.GET.get("mois"), today)
    this_month = today.replace(day=1)
    limit = (today + dt.timedelta(days=terms_for(hall).max_advance_days)).replace(day=1)
    if first_day < this_month or first_day > limit:
        first_day = this_month
    month = month_calendar(hall, first_day, now=now, user=request.user)
    calendar_url = service_page.screen_url(request, "calendar", hall_id=hall.pk)
    request_url = service_page.screen_url(request, "new_request", hall_id=hall.pk)
    for row in month.rows:
        for cell in row.cells:
            if cell.requestable:
                cell.url = f"{request_url}?date={row.day:%Y-%m-%d}&creneau={cell.slot.pk}"
            elif cell.hall_request is not None:
                cell.url = service_page.screen_url(request, "request_detail", pk=cell.hall_request.pk)
    return render(request, "halls/calendar.html", _context(
        request, service_page, hall=hall, month=month, terms=terms_for(hall),
        previous_url=f"{calendar_url}?mois={month.previous:%Y-%m}" if month.previous else None,
        next_url=f"{calendar_url}?mois={month.next:%Y-%m}" if month.next else None,
        index_url=service_page.screen_url(request, "index"),
    ))


def _initial_from_query(request, hall):
    initial = {}
    day = request.GET.get("date")
    if day:
        initial["date"] = day
    slot_id = request.GET.get("creneau")
    if slot_id and slot_id.isdigit() and HallSlot.objects.filter(pk=slot_id, hall=hall, is_active=True).exists():
        initial["slot"] = int(slot_id)
    return initial


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def new_request(request, hall_id, service_page):
    """Step 1 fills the form; step 2 shows the price, deposit and fees; step 3 confirms."""
    hall = _hall(hall_id)
    context = _context(request, service_page, hall=hall, terms=terms_for(hall),
                       calendar_url=service_page.screen_url(request, "calendar", hall_id=hall.pk))
    if request.method != "POST":
        form = HallRequestForm(hall=hall, user=request.user, initial=_initial_from_query(request, hall))
        return render(request, "halls/request_form.html", {**context, "form": form})

    form = HallRequestForm(request.POST, hall=hall, user=request.user)
    if request.POST.get("edit") == "1":  # back from the preview: the form as filled in
        return render(request, "halls/request_form.html", {**context, "form": form})
    if not form.is_valid():
        return render(request, "halls/request_form.html", {**context, "form": form}, status=400)
    data = form.cleaned_data
    details = form.details()
    try:
        if request.POST.get("confirm") == "1":
            hall_request = hire.create_request(request.user, hall, data["slot"], data["date"], details,
                                               request=request)
            # The confirmation is shown by the detail screen (not through the messages list).
            return redirect(service_page.screen_url(request, "request_detail", pk=hall_request.pk) + "?enregistree=1")
        quote = hire.quote(request.user, hall, data["slot"], data["date"], details)
    except hire.HireRefused as refusal:
        links = upload_links(refusal.household, None, None, refusal.day, request.get_full_path(), hall_hire=True) \
            if refusal.missing_documents else []
        return render(request, "halls/request_form.html",
                      {**context, "form": form, "refusal": refusal.message, "upload_links": links}, status=400)
    return render(request, "halls/request_preview.html", {**context, "form": form, "quote": quote,
                                                          "hidden_fields": _hidden_values(form)})


def _hidden_values(form):
    """(name, value) pairs that post the form again, as cleaned (dates in ISO format)."""
    pairs = []
    for name in FORM_FIELDS:
        if name not in form.fields:
            continue
        value = form.cleaned_data.get(name)
        if value is None or value == "":
            continue
        if hasattr(value, "pk"):
            value = value.pk
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        elif value is True:
            value = "on"
        elif value is False:
            continue
        pairs.append((form.add_prefix(name), value))
    return pairs


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def my_requests(request, service_page):
    own = list(hire.requests_for(request.user).select_related("hall", "slot").order_by("-event_date", "-id"))
    for hall_request in own:
        hall_request.url = service_page.screen_url(request, "request_detail", pk=hall_request.pk)
    return render(request, "halls/my_requests.html", _context(
        request, service_page, hall_requests=own, index_url=service_page.screen_url(request, "index")))


def _own_request(request, pk):
    return get_object_or_404(hire.requests_for(request.user).select_related("hall", "slot", "household"), pk=pk)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def request_detail(request, pk, service_page):
    hall_request = _own_request(request, pk)
    now = timezone.now()
    cancellable = True
    try:
        hire.check_cancellable(hall_request, request.user, now=now)
    except (hire.HireRefused, PermissionDenied):
        cancellable = False
    notice = None
    if request.GET.get("enregistree") and hall_request.status == HallRequest.Status.PENDING:
        notice = _("Votre demande %(reference)s est enregistrée : le créneau vous est réservé en attendant la "
                   "décision de la commune.") % {"reference": hall_request.reference}
    elif request.GET.get("annulee") and hall_request.status == HallRequest.Status.CANCELLED:
        notice = _("Votre demande %(reference)s est annulée.") % {"reference": hall_request.reference}
    return render(request, "halls/request_detail.html", _context(
        request, service_page, hall_request=hall_request, fee_tiers=hire.fee_tiers(hall_request), notice=notice,
        insurance_ok=hire.insurance_ok(hall_request), cancellable=cancellable,
        cancel_url=service_page.screen_url(request, "cancel_request", pk=hall_request.pk),
        my_requests_url=service_page.screen_url(request, "my_requests"),
    ))


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cancel_request(request, pk, service_page):
    """GET shows the fee owed if cancelled now; POST cancels."""
    hall_request = _own_request(request, pk)
    detail_url = service_page.screen_url(request, "request_detail", pk=hall_request.pk)
    context = _context(request, service_page, hall_request=hall_request, detail_url=detail_url)
    if request.method == "POST":
        try:
            hire.cancel_by_requester(hall_request, request.user, request=request)
        except hire.HireRefused as refusal:
            return render(request, "halls/cancel_confirm.html", {**context, "refusal": refusal.message,
                                                                 "fee": None}, status=400)
        return redirect(detail_url + "?annulee=1")
    try:
        hire.check_cancellable(hall_request, request.user)
    except hire.HireRefused as refusal:
        return render(request, "halls/cancel_confirm.html", {**context, "refusal": refusal.message, "fee": None})
    return render(request, "halls/cancel_confirm.html", {**context, "fee": hire.cancellation_fee_for(hall_request)})


# --- Stable entry points under /<lang>/salles/ ----------------------------------------


def hall_service_page(request=None):
    """The live hall-hire ServicePage in the active language (French otherwise), or None."""
    from django.utils import translation
    from home.models import ServicePage

    pages = ServicePage.objects.live().filter(service__shape="hall_hire").select_related("locale")
    language = translation.get_language() or "fr"
    return pages.filter(locale__language_code=language).first() or pages.order_by("locale__language_code").first()


@never_cache
def entry(request, screen="index"):
    page = hall_service_page(request)
    if page is None:
        raise Http404(_("La location de salles n'est pas proposée sur ce portail."))
    return redirect(page.screen_url(request, screen))
