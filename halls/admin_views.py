"""Staff screens of hall hire in the Wagtail admin: the requests to decide (filters,
exports CSV/XLSX), one request with its decisions, the halls' calendar.

Permissions (``accounts.roles``): agents hold every ``halls.*`` permission (decide,
deposits, slots, closures, terms); cashiers read the requests and record deposits
(``halls.manage_hall_deposit``). The rules are in ``halls.hire``.
"""

import django_filters
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.audit import record
from accounts.models import AuditEvent
from services.models import Hall

from . import hire
from .calendar import month_calendar, parse_month
from .forms import DepositKeptForm, NoteForm, ReasonForm
from .models import PARIS, HallRequest

VIEW_PERMISSIONS = ("halls.view_hallrequest", "halls.change_hallrequest", "halls.decide_hallrequest",
                    "halls.manage_hall_deposit")


def can_view_requests(user):
    return user.is_active and any(user.has_perm(permission) for permission in VIEW_PERMISSIONS)


class HallRequestFilterSet(WagtailFilterSet):
    event_date = django_filters.DateFromToRangeFilter(label=gettext_lazy("Date de la location"))

    class Meta:
        model = HallRequest
        fields = ["hall", "status", "requester_kind", "deposit_status", "event_date"]


class HallRequestIndexView(generic.IndexView):
    """The requests, to decide first: no add, edit or delete (decisions go through the
    request's own screen); every export is traced."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("hall", "slot", "household", "requester")

    def get_add_url(self):
        return None

    def get_edit_url(self, instance):
        return None

    def get_copy_url(self, instance):
        return None

    def get_delete_url(self, instance):
        return None

    def render_to_response(self, context, **response_kwargs):
        if self.is_export:
            record(AuditEvent.Action.STAFF_EXPORT, request=self.request, acting_for_family=False,
                   summary=f"Export {self.request.GET.get('export')} des demandes de location de salle",
                   after={"filters": {k: v for k, v in self.request.GET.items() if k != "export"}})
        return super().render_to_response(context, **response_kwargs)


@method_decorator(never_cache, name="dispatch")
class HallRequestProcessView(WagtailAdminTemplateMixin, TemplateView):
    """One request: its details, its trail, and the decisions staff may take on it."""

    template_name = "halls/admin/request_process.html"
    model = HallRequest
    index_url_name = None
    header_icon = "date"
    page_title = gettext_lazy("Demande de location")

    ACTIONS = {
        "approve": hire.DECIDE_PERMISSION,
        "refuse": hire.DECIDE_PERMISSION,
        "insurance": hire.DECIDE_PERMISSION,
        "cancel": hire.DECIDE_PERMISSION,
        "deposit_received": hire.DEPOSIT_PERMISSION,
        "deposit_returned": hire.DEPOSIT_PERMISSION,
        "deposit_kept": hire.DEPOSIT_PERMISSION,
    }

    def dispatch(self, request, *args, **kwargs):
        if not can_view_requests(request.user):
            raise PermissionDenied
        self.object = get_object_or_404(
            HallRequest.objects.select_related("hall", "slot", "household", "requester", "decided_by"),
            pk=kwargs["pk"],
        )
        self.forms = {}
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.object.reference

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("halls_hallrequest:index"), "label": HallRequest._meta.verbose_name_plural.capitalize()},
            {"url": "", "label": self.object.reference or str(self.object.pk)},
        ]

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action not in self.ACTIONS:
            messages.error(request, _("Opération inconnue."))
            return redirect(self.this_url)
        if not request.user.has_perm(self.ACTIONS[action]):
            raise PermissionDenied
        try:
            if action == "approve":
                form = NoteForm(request.POST, prefix="approve")
                if not form.is_valid():
                    return self.invalid(action, form)
                hire.approve(self.object, request.user, note=form.cleaned_data["note"], request=request)
                messages.success(request, _("Demande acceptée ; le demandeur est prévenu par e-mail."))
            elif action == "refuse":
                form = ReasonForm(request.POST, prefix="refuse")
                if not form.is_valid():
                    return self.invalid(action, form)
                hire.refuse(self.object, request.user, form.cleaned_data["reason"], request=request)
                messages.success(request, _("Demande refusée ; le créneau est libéré et le demandeur prévenu."))
            elif action == "cancel":
                form = ReasonForm(request.POST, prefix="cancel")
                if not form.is_valid():
                    return self.invalid(action, form)
                hire.cancel_by_commune(self.object, request.user, form.cleaned_data["reason"], request=request)
                messages.success(request, _("Location annulée par la commune ; le demandeur est prévenu."))
            elif action == "insurance":
                hire.confirm_insurance(self.object, request.user, request=request)
                messages.success(request, _("Attestation d'assurance enregistrée."))
            elif action == "deposit_kept":
                form = DepositKeptForm(request.POST, prefix="kept")
                if not form.is_valid():
                    return self.invalid(action, form)
                hire.record_deposit(self.object, request.user, "kept", kept_amount=form.cleaned_data["amount"],
                                    note=form.cleaned_data["note"], request=request)
                messages.success(request, _("Retenue sur la caution enregistrée ; le demandeur est prévenu."))
            else:
                hire.record_deposit(self.object, request.user, action.removeprefix("deposit_"), request=request)
                messages.success(request, _("Caution enregistrée."))
        except hire.HireRefused as refusal:
            messages.error(request, refusal.message)
        return redirect(self.this_url)

    def invalid(self, action, form):
        self.forms[action] = form
        return self.render_to_response(self.get_context_data(), status=400)

    @property
    def this_url(self):
        return reverse("halls_hallrequest:inspect", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        hall_request = self.object
        user = self.request.user
        now = timezone.now()
        holding = hall_request.is_holding
        context.update({
            "object": hall_request,
            "hall_request": hall_request,
            "fee_tiers": hire.fee_tiers(hall_request),
            "insurance_ok": hire.insurance_ok(hall_request),
            "missing_documents": (hire.missing_insurance(hall_request.household, hall_request.event_date)
                                  if hall_request.household_id and hall_request.hall.insurance_required else []),
            "can_decide": user.has_perm(hire.DECIDE_PERMISSION),
            "can_manage_deposit": user.has_perm(hire.DEPOSIT_PERMISSION),
            "is_pending": hall_request.status == HallRequest.Status.PENDING,
            "is_holding": holding,
            "lapsed": bool(hall_request.expires_at and hall_request.expires_at <= now),
            "current_fee": hire.cancellation_fee_for(hall_request, now=now),
            "approve_form": self.forms.get("approve") or NoteForm(prefix="approve"),
            "refuse_form": self.forms.get("refuse") or ReasonForm(prefix="refuse"),
            "cancel_form": self.forms.get("cancel") or ReasonForm(prefix="cancel"),
            "kept_form": self.forms.get("deposit_kept") or DepositKeptForm(prefix="kept",
                                                                            initial={"amount": hall_request.deposit}),
            "events": AuditEvent.objects.filter(object_type=HallRequest._meta.label_lower,
                                                object_id=str(hall_request.pk)).order_by("occurred_at", "id"),
            "calendar_url": reverse("halls_calendar:hall", args=[hall_request.hall_id])
            + f"?mois={hall_request.event_date:%Y-%m}",
        })
        return context


@method_decorator(never_cache, name="dispatch")
class HallCalendarView(WagtailAdminTemplateMixin, TemplateView):
    """A hall's month for staff: every request with its reference and requester."""

    template_name = "halls/admin/calendar.html"
    header_icon = "calendar-alt"
    page_title = gettext_lazy("Calendrier des salles")

    def dispatch(self, request, *args, **kwargs):
        if not can_view_requests(request.user):
            raise PermissionDenied
        self.halls = list(Hall.objects.order_by("name"))
        hall_id = kwargs.get("hall_id") or request.GET.get("salle")
        if hall_id is not None:
            self.hall = get_object_or_404(Hall, pk=hall_id) if str(hall_id).isdigit() else None
        else:
            self.hall = self.halls[0] if self.halls else None
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        # The hall chooser (a GET form) lands on the hall's own URL.
        if "salle" in request.GET and self.hall is not None and "hall_id" not in kwargs:
            month = request.GET.get("mois", "")
            return redirect(reverse("halls_calendar:hall", args=[self.hall.pk]) + (f"?mois={month}" if month else ""))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        today = timezone.localtime(now, PARIS).date()
        context["halls"] = self.halls
        context["hall"] = self.hall
        if self.hall is not None:
            month = month_calendar(self.hall, parse_month(self.request.GET.get("mois"), today), now=now, staff=True)
            base = reverse("halls_calendar:hall", args=[self.hall.pk])
            for row in month.rows:
                for cell in row.cells:
                    if cell.hall_request is not None:
                        cell.url = reverse("halls_hallrequest:inspect", args=[cell.hall_request.pk])
            context.update({
                "month": month,
                "previous_url": f"{base}?mois={month.previous:%Y-%m}",
                "next_url": f"{base}?mois={month.next:%Y-%m}",
                "month_value": f"{month.first_day:%Y-%m}",
            })
        return context


class HallSlotDeleteView(generic.DeleteView):
    """A slot some request points at is kept (its requests keep their slot): staff stop
    offering it by unticking "proposé à la location" instead."""

    def form_valid(self, form):
        if self.object.requests.exists():
            messages.error(self.request, _("Des demandes de location portent sur ce créneau : il ne peut pas être "
                                           "supprimé. Décochez « proposé à la location » pour ne plus le proposer."))
            return redirect(reverse("halls_hallslot:edit", args=[self.object.pk]))
        return super().form_valid(form)
