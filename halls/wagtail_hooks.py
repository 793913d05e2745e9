"""The "Location de salles" menu of the Wagtail admin, and the halls' contributions to
the shared hooks (parent's space, GDPR export, periodic jobs)."""

import datetime as dt

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from portal.hooks import HOUSEHOLD_EXPORT, PERIODIC_JOBS, SPACE_LINKS

from . import admin_views
from .models import HallClosure, HallHireTerms, HallRequest, HallSlot


class HallRequestViewSet(ModelViewSet):
    model = HallRequest
    icon = "date"
    menu_label = _("Demandes de location")
    url_prefix = "salles/demandes"
    index_view_class = admin_views.HallRequestIndexView
    # Requests are not content: keeping Wagtail's reference index of them would add writes
    # to every request's transaction and buys nothing (their usage view is not offered).
    add_to_reference_index = False
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = admin_views.HallRequestFilterSet
    list_display = ["reference", "hall", "event_date", "slot", "requester_name", "status", "price",
                    "deposit_status", "expires_at"]
    ordering = ["-created_at"]
    search_fields = ["reference", "contact_name", "contact_email", "association_name", "association_number",
                     "household__name", "household__code"]
    search_backend_name = None  # plain database search (icontains)
    list_export = ["reference", "hall", "slot", "event_date", "starts_at", "ends_at", "status",
                   "requester_kind", "requester_name", "association_number", "household", "contact_name",
                   "contact_phone", "contact_email", "event_description", "expected_guests", "resident", "price",
                   "deposit", "deposit_status", "deposit_kept_amount", "cancellation_fee", "created_at",
                   "decided_at", "decision_reason"]
    export_filename = "demandes-location-salles"

    def get_common_view_kwargs(self, **kwargs):
        # Requests are made by the requesters and changed only by the decisions.
        return super().get_common_view_kwargs(
            **{"add_url_name": None, "edit_url_name": None, "delete_url_name": None, "history_url_name": None,
               "usage_url_name": None, **kwargs}
        )

    @property
    def inspect_view(self):
        return admin_views.HallRequestProcessView.as_view()

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
        ]

    @property
    def menu_item_class(self):
        class RequestsMenuItem(MenuItem):
            def is_shown(_self, request):
                return admin_views.can_view_requests(request.user)

        return RequestsMenuItem


class HallCalendarViewSet(ViewSet):
    name = "halls_calendar"
    url_prefix = "salles/calendrier"
    icon = "calendar-alt"
    menu_label = _("Calendrier des salles")
    add_to_admin_menu = False

    def get_urlpatterns(self):
        view = admin_views.HallCalendarView.as_view()
        return [path("", view, name="index"), path("<int:hall_id>/", view, name="hall")]

    @property
    def menu_url(self):
        return reverse("halls_calendar:index")

    @property
    def menu_item_class(self):
        class CalendarMenuItem(MenuItem):
            def is_shown(_self, request):
                return admin_views.can_view_requests(request.user)

        return CalendarMenuItem


class HallSlotViewSet(ModelViewSet):
    model = HallSlot
    icon = "time"
    menu_label = _("Créneaux")
    url_prefix = "salles/creneaux"
    form_fields = ["hall", "name", "start_time", "end_time", "end_day_offset", "weekdays", "order", "is_active"]
    list_display = ["name", "hall", "start_time", "end_time", "end_day_offset", "is_active"]
    list_filter = ["hall", "is_active"]
    search_fields = ["name"]
    search_backend_name = None
    copy_view_enabled = False
    delete_view_class = admin_views.HallSlotDeleteView


class HallClosureViewSet(ModelViewSet):
    model = HallClosure
    icon = "cross"
    menu_label = _("Fermetures")
    url_prefix = "salles/fermetures"
    form_fields = ["hall", "start_date", "end_date", "reason"]
    list_display = ["reason", "hall", "start_date", "end_date"]
    list_filter = ["hall"]
    search_fields = ["reason"]
    search_backend_name = None
    copy_view_enabled = False


