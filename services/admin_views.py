"""The agents' screens of the services in the Wagtail admin (menu « Suivi des services »):

- enrolment requests to decide (oldest first), one request with the child, the
  household, eligibility, documents and waiting position, and the decisions;
- waiting lists per activity (per day, or per enrolment period), in order;
- bookings for a family (paper households, corrections): household → child →
  activity → month calendar, with an explicit deadline override, a preview, then the
  confirmation, always through ``services.bookings.apply_changes``;
- attendance (pointage) on a phone-sized screen, its printable list, the meal counts;
- absence justifications to decide, with the certificate seen through the documents
  area's checked file view;
- places per day: the occupancy of each day (places, booked, left, waiting, present,
  absent, rate) with CSV/XLSX exports (traced), custom capacity; the iCalendar import
  of holidays.

Rights are Django's (``accounts.roles``): agents hold every ``services.*`` permission,
cashiers ``services.view_*`` (they read the queues, the lists and the meal counts, and
record a stay's prepayment with ``billing.add_payment`` when no office invoices the stay:
otherwise it is paid on the stay's invoice, ``billing.stays``); communication and legal staff
hold none and get 403; parents never enter the admin. Every write goes through a
domain function, which traces it (``accounts.audit.record``).
"""

import datetime as dt

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from accounts.audit import record
from accounts.models import AuditEvent, Child, Household

from . import absences, attendance, enrolments, staff
from .admin_calendar import month_calendar, parse_month
from .admin_forms import (
    AbsenceFilterForm,
    CapacityForm,
    EnrolmentFilterForm,
    HouseholdSearchForm,
    IcsImportForm,
    MarkForm,
    NoteForm,
    PrepaymentForm,
    ReasonForm,
    SchoolRegistrationForm,
)
from .bookings import BOOK, CANCEL, Change, apply_changes
from .calendars import PARIS, Calendar
from .models import (
    AbsenceJustification,
    Activity,
    Attendance,
    Booking,
    BookingChange,
    CalendarPeriod,
    Enrolment,
    PlaceCounter,
)
from .rules import Refusal, age_on, format_day

PREPAYMENT_PERMISSIONS = ("services.change_enrolment", "billing.add_payment")


def current_time():
    """The moment the screens act at (one place, so that tests may move it)."""
    return timezone.now()


def today():
    return current_time().astimezone(PARIS).date()


def can(user, permission):
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff
                and user.has_perm(permission))


def parse_day(value, default):
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


