"""The "Services municipaux" menu of the Wagtail admin.

Access follows Django model permissions (``services.add_activity``, ...): the
"Agents" group holds every ``services.*`` permission, cashiers only ``view_*``."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import Activity, CalendarPeriod, DeadlineRule, Hall, SchoolYear, Service


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
