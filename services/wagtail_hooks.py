"""The "Services municipaux" menu of the Wagtail admin (the catalogue: services,
activities, rules, calendars, halls) and the "Suivi des services" menu (the agents'
daily screens of ``services.admin_views``: attendance, meal counts, enrolment requests,
absence justifications, waiting lists, bookings for a family, booking history, places
per day, iCalendar import), with the agents' panel on the admin home.

Access follows Django model permissions (``services.add_activity``, ...): the
"Agents" group holds every ``services.*`` permission, cashiers only ``view_*``."""

import django_filters
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from accounts.audit import record
from accounts.models import AuditEvent

from . import admin_views
from .models import Activity, BookingChange, CalendarPeriod, DeadlineRule, Hall, SchoolYear, Service


class ServiceViewSet(ModelViewSet):
    model = Service
    icon = "list-ul"
    menu_label = _("Services")
    form_fields = ["name", "code", "shape", "summary", "order", "is_active"]
    list_display = ["name", "code", "shape", "order", "is_active"]
    list_filter = ["shape", "is_active"]
    search_fields = ["name", "code"]
    copy_view_enabled = False


class ActivityViewSet(ModelViewSet):
    model = Activity
    icon = "date"
    menu_label = _("Activités")
    form_fields = [
        "service",
        "name",
        "code",
        "description",
        "shape",
        "site",
        "weekdays",
        "runs_in_school_periods",
        "runs_in_holidays",
        "start_date",
        "end_date",
        "start_time",
        "end_time",
        "capacity",
        "requires_validation",
        "min_age",
        "max_age",
        "class_levels",
        "prepayment_required",
        "booking_rule",
        "cancellation_rule",
        "same_day_sick_cancellation_until",
        "serves_meal",
        "absence_justification_hours",
        "is_active",
    ]
    list_display = ["name", "service", "shape", "site", "capacity", "booking_rule", "is_active"]
    list_filter = ["service", "shape", "is_active"]
    search_fields = ["name", "code", "site"]


class DeadlineRuleViewSet(ModelViewSet):
    model = DeadlineRule
    icon = "time"
    menu_label = _("Règles de délai")
    form_fields = ["name", "kind", "days", "time", "weekday", "weeks_before", "skip_weekdays", "fallback"]
    list_display = ["name", "kind", "days", "time", "weekday"]
    list_filter = ["kind"]
    search_fields = ["name"]


class SchoolYearViewSet(ModelViewSet):
    model = SchoolYear
    icon = "calendar"
    menu_label = _("Années scolaires")
    form_fields = ["label", "start_date", "end_date"]
    list_display = ["label", "start_date", "end_date"]
    search_fields = ["label"]
    copy_view_enabled = False


class CalendarPeriodViewSet(ModelViewSet):
    model = CalendarPeriod
    icon = "calendar-alt"
    menu_label = _("Calendrier (vacances, fériés, fermetures)")
    form_fields = ["kind", "name", "start_date", "end_date", "school_year", "activity"]
    list_display = ["name", "kind", "start_date", "end_date", "school_year", "activity"]
    list_filter = ["kind", "school_year"]
    search_fields = ["name"]


class HallViewSet(ModelViewSet):
    model = Hall
    icon = "home"
    menu_label = _("Salles")
    form_fields = [
        "name",
        "description",
        "address",
        "capacity",
        "resident_price",
        "non_resident_price",
        "deposit",
        "first_cancellation_notice_days",
        "first_cancellation_fee_percent",
        "second_cancellation_notice_days",
        "second_cancellation_fee_percent",
        "insurance_required",
        "is_active",
    ]
    list_display = ["name", "capacity", "resident_price", "non_resident_price", "deposit", "is_active"]
    search_fields = ["name"]
    copy_view_enabled = False


class MunicipalServicesViewSetGroup(ModelViewSetGroup):
    menu_label = _("Services municipaux")
    menu_icon = "group"
    menu_order = 250
    items = (
        ServiceViewSet("services_service"),
        ActivityViewSet("services_activity"),
        DeadlineRuleViewSet("services_deadlinerule"),
        CalendarPeriodViewSet("services_calendarperiod"),
        SchoolYearViewSet("services_schoolyear"),
        HallViewSet("services_hall"),
    )