@method_decorator(never_cache, name="dispatch")
class StaffView(WagtailAdminTemplateMixin, TemplateView):
    """A services screen: refused (403) without ``permission``; never cached."""

    permission = None
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not can(request.user, self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def require(self, permission):
        if not can(self.request.user, permission):
            raise PermissionDenied

    def refused(self, refusal):
        messages.error(self.request, refusal.message)


# Enrolments -------------------------------------------------------------------------------

ENROLMENT_STATES = {
    "todo": [Enrolment.Status.PENDING, Enrolment.Status.REGISTERED],
    "all": None,
}


class EnrolmentQueueView(StaffView):
    """Requests to decide, oldest first, filtered by service, activity and state."""

    permission = "services.view_enrolment"
    template_name = "services/admin/enrolment_queue.html"
    page_title = gettext_lazy("Demandes d'inscription")
    header_icon = "form"
    per_page = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = EnrolmentFilterForm(self.request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        state = data.get("state") or "todo"
        rows = Enrolment.objects.select_related("child", "household", "activity__service")
        statuses = ENROLMENT_STATES.get(state, [state])
        if statuses is not None:
            rows = rows.filter(status__in=statuses)
        if data.get("service"):
            rows = rows.filter(activity__service=data["service"])
        if data.get("activity"):
            rows = rows.filter(activity=data["activity"])
        query = " ".join((data.get("q") or "").split())
        if query:
            rows = rows.filter(Q(child__first_name__icontains=query) | Q(child__last_name__icontains=query)
                               | Q(household__name__icontains=query) | Q(household__code__icontains=query))
        if state == "waiting":
            rows = rows.order_by("activity__name", "start_date", "waiting_since", "id")
        elif state in ("todo", "pending", "registered"):
            rows = rows.order_by("requested_at", "id")
        else:
            rows = rows.order_by("-requested_at", "-id")
        page = Paginator(rows, self.per_page).get_page(self.request.GET.get("p"))
        for enrolment in page.object_list:
            enrolment.position = staff.waiting_position(enrolment)
        query_string = {k: v for k, v in self.request.GET.items() if k != "p"}
        context.update({"form": form, "page": page, "state": state, "query_string": urlencode(query_string)})
        return context


class EnrolmentDetailView(StaffView):
    """One request: who, for what, whether it fits, and the decisions."""

    permission = "services.view_enrolment"
    template_name = "services/admin/enrolment_detail.html"
    page_title = gettext_lazy("Demande d'inscription")
    header_icon = "form"

    def dispatch(self, request, *args, **kwargs):
        self.forms = {}
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def enrolment(self):
        return get_object_or_404(
            Enrolment.objects.select_related("child__household", "household", "activity__service", "requested_by",
                                             "decided_by"), pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.enrolment.child)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("services_enrolments:index"), "label": _("Demandes d'inscription")},
            {"url": "", "label": str(self.enrolment.child)},
        ]

    @property
    def this_url(self):
        return reverse("services_enrolments:detail", args=[self.enrolment.pk])

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        enrolment = self.enrolment
        now = current_time()
        if action == "prepayment":
            if not any(can(request.user, p) for p in PREPAYMENT_PERMISSIONS):
                raise PermissionDenied
        else:
            self.require(enrolments.ENROLMENT_PERMISSION)
        try:
            if action == "accept":
                form = NoteForm(request.POST, prefix="accept")
                if not form.is_valid():
                    return self.invalid(action, form)
                enrolment, promoted = enrolments.decide(request.user, enrolment, accept=True, now=now,
                                                        reason=form.cleaned_data["note"], request=request)
                messages.success(request, _("Inscription acceptée ; la famille est prévenue par e-mail."))
            elif action == "refuse":
                form = ReasonForm(request.POST, prefix="refuse")
                if not form.is_valid():
                    return self.invalid(action, form)
                enrolment, promoted = enrolments.decide(request.user, enrolment, accept=False, now=now,
                                                        reason=form.cleaned_data["reason"], request=request)
                messages.success(request, _("Demande refusée ; la famille est prévenue par e-mail, avec le motif."))
                self.tell_promoted(promoted)
            elif action == "waiting":
                form = NoteForm(request.POST, prefix="waiting")
                if not form.is_valid():
                    return self.invalid(action, form)
                enrolment, promoted = staff.put_on_waiting_list(request.user, enrolment, now=now,
                                                                reason=form.cleaned_data["note"], request=request)
                messages.success(request, _("Demande placée sur liste d'attente ; la famille est prévenue par "
                                            "e-mail."))
                self.tell_promoted(promoted)
            elif action == "register":
                form = SchoolRegistrationForm(request.POST, prefix="register", enrolment=enrolment)
                if not form.is_valid():
                    return self.invalid(action, form)
                enrolments.decide(request.user, enrolment, accept=True, now=now, school=form.cleaned_data["school"],
                                  derogation_granted=form.cleaned_data.get("derogation_granted"),
                                  reason=form.cleaned_data["note"], request=request)
                messages.success(request, _("Enfant inscrit par la commune ; l'école prononcera l'admission. La "
                                            "famille est prévenue par e-mail."))
            elif action == "admit":
                form = NoteForm(request.POST, prefix="admit")
                if not form.is_valid():
                    return self.invalid(action, form)
                enrolments.decide(request.user, enrolment, accept=True, now=now, reason=form.cleaned_data["note"],
                                  request=request)
                messages.success(request, _("Admission par l'école enregistrée ; la famille est prévenue par "
                                            "e-mail."))
            elif action == "withdraw":
                form = ReasonForm(request.POST, prefix="withdraw")
                if not form.is_valid():
                    return self.invalid(action, form)
                _enrolment, promoted = staff.withdraw_for_family(
                    request.user, enrolment, now=now, reason=form.cleaned_data["reason"],
                    override=request.POST.get("withdraw-override") == "on", request=request)
                messages.success(request, _("Inscription annulée ; la famille est prévenue par e-mail."))
                self.tell_promoted(promoted)
            elif action == "prepayment":
                invoice = enrolment.stay_invoices.first()
                if invoice is not None:
                    raise Refusal("stay_invoiced", _(
                        "Ce séjour est facturé par la facture %(number)s : enregistrez le paiement sur cette facture "
                        "(paiement au guichet ou en ligne) ; il est reporté ici.") % {"number": invoice.number})
                form = PrepaymentForm(request.POST, prefix="prepayment")
                if not form.is_valid():
                    return self.invalid(action, form)
                enrolments.record_prepayment(enrolment, reference=form.cleaned_data["reference"], now=now,
                                             actor=request.user, request=request)
                messages.success(request, _("Paiement du séjour enregistré."))
            else:
                messages.error(request, _("Opération inconnue."))
        except Refusal as refusal:
            self.refused(refusal)
        return redirect(self.this_url)

    def tell_promoted(self, promoted):
        if promoted is not None:
            messages.success(self.request, _("La place libérée est attribuée à %(child)s, premier de la liste "
                                             "d'attente ; sa famille est prévenue.") % {"child": promoted.child})

    def invalid(self, action, form):
        self.forms[action] = form
        response = self.render_to_response(self.get_context_data())
        response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        from documents.rules import missing_documents

        context = super().get_context_data(**kwargs)
        enrolment = self.enrolment
        child, activity, household = enrolment.child, enrolment.activity, enrolment.household
        user = self.request.user
        is_school = activity.shape == Activity.Shape.SCHOOL_ENROLMENT
        check_day = max(today(), enrolment.start_date)
        eligibility = enrolments.eligibility_refusal(child, activity, enrolment.start_date, enrolment.requested_level)
        counter = PlaceCounter.objects.filter(activity_id=activity.pk, scope=PlaceCounter.Scope.ENROLMENT,
                                              day=enrolment.start_date).first()
        can_decide = can(user, enrolments.ENROLMENT_PERMISSION)
        status = enrolment.status
        S = Enrolment.Status
        context.update({
            "enrolment": enrolment,
            "child": child,
            "activity": activity,
            "household": household,
            "guardians": household.guardians.select_related("user").order_by("id"),
            "age": age_on(child.birth_date, enrolment.start_date),
            "eligibility": eligibility,
            "missing": [str(name) for name in missing_documents(household, child, activity, check_day)],
            "check_day": check_day,
            "position": staff.waiting_position(enrolment),
            "counter": counter,
            "is_school": is_school,
            "can_decide": can_decide,
            "can_accept": can_decide and status == S.PENDING and not is_school,
            "can_register": can_decide and status == S.PENDING and is_school,
            "can_admit": can_decide and status == S.REGISTERED,
            "can_refuse": can_decide and status in (S.PENDING, S.REGISTERED),
            "can_wait": can_decide and status == S.PENDING,
            "can_withdraw": can_decide and status in Enrolment.OPEN,
            # A stay invoiced by billing (billing.stays) is paid on its invoice; the manual
            # record is for a stay no office invoices (paid outside the portal).
            "stay_invoice": (stay_invoice := enrolment.stay_invoices.first()),
            "can_record_prepayment": (enrolment.prepayment_status == Enrolment.Prepayment.DUE and stay_invoice is None
                                      and any(can(user, p) for p in PREPAYMENT_PERMISSIONS)),
            "accept_form": self.forms.get("accept") or NoteForm(prefix="accept"),
            "admit_form": self.forms.get("admit") or NoteForm(prefix="admit"),
            "refuse_form": self.forms.get("refuse") or ReasonForm(prefix="refuse"),
            "waiting_form": self.forms.get("waiting") or NoteForm(prefix="waiting"),
            "withdraw_form": self.forms.get("withdraw") or ReasonForm(prefix="withdraw"),
            "register_form": self.forms.get("register") or SchoolRegistrationForm(
                prefix="register", enrolment=enrolment, initial={"school": enrolment.school or child.school}),
            "prepayment_form": self.forms.get("prepayment") or PrepaymentForm(prefix="prepayment"),
            "events": AuditEvent.objects.filter(object_type=Enrolment._meta.label_lower,
                                                object_id=str(enrolment.pk)).order_by("occurred_at", "id"),
            "others": (Enrolment.objects.filter(child=child).exclude(pk=enrolment.pk)
                       .select_related("activity").order_by("-requested_at")[:10]),
        })
        return context