class HallHireTermsViewSet(ModelViewSet):
    model = HallHireTerms
    icon = "doc-full"
    menu_label = _("Conditions de location")
    url_prefix = "salles/conditions"
    form_fields = ["hall", "min_notice_days", "max_advance_days", "hold_days", "instructions"]
    list_display = ["hall", "min_notice_days", "max_advance_days", "hold_days"]
    copy_view_enabled = False


class HallHireViewSetGroup(ModelViewSetGroup):
    menu_label = _("Location de salles")
    menu_icon = "home"
    menu_order = 260
    items = (
        HallRequestViewSet("halls_hallrequest"),
        HallCalendarViewSet(),
        HallSlotViewSet("halls_hallslot"),
        HallClosureViewSet("halls_hallclosure"),
        HallHireTermsViewSet("halls_hallhireterms"),
    )


@hooks.register("register_admin_viewset")
def register_halls_viewsets():
    return HallHireViewSetGroup()


# --- Shared hooks -----------------------------------------------------------------------


@hooks.register(SPACE_LINKS)
def space_links(request):
    """"Louer une salle" in the parent's space (when the hall-hire page is live)."""
    from .views import hall_service_page

    page = hall_service_page(request)
    if page is None:
        return []
    return [{
        "label": _("Louer une salle municipale"),
        "url": page.screen_url(request, "index"),
        "description": _("Disponibilités des salles municipales, vos demandes de location."),
        "order": 70,
    }]


@hooks.register(HOUSEHOLD_EXPORT)
def household_export(household, user):
    """The hall requests of the household, and those the user made without a household."""
    from django.db.models import Q

    requests = HallRequest.objects.filter(Q(household=household) | Q(requester=user, household__isnull=True))
    rows = []
    for hall_request in requests.select_related("hall", "slot").order_by("event_date", "id"):
        rows.append({
            "référence": hall_request.reference,
            "salle": hall_request.hall.name,
            "créneau": hall_request.slot.name,
            "date": hall_request.event_date.isoformat(),
            "demandeur": hall_request.get_requester_kind_display(),
            "association": hall_request.association_name,
            "numéro SIRET ou RNA": hall_request.association_number,
            "contact": hall_request.contact_name,
            "téléphone": hall_request.contact_phone,
            "e-mail": hall_request.contact_email,
            "événement": hall_request.event_description,
            "personnes attendues": hall_request.expected_guests,
            "tarif": str(hall_request.price),
            "caution": str(hall_request.deposit),
            "état": hall_request.get_status_display(),
            "motif de la décision": hall_request.decision_reason,
            "frais d'annulation": "" if hall_request.cancellation_fee is None else str(hall_request.cancellation_fee),
            "état de la caution": hall_request.get_deposit_status_display(),
            "retenue sur la caution": str(hall_request.deposit_kept_amount),
            "demandée le": hall_request.created_at.isoformat(),
        })
    return str(_("Locations de salle")), rows


@hooks.register(PERIODIC_JOBS)
def periodic_jobs():
    from .hire import expire_lapsed

    return [{"name": "halls.expire_lapsed_requests", "every": dt.timedelta(minutes=15),
             "run": lambda now: expire_lapsed(now=now)}]


class PendingRequestsPanel(Component):
    """On the admin dashboard: the hall requests waiting for a decision, soonest expiry first."""

    name = "halls_pending_requests"
    order = 150
    template_name = "halls/admin/pending_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        pending = (HallRequest.objects.filter(status=HallRequest.Status.PENDING)
                   .select_related("hall", "slot").order_by("expires_at", "id"))
        return {"pending": pending[:10], "count": pending.count(),
                "index_url": reverse("halls_hallrequest:index") + "?status=pending"}


@hooks.register("construct_homepage_panels")
def add_pending_requests_panel(request, panels):
    if request.user.has_perm("halls.decide_hallrequest"):
        panels.append(PendingRequestsPanel(request))