@hooks.register("register_admin_viewset")
def register_services_viewsets():
    return MunicipalServicesViewSetGroup()


# --- The agents' daily screens (issue 5, staff side): services.admin_views --------------


class PermissionMenuItem(MenuItem):
    """A menu item shown only to staff holding ``permission``."""

    def __init__(self, *args, permission=None, **kwargs):
        self.permission = permission
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return admin_views.can(request.user, self.permission)


class StaffScreenViewSet(ViewSet):
    """A group of custom screens behind one permission (the menu hides them from
    whoever lacks it; the views refuse them with 403)."""

    permission = None
    urls = ()

    def get_urlpatterns(self):
        return [path(route, view.as_view(), name=name) for route, view, name in self.urls]

    def get_menu_item(self, order=None):
        return PermissionMenuItem(label=self.menu_label, url=self.menu_url, name=self.menu_name,
                                  icon_name=self.menu_icon, order=order if order is not None else self.menu_order,
                                  permission=self.permission)


class EnrolmentsViewSet(StaffScreenViewSet):
    name = "services_enrolments"
    url_prefix = "inscriptions"
    icon = "form"
    menu_label = _("Demandes d'inscription")
    permission = "services.view_enrolment"
    urls = (("", admin_views.EnrolmentQueueView, "index"),
            ("<int:pk>/", admin_views.EnrolmentDetailView, "detail"))


class WaitingListsViewSet(StaffScreenViewSet):
    name = "services_waiting_lists"
    url_prefix = "listes-attente"
    icon = "list-ol"
    menu_label = _("Listes d'attente")
    permission = "services.view_booking"
    urls = (("", admin_views.WaitingListsView, "index"),)


class FamilyBookingViewSet(StaffScreenViewSet):
    name = "services_family_booking"
    url_prefix = "reserver-pour-une-famille"
    icon = "date"
    menu_label = _("Réserver pour une famille")
    permission = "services.change_booking"
    urls = (("", admin_views.FamilyBookingSearchView, "index"),
            ("foyer/<int:household_id>/", admin_views.FamilyBookingHouseholdView, "household"),
            ("enfant/<int:child_id>/activite/<int:activity_id>/", admin_views.FamilyBookingMonthView, "month"))


class AttendanceViewSet(StaffScreenViewSet):
    name = "services_attendance"
    url_prefix = "pointage"
    icon = "tick-inverse"
    menu_label = _("Pointage")
    permission = "services.view_attendance"
    urls = (("", admin_views.AttendanceIndexView, "index"),
            ("repas/", admin_views.MealCountsView, "meals"),
            ("<int:activity_id>/<str:day>/", admin_views.AttendanceListView, "list"),
            ("<int:activity_id>/<str:day>/imprimer/", admin_views.AttendancePrintView, "print"))


class MealCountsViewSet(StaffScreenViewSet):
    """A menu entry of its own for the kitchen's figures (the view lives with the attendance)."""

    name = "services_meals"
    url_prefix = "pointage-repas"
    icon = "doc-full"
    menu_label = _("Effectifs des repas")
    permission = "services.view_attendance"

    def get_urlpatterns(self):
        return []

    @property
    def menu_url(self):
        return reverse("services_attendance:meals")


class AbsencesViewSet(StaffScreenViewSet):
    name = "services_absences"
    url_prefix = "justificatifs-absence"
    icon = "doc-full-inverse"
    menu_label = _("Justificatifs d'absence")
    permission = "services.view_absencejustification"
    urls = (("", admin_views.AbsenceQueueView, "index"),
            ("<int:pk>/", admin_views.AbsenceDetailView, "detail"))


class CapacityViewSet(StaffScreenViewSet):
    name = "services_capacity"
    url_prefix = "places-par-jour"
    icon = "table"
    menu_label = _("Places par jour")
    permission = "services.view_placecounter"
    urls = (("", admin_views.CapacityView, "index"),)