# Waiting lists -------------------------------------------------------------------------------

class WaitingListsView(StaffView):
    """The waiting lists of one activity, in order: per day for the activities booked
    by the day, per enrolment period for courses, stays and schools."""

    permission = "services.view_booking"
    template_name = "services/admin/waiting_lists.html"
    page_title = gettext_lazy("Listes d'attente")
    header_icon = "list-ol"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        day = today()
        activities = (Activity.objects.exclude(shape=Activity.Shape.HALL_SLOT).select_related("service")
                      .annotate(days_waiting=Count("bookings", distinct=True, filter=Q(
                          bookings__status=Booking.Status.WAITING, bookings__day__gte=day)),
                                enrolments_waiting=Count("enrolments", distinct=True, filter=Q(
                                    enrolments__status=Enrolment.Status.WAITING)))
                      .order_by("service__order", "name"))
        activities = list(activities)
        chosen = None
        value = self.request.GET.get("activite", "")
        if value.isdigit():
            chosen = next((a for a in activities if a.pk == int(value)), None)
            if chosen is None:
                raise Http404
        groups = []
        if chosen is not None:
            groups = self.lists_for(chosen, day)
        context.update({"activities": activities, "chosen": chosen, "groups": groups})
        return context

    @staticmethod
    def lists_for(activity, day):
        groups = {}
        if activity.is_bookable_by_day:
            rows = (Booking.objects.filter(activity=activity, status=Booking.Status.WAITING, day__gte=day)
                    .select_related("child", "household").order_by("day", "waiting_since", "id"))
            counters = {c.day: c for c in PlaceCounter.objects.filter(activity=activity,
                                                                      scope=PlaceCounter.Scope.BOOKING,
                                                                      day__in={r.day for r in rows})}
            for row in rows:
                group = groups.setdefault(row.day, {"label": format_day(row.day), "rows": [],
                                                    "counter": counters.get(row.day)})
                group["rows"].append(row)
        else:
            rows = (Enrolment.objects.filter(activity=activity, status=Enrolment.Status.WAITING)
                    .select_related("child", "household").order_by("start_date", "waiting_since", "id"))
            counters = {c.day: c for c in PlaceCounter.objects.filter(activity=activity,
                                                                      scope=PlaceCounter.Scope.ENROLMENT,
                                                                      day__in={r.start_date for r in rows})}
            for row in rows:
                label = _("du %(start)s au %(end)s") % {"start": format_day(row.start_date),
                                                        "end": format_day(row.end_date)}
                group = groups.setdefault(row.start_date, {"label": label, "rows": [],
                                                           "counter": counters.get(row.start_date)})
                group["rows"].append(row)
        return list(groups.values())


# Bookings for a family ---------------------------------------------------------------------

class FamilyBookingMixin:
    permission = "services.change_booking"
    header_icon = "date"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": reverse("services_family_booking:index"),
                                          "label": _("Réserver pour une famille")}]


