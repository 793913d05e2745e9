"""The "Facturation" menu of the Wagtail admin, and the billing's contributions to the
shared hooks (the parent's space, the household data export, the periodic jobs).

Listings are Wagtail model viewsets (filters, search, CSV/XLSX export through
``list_export``); invoices, credit notes, payments and PayFiP transactions are read-only
there: they change only through the domain functions (runs, credit notes, payments).
Access follows the ``billing`` model permissions (the "Régisseurs" group)."""

import datetime

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem as AdminMenuItem
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.hooks import HOUSEHOLD_EXPORT, PERIODIC_JOBS, SPACE_LINKS

from . import admin_views
from .models import CollectionOffice, CreditNote, Invoice, InvoicingRun, Payment, PayfipTransaction, Tariff


class ReadOnlyPolicy(ModelPermissionPolicy):
    """View only: these records change through the billing's domain functions."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)


for _model in (InvoicingRun, Invoice, CreditNote, Payment, PayfipTransaction):
    register_permission_policy(_model, ReadOnlyPolicy(_model))


class ReadOnlyViewSet(ModelViewSet):
    copy_view_enabled = False
    inspect_view_enabled = True
    search_backend_name = None
    list_select_related = ()
    exclude_form_fields = []  # no add or edit view is reachable (ReadOnlyPolicy)

    def get_index_view_kwargs(self, **kwargs):
        if self.list_select_related:
            kwargs.setdefault("queryset", self.model._default_manager.select_related(*self.list_select_related))
        return super().get_index_view_kwargs(**kwargs)


class CollectionOfficeViewSet(ModelViewSet):
    model = CollectionOffice
    icon = "home"
    menu_label = _("Régies")
    copy_view_enabled = False
    search_backend_name = None
    form_fields = ["code", "name", "activities", "address", "opening_hours", "payment_term_days",
                   "first_reminder_days", "second_reminder_days", "social_services_contact", "is_active"]
    list_display = ["code", "name", "payment_term_days", "is_active"]
    search_fields = ["code", "name"]


class TariffViewSet(ModelViewSet):
    model = Tariff
    icon = "tag"
    menu_label = _("Tarifs")
    search_backend_name = None
    list_display = ["label", "activity", "method", "valid_from", "valid_until"]
    list_filter = ["method", "activity"]
    search_fields = ["label", "activity__name"]

    def get_index_view_kwargs(self, **kwargs):
        kwargs.setdefault("queryset", Tariff.objects.select_related("activity"))
        return super().get_index_view_kwargs(**kwargs)


class RunIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        return [MenuItem(_("Suivre et émettre"), url=reverse("billing_admin:run", args=[instance.pk]),
                         icon_name="view", priority=5)]

    def get_header_buttons(self):
        return []


class RunViewSet(ReadOnlyViewSet):
    model = InvoicingRun
    icon = "calculator"
    menu_label = _("Campagnes de facturation")
    index_view_class = RunIndexView
    list_display = ["__str__", "status", "progress_done", "progress_total", "invoices_created", "lines_created",
                    "facts_without_tariff", "created_at"]
    list_filter = ["status", "office", "year"]
    list_select_related = ("office",)


class InvoiceIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = [MenuItem(_("Lignes et paiements"), url=reverse("billing_admin:invoice", args=[instance.pk]),
                            icon_name="list-ul", priority=5)]
        if instance.status != Invoice.Status.DRAFT and self.request.user.has_perm("billing.add_creditnote"):
            buttons.append(MenuItem(_("Établir un avoir"), url=reverse("billing_admin:credit_note",
                                                                       args=[instance.pk]),
                                    icon_name="minus", priority=10))
        if instance.is_open and self.request.user.has_perm("billing.add_payment"):
            buttons.append(MenuItem(_("Paiement au guichet"),
                                    url=reverse("billing_admin:desk_payment") + f"?facture={instance.number}",
                                    icon_name="form", priority=20))
        return buttons


INVOICE_EXPORT = ["number", "status", "year", "month", "household.code", "payer_name", "total", "amount_credited",
                  "amount_paid", "balance", "issued_at", "due_date", "paid_at", "first_reminder_at",
                  "second_reminder_at"]


class InvoiceViewSet(ReadOnlyViewSet):
    model = Invoice
    icon = "doc-full"
    menu_label = _("Factures")
    index_view_class = InvoiceIndexView
    list_display = ["__str__", "payer_name", "household", "year", "month", "total", "balance", "status", "due_date"]
    list_filter = ["status", "office", "year", "month", "is_supplementary"]
    search_fields = ["number", "payer_name", "household__code", "household__name"]
    list_export = INVOICE_EXPORT
    export_filename = "factures"
    list_select_related = ("household", "office")


class UnpaidViewSet(InvoiceViewSet):
    menu_label = _("Impayés")
    icon = "warning"
    export_filename = "impayes"
    list_filter = ["office", "year", "month", "first_reminder_at", "second_reminder_at"]

    def get_index_view_kwargs(self, **kwargs):
        kwargs["queryset"] = Invoice.objects.filter(status__in=Invoice.OPEN_STATUSES).select_related(
            "household", "office").order_by("due_date", "number")
        return super().get_index_view_kwargs(**kwargs)


class CreditNoteViewSet(ReadOnlyViewSet):
    model = CreditNote
    icon = "minus"
    menu_label = _("Avoirs")
    list_display = ["number", "invoice", "amount", "reason", "created_by", "created_at"]
    list_filter = ["office"]
    search_fields = ["number", "invoice__number", "reason"]
    list_export = ["number", "invoice.number", "amount", "reason", "created_at"]
    export_filename = "avoirs"
    list_select_related = ("invoice", "created_by")


class PaymentViewSet(ReadOnlyViewSet):
    model = Payment
    icon = "form"
    menu_label = _("Paiements")
    list_display = ["received_at", "invoice", "household", "method", "amount", "cheque_number", "bank",
                    "recorded_by"]
    list_filter = ["method", "office", "received_at"]
    search_fields = ["invoice__number", "household__code", "cheque_number", "reference"]
    list_export = ["received_at", "invoice.number", "household.code", "method", "amount", "cheque_number", "bank",
                   "reference", "note"]
    export_filename = "paiements"
    list_select_related = ("invoice", "household", "recorded_by")


class PayfipTransactionViewSet(ReadOnlyViewSet):
    model = PayfipTransaction
    icon = "link"
    menu_label = _("Transactions PayFiP")
    list_display = ["created_at", "refdet", "amount_cents", "status", "resultrans", "idop", "anomaly"]
    list_filter = ["status", "resultrans"]
    search_fields = ["refdet", "idop"]
    list_export = ["created_at", "refdet", "amount_cents", "status", "resultrans", "numauto", "idop", "anomaly"]
    export_filename = "transactions-payfip"


class PermissionMenuItem(AdminMenuItem):
    permission = ""

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


class CashierViewSet(ViewSet):
    """A menu entry for one of the cashier's own screens (admin_views); its URLs are
    registered with ``register_admin_urls`` below."""

    def __init__(self, name, label, url_name, icon, permission):
        super().__init__(name=name, menu_label=label, icon=icon)
        self.url_name = url_name
        self.permission = permission

    @property
    def menu_url(self):
        return reverse(self.url_name)

    @property
    def menu_item_class(self):
        return type(f"{self.name}MenuItem", (PermissionMenuItem,), {"permission": self.permission})


class BillingViewSetGroup(ModelViewSetGroup):
    menu_label = _("Facturation")
    menu_icon = "calculator"
    menu_order = 260
    items = (
        RunViewSet("billing_runs", url_prefix="facturation/campagnes"),
        InvoiceViewSet("billing_invoices", url_prefix="facturation/factures"),
        UnpaidViewSet("billing_unpaid", url_prefix="facturation/impayes"),
        CreditNoteViewSet("billing_credit_notes", url_prefix="facturation/avoirs"),
        PaymentViewSet("billing_payments", url_prefix="facturation/paiements"),
        PayfipTransactionViewSet("billing_payfip", url_prefix="facturation/payfip"),
        TariffViewSet("billing_tariffs", url_prefix="facturation/tarifs"),
        CollectionOfficeViewSet("billing_offices", url_prefix="facturation/regies"),
        CashierViewSet("billing_new_run", _("Lancer une campagne"), "billing_admin:run_create", "plus",
                       "billing.add_invoicingrun"),
        CashierViewSet("billing_desk", _("Paiement au guichet"), "billing_admin:desk_payment", "form",
                       "billing.add_payment"),
        CashierViewSet("billing_slip", _("Bordereau journalier"), "billing_admin:daily_slip", "table",
                       "billing.view_payment"),
    )


@hooks.register("register_admin_viewset")
def register_billing_viewsets():
    return BillingViewSetGroup()


admin_urlpatterns = [
    path("campagnes/nouvelle/", admin_views.run_create, name="run_create"),
    path("campagnes/<int:pk>/", admin_views.run_detail, name="run"),
    path("campagnes/<int:pk>/emettre/", admin_views.run_finalise, name="run_finalise"),
    path("factures/<int:pk>/", admin_views.draft_detail, name="invoice"),
    path("factures/<int:pk>/supprimer-brouillon/", admin_views.draft_delete, name="draft_delete"),
    path("factures/<int:pk>/avoir/", admin_views.credit_note_create, name="credit_note"),
    path("guichet/", admin_views.desk_payment, name="desk_payment"),
    path("bordereau/", admin_views.daily_slip, name="daily_slip"),
]


@hooks.register("register_admin_urls")
def register_billing_admin_urls():
    return [path("caisse/", include((admin_urlpatterns, "billing_admin"), namespace="billing_admin"))]


# --- Shared hooks ---------------------------------------------------------------------------


@hooks.register(SPACE_LINKS)
def billing_space_links(request):
    return [{"label": _("Mes factures et paiements"), "url": reverse("billing:invoices"),
             "description": _("Consulter, télécharger et payer en ligne"), "order": 40}]


@hooks.register(HOUSEHOLD_EXPORT)
def billing_household_export(household, user):
    from .access import invoices_visible_to

    rows = []
    invoices = invoices_visible_to(user).filter(household=household).prefetch_related("payments", "credit_notes")
    for invoice in invoices:
        rows.append({
            "facture": invoice.number, "période": f"{invoice.month:02d}/{invoice.year}",
            "payeur": invoice.payer_name, "montant": str(invoice.total), "avoirs": str(invoice.amount_credited),
            "payé": str(invoice.amount_paid), "état": invoice.get_status_display(),
            "échéance": str(invoice.due_date or ""),
            "paiements": [{"date": p.received_at.isoformat(), "moyen": p.get_method_display(),
                           "montant": str(p.amount)} for p in invoice.payments.all()],
            "avoirs_détail": [{"numéro": n.number, "montant": str(n.amount), "motif": n.reason}
                              for n in invoice.credit_notes.all()],
        })
    return (str(_("Factures et paiements")), rows)


def _poll(now):
    from .payments import poll_pending

    return poll_pending(now)


def _reminders(now):
    from .reminders import send_due_reminders

    return send_due_reminders(now)


def _stay_invoices(now):
    from .stays import invoice_due_stays

    return invoice_due_stays(now)


@hooks.register(PERIODIC_JOBS)
def billing_periodic_jobs():
    return [
        {"name": "billing.stay_invoices", "every": datetime.timedelta(minutes=15), "run": _stay_invoices},
        {"name": "billing.payfip_poll", "every": datetime.timedelta(minutes=5), "run": _poll},
        {"name": "billing.unpaid_reminders", "every": datetime.timedelta(days=1), "run": _reminders},
    ]