class CalendarImportViewSet(StaffScreenViewSet):
    name = "services_calendar_import"
    url_prefix = "calendrier-import"
    icon = "calendar-alt"
    menu_label = _("Importer un calendrier (.ics)")
    permission = "services.add_calendarperiod"
    urls = (("", admin_views.CalendarImportView, "index"),)


class BookingChangeFilterSet(WagtailFilterSet):
    day = django_filters.DateFromToRangeFilter(label=_("Jour réservé"))
    at = django_filters.DateFromToRangeFilter(label=_("Date de la modification"))

    class Meta:
        model = BookingChange
        fields = ["activity", "action", "override", "acting_for_family", "day", "at"]


class BookingChangeIndexView(generic.IndexView):
    """The booking history (Article 10.3), read-only; exports are traced."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("child", "household", "activity")

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
                   summary=f"Export {self.request.GET.get('export')} de l'historique des réservations",
                   after={"filters": {k: v for k, v in self.request.GET.items() if k != "export"}})
        return super().render_to_response(context, **response_kwargs)


class BookingChangeViewSet(ModelViewSet):
    model = BookingChange
    icon = "history"
    menu_label = _("Historique des réservations")
    url_prefix = "historique-reservations"
    index_view_class = BookingChangeIndexView
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = False
    filterset_class = BookingChangeFilterSet
    list_display = ["at", "child", "activity", "day", "action", "before_status", "after_status", "actor_label",
                    "acting_for_family", "override", "note"]
    ordering = ["-at", "-id"]
    search_fields = ["child__first_name", "child__last_name", "household__name", "household__code", "actor_label"]
    search_backend_name = None
    list_export = ["at", "household", "child", "activity", "day", "action", "before_status", "after_status",
                   "actor_label", "acting_for_family", "override", "note"]
    export_filename = "historique-des-reservations"

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{"add_url_name": None, "edit_url_name": None, "delete_url_name": None, "history_url_name": None,
               "usage_url_name": None, **kwargs})

    def get_urlpatterns(self):
        return [path("", self.index_view, name="index"), path("results/", self.index_results_view,
                                                               name="index_results")]


class ServicesFollowUpViewSetGroup(ViewSetGroup):
    menu_label = _("Suivi des services")
    menu_icon = "tick-inverse"
    menu_order = 240
    items = (
        AttendanceViewSet(),
        MealCountsViewSet(),
        EnrolmentsViewSet(),
        AbsencesViewSet(),
        WaitingListsViewSet(),
        FamilyBookingViewSet(),
        BookingChangeViewSet("services_bookingchange"),
        CapacityViewSet(),
        CalendarImportViewSet(),
    )


@hooks.register("register_admin_viewset")
def register_services_follow_up():
    return ServicesFollowUpViewSetGroup()


@hooks.register("register_log_actions")
def register_services_log_actions(actions):
    actions.register_action("services.capacity", _("Places modifiées"), _("Places par jour modifiées"))


class ServicesDashboardPanel(Component):
    """On the admin home, for agents: today's attendance to take, enrolment requests
    and absence justifications waiting for a decision (counts with links)."""

    name = "services_follow_up"
    order = 140
    template_name = "services/admin/dashboard_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        from .staff import dashboard_counts

        day = admin_views.today()
        counts = dashboard_counts(day)
        rows = [{"activity": activity, "expected": expected, "marked": marked,
                 "url": reverse("services_attendance:list", args=[activity.pk, day.isoformat()])}
                for activity, expected, marked in counts["attendance"]]
        return {"day": day, "attendance": rows, "to_mark": sum(max(r["expected"] - r["marked"], 0) for r in rows),
                "enrolments": counts["enrolments"], "absences": counts["absences"],
                "attendance_url": reverse("services_attendance:index"),
                "enrolments_url": reverse("services_enrolments:index"),
                "absences_url": reverse("services_absences:index")}


@hooks.register("construct_homepage_panels")
def add_services_dashboard_panel(request, panels):
    if admin_views.can(request.user, "services.change_attendance"):
        panels.append(ServicesDashboardPanel(request))


# The services' sections of the GDPR data export (registered on import).
from . import household_export  # noqa: E402, F401