class FamilyBookingSearchView(FamilyBookingMixin, StaffView):
    """Step 1: find the household."""

    template_name = "services/admin/family_search.html"
    page_title = gettext_lazy("Réserver pour une famille")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = HouseholdSearchForm(self.request.GET or None)
        households = []
        query = ""
        if form.is_valid():
            query = " ".join(form.cleaned_data["q"].split())
        if query:
            households = (Household.objects.filter(
                Q(name__icontains=query) | Q(code__icontains=query) | Q(children__first_name__icontains=query)
                | Q(children__last_name__icontains=query)).distinct()
                .prefetch_related(Prefetch("children", queryset=Child.objects.order_by("birth_date", "id")))
                .order_by("name")[:30])
        context.update({"form": form, "households": households, "query": query,
                        "paper_households": Household.objects.filter(paper_only=True).order_by("name")[:30]})
        return context


class FamilyBookingHouseholdView(FamilyBookingMixin, StaffView):
    """Step 2: the household's children, their enrolments in activities booked by
    the day, and their latest booking changes (with the agents' overrides)."""

    template_name = "services/admin/family_household.html"
    page_title = gettext_lazy("Réserver pour une famille")

    @cached_property
    def household(self):
        return get_object_or_404(Household, pk=self.kwargs["household_id"])

    def get_page_subtitle(self):
        return self.household.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        household = self.household
        day = today()
        children = list(household.children.order_by("birth_date", "id"))
        open_enrolments = (Enrolment.objects.filter(child__in=children, status__in=Enrolment.OPEN,
                                                    end_date__gte=day)
                           .select_related("activity").order_by("activity__name"))
        by_child = {}
        for enrolment in open_enrolments:
            by_child.setdefault(enrolment.child_id, []).append(enrolment)
        for child in children:
            child.open_enrolments = by_child.get(child.pk, [])
        changes = (BookingChange.objects.filter(household=household).select_related("child", "activity")
                   .order_by("-at", "-id")[:40])
        context.update({"household": household, "children": children, "changes": changes,
                        "month": day.strftime("%Y-%m")})
        return context


class FamilyBookingMonthView(FamilyBookingMixin, StaffView):
    """Step 3: the month of one child in one activity. Ticked days are booked,
    unticked days cancelled; "Voir le résultat" shows what would happen (dry run), then
    "Confirmer" applies it. The deadline applies unless the agent ticks the override,
    traced as a staff override acting for the family."""

    template_name = "services/admin/family_month.html"
    page_title = gettext_lazy("Réserver pour une famille")

    @cached_property
    def child(self):
        return get_object_or_404(Child.objects.select_related("household"), pk=self.kwargs["child_id"])

    @cached_property
    def activity(self):
        return get_object_or_404(Activity.objects.select_related("service", "booking_rule", "cancellation_rule"),
                                 pk=self.kwargs["activity_id"])

    def get_page_subtitle(self):
        return f"{self.child} — {self.activity.name}"

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [
            {"url": reverse("services_family_booking:household", args=[self.child.household_id]),
             "label": self.child.household.name},
            {"url": "", "label": f"{self.child.first_name} — {self.activity.name}"},
        ]

    @property
    def base_url(self):
        return reverse("services_family_booking:month", args=[self.child.pk, self.activity.pk])

    def month(self, data):
        return parse_month(data.get("mois"), today())

    def get(self, request, *args, **kwargs):
        if not self.activity.is_bookable_by_day:
            messages.error(request, _("Cette activité ne se réserve pas jour par jour : passez par l'inscription."))
            return redirect(reverse("services_family_booking:household", args=[self.child.household_id]))
        return super().get(request, *args, **kwargs)

    def changes_from(self, data, month):
        """The days to book and to cancel: ticked days not booked yet, unticked days
        booked or waiting (only days the activity runs in that month)."""
        ticked = set(data.getlist("jours"))
        changes = []
        for cell in month.cells:
            if cell.key in ticked and not cell.ticked:
                changes.append(Change(self.child, self.activity, cell.day, BOOK))
            elif cell.key not in ticked and cell.ticked:
                changes.append(Change(self.child, self.activity, cell.day, CANCEL))
        return changes

    def post(self, request, *args, **kwargs):
        data = request.POST
        now = current_time()
        first = self.month(data)
        month = month_calendar(self.child, self.activity, first, now)
        changes = self.changes_from(data, month)
        options = {"override": data.get("override") == "on", "waive_charge": data.get("waive_charge") == "on",
                   "waiting_list": data.get("waiting_list") == "on"}
        if not changes:
            messages.warning(request, _("Aucun changement : cochez les jours à réserver, décochez ceux à annuler."))
            return redirect(f"{self.base_url}?mois={first:%Y-%m}")
        if data.get("action") == "confirm":
            result = apply_changes(request.user, changes, now=now, request=request,
                                   operation=_("réservation par un agent"), **options)
            done, refused = len(result.changed), len(result.refused)
            if done:
                messages.success(request, _("%(done)s jour(s) modifié(s) pour %(child)s ; la famille est prévenue "
                                            "(si elle reçoit les confirmations par e-mail).")
                                 % {"done": done, "child": self.child.first_name})
            if refused:
                messages.error(request, _("%(refused)s jour(s) refusé(s) : %(reasons)s") % {
                    "refused": refused, "reasons": " ; ".join(message for _code, message, _items
                                                             in result.refusals_by_reason())})
            return redirect(f"{self.base_url}?mois={first:%Y-%m}")
        result = apply_changes(request.user, changes, now=now, dry_run=True, **options)
        context = self.get_context_data(preview=result, ticked=data.getlist("jours"), options=options, month=month)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = current_time()
        month = kwargs.get("month") or month_calendar(self.child, self.activity, self.month(self.request.GET), now)
        enrolled = Enrolment.objects.filter(child=self.child, activity=self.activity, status=Enrolment.Status.ACTIVE,
                                            start_date__lte=month.last, end_date__gte=month.first).exists()
        changes = (BookingChange.objects.filter(child=self.child, activity=self.activity)
                   .select_related("actor").order_by("-at", "-id")[:30])
        context.update({
            "child": self.child, "activity": self.activity, "month_grid": month, "now": now, "enrolled": enrolled,
            "weekday_names": [_("lundi"), _("mardi"), _("mercredi"), _("jeudi"), _("vendredi"), _("samedi"),
                              _("dimanche")],
            "previous_url": f"{self.base_url}?mois={month.previous:%Y-%m}",
            "next_url": f"{self.base_url}?mois={month.next:%Y-%m}",
            "changes": changes,
            "options": kwargs.get("options") or {"override": False, "waive_charge": False, "waiting_list": True},
        })
        return context


