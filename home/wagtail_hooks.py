"""The home app in the Wagtail admin: who accepted which version of the regulation (a
report, exportable in CSV and XLSX), the assistance requests, and the home app's
contributions to the shared hooks (parent's space, data export, periodic jobs)."""

import datetime

import django_filters
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from accounts.roles import LEGAL

from .models import LEGAL_PAGE_MODELS, AssistanceRequest, LegalTextVersion, RegulationAcceptance


def user_is_legal_staff(user):
    return user.is_superuser or user.groups.filter(name=LEGAL).exists()


@hooks.register("before_create_page")
def only_legal_staff_create_legal_pages(request, parent_page, page_class):
    if issubclass(page_class, LEGAL_PAGE_MODELS) and not user_is_legal_staff(request.user):
        raise PermissionDenied


# -- Who accepted which version --------------------------------------------------------

class AcceptanceFilterSet(WagtailFilterSet):
    version = django_filters.ModelChoiceFilter(
        label=_("Version"),
        queryset=LegalTextVersion.objects.filter(kind=LegalTextVersion.Kind.REGULATION).order_by("-published_at"),
    )
    accepted_at = django_filters.DateFromToRangeFilter(label=_("Acceptée entre"), widget=DateRangePickerWidget)
    user_label = django_filters.CharFilter(label=_("Adresse e-mail"), lookup_expr="icontains")

    class Meta:
        model = RegulationAcceptance
        fields = ["version", "accepted_at", "user_label"]


class AcceptanceReportView(ReportView):
    page_title = _("Acceptations du règlement")
    header_icon = "doc-full"
    index_url_name = "home_acceptances:index"
    index_results_url_name = "home_acceptances:index_results"
    filterset_class = AcceptanceFilterSet
    model = RegulationAcceptance
    permission_required = "view"
    export_filename = "acceptations-reglement"
    list_export = ["user_label", "version.number", "version.published_at", "accepted_at", "ip_address", "text_hash"]
    export_headings = {
        "user_label": _("Adresse e-mail"),
        "version.number": _("Version"),
        "version.published_at": _("Version en vigueur depuis"),
        "accepted_at": _("Acceptée le"),
        "ip_address": _("Adresse IP"),
        "text_hash": _("Empreinte du texte accepté"),
    }
    columns = [
        Column("user_label", label=_("Adresse e-mail")),
        Column("version_number", label=_("Version"), accessor="version.number"),
        DateColumn("accepted_at", label=_("Acceptée le")),
        Column("ip_address", label=_("Adresse IP")),
    ]

    @property
    def permission_policy(self):
        return ModelPermissionPolicy(RegulationAcceptance)

    def get_queryset(self):
        return RegulationAcceptance.objects.select_related("version").order_by("-accepted_at", "-id")

    def get_filename(self):
        return f"{self.export_filename}-{datetime.date.today():%Y-%m-%d}"

    def as_spreadsheet(self, queryset, spreadsheet_format):
        from accounts.audit import record
        from accounts.models import AuditEvent

        record(AuditEvent.Action.STAFF_EXPORT, request=self.request, acting_for_family=False,
               summary=f"Export des acceptations du règlement ({spreadsheet_format})",
               after={"rows": queryset.count() if hasattr(queryset, "count") else len(queryset),
                      "filters": {k: v for k, v in self.request.GET.items() if k != "export"}})
        return super().as_spreadsheet(queryset, spreadsheet_format)


@hooks.register("register_admin_urls")
def acceptance_report_urls():
    return [
        path("reports/acceptations-reglement/", include_acceptance_urls(), name="home_acceptances"),
    ]


def include_acceptance_urls():
    from django.urls import include

    return include(([
        path("", AcceptanceReportView.as_view(), name="index"),
        path("results/", AcceptanceReportView.as_view(results_only=True), name="index_results"),
    ], "home_acceptances"))


class AcceptanceMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("home.view_regulationacceptance")


@hooks.register("register_reports_menu_item")
def acceptance_report_menu_item():
    return AcceptanceMenuItem(_("Acceptations du règlement"), reverse("home_acceptances:index"),
                              name="acceptations-reglement", icon_name="doc-full", order=650)


# -- Assistance requests ----------------------------------------------------------------

class AssistanceRequestViewSet(ModelViewSet):
    model = AssistanceRequest
    icon = "help"
    menu_label = _("Demandes d'assistance")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["reference", "topic", "name", "email", "status", "created_at"]
    list_filter = ["status", "topic"]
    search_fields = ["reference", "name", "email", "household_name", "message"]
    form_fields = ["status", "staff_note"]
    inspect_view_enabled = True
    inspect_view_fields = ["reference", "created_at", "name", "email", "household_name", "user", "topic", "message",
                           "language", "status", "staff_note"]
    copy_view_enabled = False
    list_export = ["reference", "created_at", "topic", "name", "email", "household_name", "status"]


assistance_viewset = AssistanceRequestViewSet("assistance_requests")


@hooks.register("register_admin_viewset")
def register_assistance_viewset():
    return assistance_viewset


# -- Shared hooks ----------------------------------------------------------------------

@hooks.register("portal_space_links")
def regulation_space_link(request):
    from .acceptance import pending_version_for_request

    version = pending_version_for_request(request)
    if version is None:
        return []
    return [{
        "label": _("Accepter le règlement d'utilisation"),
        "url": reverse("home:accept_regulation"),
        "description": _("Obligatoire avant toute démarche : une nouvelle version est en vigueur."),
        "order": 1,
    }]


@hooks.register("portal_household_export")
def household_export(household, user):
    """The reader's regulation acceptances and assistance requests. Another guardian's
    (their address, IP, messages) are theirs: separated parents never see each other's."""
    user_ids = [user.pk]
    rows = [
        {
            "type": "acceptation du règlement",
            "compte": acceptance.user_label,
            "version": acceptance.version.number,
            "date": acceptance.accepted_at.isoformat(),
            "adresse_ip": acceptance.ip_address or "",
            "empreinte": acceptance.text_hash,
        }
        for acceptance in RegulationAcceptance.objects.filter(user_id__in=user_ids).select_related("version")
    ]
    rows += [
        {
            "type": "demande d'assistance",
            "numero": item.reference,
            "date": item.created_at.isoformat(),
            "sujet": item.get_topic_display(),
            "message": item.message,
            "etat": item.get_status_display(),
        }
        for item in AssistanceRequest.objects.filter(user_id__in=user_ids)
    ]
    return (str(_("Règlement et assistance")), rows)


def run_publish_scheduled(now=None):
    """Scheduled go-live (and expiry) of pages: Wagtail's publish_scheduled command."""
    import io

    from django.core.management import call_command

    call_command("publish_scheduled", stdout=io.StringIO())


@hooks.register("portal_periodic_jobs")
def periodic_jobs():
    return [{"name": "publish_scheduled", "every": datetime.timedelta(minutes=5), "run": run_publish_scheduled}]