# Attendance --------------------------------------------------------------------------------

class AttendanceIndexView(StaffView):
    """The activities of a day with their expected children, to open one's list."""

    permission = "services.view_attendance"
    template_name = "services/admin/attendance_index.html"
    page_title = gettext_lazy("Pointage")
    header_icon = "tick-inverse"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        day = parse_day(self.request.GET.get("jour"), today())
        activities = list(attendance.attendance_activities())
        ids = [a.pk for a in activities]
        calendar = Calendar.load(start=day, end=day)
        booked = dict(Booking.objects.filter(activity_id__in=ids, day=day, status=Booking.Status.BOOKED)
                      .values("activity_id").annotate(n=Count("id")).values_list("activity_id", "n"))
        marked = dict(Attendance.objects.filter(activity_id__in=ids, day=day)
                      .values("activity_id").annotate(n=Count("id")).values_list("activity_id", "n"))
        courses = dict(Enrolment.objects.filter(activity_id__in=ids, activity__shape=Activity.Shape.COURSE,
                                                status=Enrolment.Status.ACTIVE, start_date__lte=day,
                                                end_date__gte=day)
                       .values("activity_id").annotate(n=Count("id")).values_list("activity_id", "n"))
        rows = []
        for activity in activities:
            runs = calendar.runs_on(activity, day)
            expected = booked.get(activity.pk, 0) + courses.get(activity.pk, 0)
            if runs or expected or marked.get(activity.pk):
                rows.append({"activity": activity, "runs": runs, "expected": expected,
                             "marked": marked.get(activity.pk, 0),
                             "url": reverse("services_attendance:list", args=[activity.pk, day.isoformat()])})
        context.update({"day": day, "rows": rows, "is_today": day == today(),
                        "previous": day - dt.timedelta(days=1), "next": day + dt.timedelta(days=1),
                        "meals_url": reverse("services_attendance:meals") + f"?jour={day.isoformat()}"})
        return context


class AttendanceDayMixin:
    permission = "services.view_attendance"

    @cached_property
    def activity(self):
        activity = get_object_or_404(Activity.objects.select_related("service"), pk=self.kwargs["activity_id"])
        if activity.shape in (Activity.Shape.SCHOOL_ENROLMENT, Activity.Shape.HALL_SLOT):
            raise Http404
        return activity

    @cached_property
    def day(self):
        try:
            return dt.date.fromisoformat(self.kwargs["day"])
        except ValueError:
            raise Http404 from None

    def day_url(self, day=None, name="list"):
        return reverse(f"services_attendance:{name}", args=[self.activity.pk, (day or self.day).isoformat()])

    def list_context(self):
        rows = attendance.day_list(self.activity, self.day)
        calendar = Calendar.load(start=self.day, end=self.day)
        return {"activity": self.activity, "day": self.day, "rows": rows, "summary": attendance.summary(rows),
                "runs": calendar.runs_on(self.activity, self.day), "is_future": self.day > today()}


class AttendanceListView(AttendanceDayMixin, StaffView):
    """The day's list, one row per child, made for a phone: big buttons, no sidebar.
    Each button posts one mark and comes back to the child's row."""

    template_name = "services/admin/attendance_list.html"
    page_title = gettext_lazy("Pointage")

    def post(self, request, *args, **kwargs):
        self.require(attendance.ATTENDANCE_PERMISSION)
        form = MarkForm(request.POST)
        anchor = ""
        if not form.is_valid():
            messages.error(request, _("Pointage incomplet : choisissez l'enfant et le pointage."))
        else:
            data = form.cleaned_data
            child = get_object_or_404(Child.objects.select_related("household"), pk=data["child"])
            anchor = f"#enfant-{child.pk}"
            try:
                if data["action"] == "unmark":
                    attendance.unmark(request.user, child, self.activity, self.day, request=request)
                    messages.success(request, _("Pointage effacé : %(child)s.") % {"child": child.first_name})
                else:
                    mark = attendance.mark(request.user, child, self.activity, self.day, data["action"],
                                           now=current_time(), reason=data.get("reason") or "", request=request)
                    if mark.status == Attendance.Status.ABSENT:
                        text = _("%(child)s : absent (%(reason)s).") % {
                            "child": child.first_name, "reason": mark.get_absence_reason_display()}
                    else:
                        text = _("%(child)s : présent.") % {"child": child.first_name}
                    messages.success(request, text)
            except Refusal as refusal:
                self.refused(refusal)
        query = request.POST.get("retour", "")
        return redirect(self.day_url() + (f"?{query}" if query.startswith("ajouter=") else "") + anchor)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.list_context())
        search = " ".join(self.request.GET.get("ajouter", "").split())[:60]
        found = []
        if search:
            listed = {row.child.pk for row in context["rows"]}
            enrolled = Enrolment.objects.filter(child_id=OuterRef("pk"), activity_id=self.activity.pk,
                                                status=Enrolment.Status.ACTIVE, start_date__lte=self.day,
                                                end_date__gte=self.day)
            found = [child for child in Child.objects.filter(
                Q(first_name__icontains=search) | Q(last_name__icontains=search))
                .annotate(enrolled=Exists(enrolled)).order_by("-enrolled", "last_name", "first_name")[:20]
                if child.pk not in listed]
        context.update({
            "can_mark": can(self.request.user, attendance.ATTENDANCE_PERMISSION) and not context["is_future"],
            "reasons": Attendance.AbsenceReason.choices,
            "search": search, "found": found,
            "previous_url": self.day_url(self.day - dt.timedelta(days=1)),
            "next_url": self.day_url(self.day + dt.timedelta(days=1)),
            "print_url": self.day_url(name="print"),
            "index_url": reverse("services_attendance:index") + f"?jour={self.day.isoformat()}",
            "meals_url": reverse("services_attendance:meals") + f"?jour={self.day.isoformat()}",
        })
        return context


class AttendancePrintView(AttendanceDayMixin, StaffView):
    """The day's list on paper: one line per child, boxes to tick by hand."""

    template_name = "services/admin/attendance_print.html"
    page_title = gettext_lazy("Liste de pointage")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.list_context())
        context["list_url"] = self.day_url()
        return context


class MealCountsView(StaffView):
    """Meals per restaurant for the kitchen, for a day or its week."""

    permission = "services.view_attendance"
    template_name = "services/admin/meal_counts.html"
    page_title = gettext_lazy("Effectifs des repas")
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        day = parse_day(self.request.GET.get("jour"), today())
        week = self.request.GET.get("vue") == "semaine"
        base = reverse("services_attendance:meals")
        context.update({"day": day, "week": week, "day_rows": attendance.meal_counts(day),
                        "day_url": f"{base}?jour={day.isoformat()}",
                        "week_url": f"{base}?jour={day.isoformat()}&vue=semaine",
                        "previous_url": f"{base}?jour={(day - dt.timedelta(days=7 if week else 1)).isoformat()}"
                                        + ("&vue=semaine" if week else ""),
                        "next_url": f"{base}?jour={(day + dt.timedelta(days=7 if week else 1)).isoformat()}"
                                    + ("&vue=semaine" if week else "")})
        if week:
            days = attendance.week_days(day)
            per_day = [(d, attendance.meal_counts(d)) for d in days]
            sites = []
            for index, row in enumerate(per_day[0][1]):
                counts = [rows[index]["booked"] for _d, rows in per_day]
                sites.append({"site": row["site"], "activity": row["activity"], "counts": counts,
                              "total": sum(counts)})
            context.update({"days": days, "sites": sites,
                            "totals": [sum(row["booked"] for row in rows) for _d, rows in per_day]})
        return context


# Absence justifications -----------------------------------------------------------------

class AbsenceQueueView(StaffView):
    permission = "services.view_absencejustification"
    template_name = "services/admin/absence_queue.html"
    page_title = gettext_lazy("Justificatifs d'absence")
    header_icon = "doc-full-inverse"
    per_page = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = AbsenceFilterForm(self.request.GET or None)
        state = (form.cleaned_data.get("state") if form.is_valid() else "") or "pending"
        rows = (AbsenceJustification.objects.select_related("child", "household")
                .annotate(days=Count("bookings")))
        if state != "all":
            rows = rows.filter(status=state)
        rows = rows.order_by("declared_at", "id") if state == "pending" else rows.order_by("-declared_at", "-id")
        page = Paginator(rows, self.per_page).get_page(self.request.GET.get("p"))
        context.update({"form": form, "page": page, "state": state})
        return context


class AbsenceDetailView(StaffView):
    permission = "services.view_absencejustification"
    template_name = "services/admin/absence_detail.html"
    page_title = gettext_lazy("Justificatif d'absence")
    header_icon = "doc-full-inverse"

    def dispatch(self, request, *args, **kwargs):
        self.refuse_form = None
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def justification(self):
        return get_object_or_404(AbsenceJustification.objects.select_related(
            "child", "household", "document__document_type", "declared_by", "decided_by"), pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.justification.child)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("services_absences:index"), "label": _("Justificatifs d'absence")},
            {"url": "", "label": str(self.justification.child)},
        ]

    def post(self, request, *args, **kwargs):
        self.require(absences.ABSENCE_PERMISSION)
        action = request.POST.get("action")
        try:
            if action == "accept":
                absences.decide(request.user, self.justification, accept=True, now=current_time(), request=request)
                messages.success(request, _("Justificatif accepté : les jours couverts ne seront pas facturés ; la "
                                            "famille est prévenue par e-mail."))
            elif action == "refuse":
                form = ReasonForm(request.POST, prefix="refuse")
                if not form.is_valid():
                    self.refuse_form = form
                    response = self.render_to_response(self.get_context_data())
                    response.status_code = 400
                    return response
                absences.decide(request.user, self.justification, accept=False, now=current_time(),
                                reason=form.cleaned_data["reason"], request=request)
                messages.success(request, _("Justificatif refusé ; la famille est prévenue par e-mail, avec le "
                                            "motif."))
            else:
                messages.error(request, _("Opération inconnue."))
                return redirect(reverse("services_absences:detail", args=[self.justification.pk]))
        except Refusal as refusal:
            self.refused(refusal)
            return redirect(reverse("services_absences:detail", args=[self.justification.pk]))
        return redirect(reverse("services_absences:index"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        justification = self.justification
        user = self.request.user
        can_see_documents = can(user, "documents.view_supportingdocument")
        files = []
        if can_see_documents:
            files = [{"file": f, "url": reverse("documents_admin:file", args=[justification.document_id, f.pk])}
                     for f in justification.document.files.order_by("position", "id")]
        bookings = justification.bookings.select_related("activity").order_by("day", "activity__name")
        marks = {(a.activity_id, a.day): a for a in Attendance.objects.filter(
            child_id=justification.child_id, day__gte=justification.first_day, day__lte=justification.last_day)}
        for booking in bookings:
            booking.mark = marks.get((booking.activity_id, booking.day))
        context.update({
            "justification": justification, "bookings": bookings, "files": files,
            "can_see_documents": can_see_documents,
            "document_url": (reverse("documents_admin:edit", args=[justification.document_id])
                             if can_see_documents else ""),
            "can_decide": (can(user, absences.ABSENCE_PERMISSION)
                           and justification.status == AbsenceJustification.Status.PENDING),
            "refuse_form": self.refuse_form or ReasonForm(prefix="refuse"),
        })
        return context


# Places per day, iCalendar import -------------------------------------------------------

OCCUPANCY_COLUMNS = (
    ("day", gettext_lazy("Jour")),
    ("capacity", gettext_lazy("Places")),
    ("booked", gettext_lazy("Réservées")),
    ("left", gettext_lazy("Restantes")),
    ("waiting", gettext_lazy("Liste d'attente")),
    ("present", gettext_lazy("Présents")),
    ("absent", gettext_lazy("Absents")),
    ("rate", gettext_lazy("Taux d'occupation (%)")),
    ("note", gettext_lazy("Remarque")),
)


class CapacityView(SpreadsheetExportMixin, StaffView):
    """The occupancy of an activity booked by the day, month by month: places, booked,
    left, waiting, present and absent, the rate; ``?export=csv|xlsx`` gives the same
    table (traced in the audit trail); a number of places of its own for a day or a
    range of days."""

    permission = "services.view_placecounter"
    template_name = "services/admin/capacity.html"
    page_title = gettext_lazy("Places par jour")
    header_icon = "table"
    list_export = [key for key, _label in OCCUPANCY_COLUMNS]

    def dispatch(self, request, *args, **kwargs):
        self.form = None
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if not self.is_export:
            return super().get(request, *args, **kwargs)
        from .admin_calendar import month_bounds

        activity = self.chosen(request.GET)
        if activity is None:
            raise Http404
        first, last = month_bounds(parse_month(request.GET.get("mois"), today()))
        self.export_headings = {key: str(label) for key, label in OCCUPANCY_COLUMNS}
        self.export_filename = f"occupation-{activity.code}-{first:%Y-%m}"
        rows = []
        for row in staff.capacity_month(activity, first, last):
            if row["runs"]:
                rows.append({**row, "day": row["day"].isoformat(), "note": row["counter"].label
                             if row["counter"] is not None and row["counter"].label else "",
                             "capacity": "" if row["capacity"] is None else row["capacity"],
                             "left": "" if row["left"] is None else row["left"],
                             "rate": "" if row["rate"] is None else row["rate"]})
            else:
                rows.append({key: "" for key in self.list_export} | {
                    "day": row["day"].isoformat(), "note": _("Fermé : %(label)s") % {"label": row["off"]}})
        fmt = request.GET["export"]
        record(AuditEvent.Action.STAFF_EXPORT, request=request, acting_for_family=False,
               summary=f"Export {fmt} de l'occupation par jour : {activity.name} {first:%m/%Y}",
               after={"activity": activity.code, "mois": first.strftime("%Y-%m"), "format": fmt})
        return self.as_spreadsheet(rows, fmt)

    @cached_property
    def activities(self):
        return list(Activity.objects.filter(shape__in=[Activity.Shape.DAILY, Activity.Shape.HALF_DAY,
                                                       Activity.Shape.SESSION])
                    .select_related("service").order_by("service__order", "name"))

    def chosen(self, data):
        value = data.get("activite", "")
        if value.isdigit():
            activity = next((a for a in self.activities if a.pk == int(value)), None)
            if activity is None:
                raise Http404
            return activity
        return None

    def post(self, request, *args, **kwargs):
        self.require(staff.CAPACITY_PERMISSION)
        activity = self.chosen(request.POST)
        if activity is None:
            raise Http404
        form = CapacityForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["mode"] == "reset":
                    result = staff.reset_capacity(request.user, activity, data["start"], data["end"],
                                                  now=current_time(), request=request)
                else:
                    result = staff.set_capacity(request.user, activity, data["start"], data["end"], data["capacity"],
                                                now=current_time(), label=data["label"] or None, request=request)
            except Refusal as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("Places modifiées pour %(count)s jour(s).") % {"count": len(result.days)})
                if result.promoted:
                    messages.success(request, _("%(count)s enfant(s) de la liste d'attente ont obtenu une place ; "
                                                "leurs familles sont prévenues.") % {"count": len(result.promoted)})
                return redirect(reverse("services_capacity:index") + "?" + urlencode(
                    {"activite": activity.pk, "mois": data["start"].strftime("%Y-%m")}))
        self.form = form
        response = self.render_to_response(self.get_context_data(activity=activity))
        response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        from .admin_calendar import month_bounds

        context = super().get_context_data(**kwargs)
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        activity = kwargs.get("activity") or self.chosen(self.request.GET)
        first, last = month_bounds(parse_month(source.get("mois"), today()))
        context.update({"activities": self.activities, "chosen": activity, "first": first,
                        "can_change": can(self.request.user, staff.CAPACITY_PERMISSION)})
        if activity is not None:
            base = reverse("services_capacity:index")
            previous = (first - dt.timedelta(days=1)).replace(day=1)
            context.update({
                "rows": staff.capacity_month(activity, first, last),
                "form": self.form or CapacityForm(initial={"start": first, "end": last, "mode": "set",
                                                           "capacity": activity.capacity}),
                "previous_url": f"{base}?{urlencode({'activite': activity.pk, 'mois': previous.strftime('%Y-%m')})}",
                "next_url": f"{base}?"
                            f"{urlencode({'activite': activity.pk, 'mois': (last + dt.timedelta(days=1)).strftime('%Y-%m')})}",
                "closures": CalendarPeriod.objects.filter(kind=CalendarPeriod.Kind.CLOSURE, start_date__lte=last,
                                                          end_date__gte=first)
                .filter(Q(activity__isnull=True) | Q(activity=activity)).order_by("start_date"),
                "closure_add_url": reverse("services_calendarperiod:add"),
                "csv_url": f"{base}?{urlencode({'activite': activity.pk, 'mois': first.strftime('%Y-%m'), 'export': 'csv'})}",
                "xlsx_url": f"{base}?"
                            f"{urlencode({'activite': activity.pk, 'mois': first.strftime('%Y-%m'), 'export': 'xlsx'})}",
            })
        return context


ICS_SALT = "services.ics-import"


class CalendarImportView(StaffView):
    """Upload an .ics file (public holidays, zone B holidays, closures), see what will
    be created or changed, then confirm."""

    permission = staff.CALENDAR_PERMISSION
    template_name = "services/admin/calendar_import.html"
    page_title = gettext_lazy("Importer un calendrier (iCalendar)")
    header_icon = "calendar-alt"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", IcsImportForm())
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "confirm":
            return self.confirm(request)
        form = IcsImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(form=form, status=400)
        data = form.cleaned_data
        try:
            text = staff.read_icalendar(data["file"])
            rows = staff.preview_icalendar(text, data["kind"], school_year=data["school_year"])
        except Refusal as refusal:
            form.add_error("file", refusal.message)
            return self.render_page(form=form, status=400)
        payload = signing.dumps({"text": text, "kind": data["kind"],
                                 "school_year": data["school_year"].pk if data["school_year"] else None},
                                salt=ICS_SALT, compress=True)
        return self.render_page(form=form, rows=rows, payload=payload, kind_label=dict(
            CalendarPeriod.Kind.choices)[data["kind"]], school_year=data["school_year"],
            counts={key: sum(1 for r in rows if r["action"] == key) for key in ("created", "updated", "unchanged")})

    def confirm(self, request):
        from .models import SchoolYear

        try:
            payload = signing.loads(request.POST.get("payload", ""), salt=ICS_SALT, max_age=3600)
        except signing.BadSignature:
            messages.error(request, _("L'aperçu a expiré : envoyez le fichier à nouveau."))
            return redirect(reverse("services_calendar_import:index"))
        school_year = SchoolYear.objects.filter(pk=payload["school_year"]).first() if payload["school_year"] else None
        try:
            counts = staff.import_calendar(request.user, payload["text"], payload["kind"], school_year=school_year,
                                           request=request)
        except Refusal as refusal:
            self.refused(refusal)
            return redirect(reverse("services_calendar_import:index"))
        messages.success(request, _("Calendrier importé : %(created)s période(s) créée(s), %(updated)s modifiée(s), "
                                    "%(unchanged)s inchangée(s).") % counts)
        return redirect(reverse("services_calendarperiod:index"))

    def render_page(self, status=200, **kwargs):
        response = self.render_to_response(self.get_context_data(**kwargs))
        response.status_code = status
        return response
