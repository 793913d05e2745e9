"""Cashier screens of the Wagtail admin that are not plain listings: launching a run and
following its progress, reviewing and issuing its drafts, credit notes, desk payments,
the daily payment slip. Each checks the ``billing`` model permission it needs (the
"Régisseurs" group holds them all, see ``accounts.roles``)."""

import csv
import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.audit import record
from accounts.models import AuditEvent

from . import invoicing, payments
from .models import CollectionOffice, Invoice, InvoiceLine, InvoicingRun, Payment


def _require(request, codename):
    if not request.user.has_perm(f"billing.{codename}"):
        raise PermissionDenied


# --- Runs -----------------------------------------------------------------------------------


class RunForm(forms.Form):
    office = forms.ModelChoiceField(label=gettext_lazy("Régie"), queryset=CollectionOffice.objects.filter(is_active=True))
    year = forms.IntegerField(label=gettext_lazy("Année"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=gettext_lazy("Mois"), min_value=1, max_value=12)


def run_create(request):
    _require(request, "add_invoicingrun")
    today = timezone.localdate()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    form = RunForm(request.POST or None, initial={"year": last_month.year, "month": last_month.month})
    if request.method == "POST" and form.is_valid():
        try:
            run = invoicing.start_run(form.cleaned_data["office"], form.cleaned_data["year"],
                                      form.cleaned_data["month"], user=request.user)
        except invoicing.InvoicingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Campagne lancée."))
            return redirect("billing_admin:run", run.pk)
    return render(request, "billing/admin/run_form.html", {"form": form, "title": _("Lancer une campagne de facturation")})


def run_detail(request, pk):
    _require(request, "view_invoicingrun")
    run = get_object_or_404(InvoicingRun.objects.select_related("office", "created_by"), pk=pk)
    invoices = list(run.invoices.select_related("household").annotate(line_count=Count("lines"))
                    .order_by("household__code", "payer_id"))
    return render(request, "billing/admin/run_detail.html", {
        "run": run, "invoices": invoices, "title": str(run),
        "can_finalise": run.status == InvoicingRun.Status.DRAFTED and request.user.has_perm("billing.change_invoice"),
        "refresh": run.status in (InvoicingRun.Status.PENDING, InvoicingRun.Status.RUNNING),
        "draft_total": sum((i.total for i in invoices if i.status == Invoice.Status.DRAFT), 0),
    })


@require_POST
def run_finalise(request, pk):
    _require(request, "change_invoice")
    run = get_object_or_404(InvoicingRun, pk=pk)
    try:
        count = invoicing.finalise_run(run, user=request.user, request=request)
    except invoicing.InvoicingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(count)s facture(s) émise(s) et envoyée(s) aux familles.") % {"count": count})
    return redirect("billing_admin:run", pk)


@require_POST
def draft_delete(request, pk):
    _require(request, "delete_invoice")
    invoice = get_object_or_404(Invoice, pk=pk)
    run_id = invoice.run_id
    try:
        invoicing.delete_draft(invoice, user=request.user)
    except invoicing.InvoicingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Brouillon supprimé : ses prestations seront reprises à la prochaine campagne."))
    return redirect("billing_admin:run", run_id) if run_id else redirect("billing_invoices:index")


def draft_detail(request, pk):
    _require(request, "view_invoice")
    invoice = get_object_or_404(Invoice.objects.select_related("office", "household", "run"), pk=pk)
    lines = list(invoice.lines.select_related("child", "activity"))
    return render(request, "billing/admin/invoice_lines.html", {
        "invoice": invoice, "lines": lines, "title": str(invoice),
        "payments": list(invoice.payments.all()), "credit_notes": list(invoice.credit_notes.all()),
    })


# --- Credit notes ----------------------------------------------------------------------------


class CreditNoteForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Motif"), max_length=255)
    lines = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Lignes à créditer"), queryset=InvoiceLine.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    amount = forms.DecimalField(label=gettext_lazy("ou un montant (€)"), max_digits=10, decimal_places=2,
                                required=False, min_value=0.01)

    def __init__(self, *args, invoice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lines"].queryset = invoice.lines.select_related("child").all()
        self.fields["lines"].label_from_instance = lambda line: f"{line.child.first_name} — {line.description} : {line.amount} €"

    def clean(self):
        data = super().clean()
        if not data.get("lines") and not data.get("amount"):
            raise forms.ValidationError(_("Choisissez des lignes ou indiquez un montant."))
        if data.get("lines") and data.get("amount"):
            raise forms.ValidationError(_("Choisissez des lignes ou un montant, pas les deux."))
        return data


def credit_note_create(request, pk):
    _require(request, "add_creditnote")
    invoice = get_object_or_404(Invoice.objects.select_related("office", "household"), pk=pk)
    form = CreditNoteForm(request.POST or None, invoice=invoice)
    if request.method == "POST" and form.is_valid():
        try:
            note = invoicing.issue_credit_note(
                invoice, reason=form.cleaned_data["reason"], amount=form.cleaned_data.get("amount"),
                lines=list(form.cleaned_data.get("lines") or []), user=request.user, request=request,
            )
        except invoicing.InvoicingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Avoir %(number)s établi.") % {"number": note.number})
            return redirect("billing_admin:invoice", invoice.pk)
    return render(request, "billing/admin/simple_form.html", {
        "form": form, "title": _("Avoir sur la facture %(number)s") % {"number": invoice.number},
        "intro": _("Une facture émise ne se modifie pas : l'avoir la corrige (reste à payer actuel : %(balance)s €).")
        % {"balance": invoice.balance},
    })


# --- Desk payments and the daily slip ---------------------------------------------------------


class DeskPaymentForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Numéro de la facture"), max_length=30)
    method = forms.ChoiceField(label=gettext_lazy("Moyen de paiement"),
                               choices=[(m.value, m.label) for m in Payment.Method if m in Payment.DESK_METHODS])
    amount = forms.DecimalField(label=gettext_lazy("Montant (€)"), max_digits=10, decimal_places=2, min_value=0.01)
    cheque_number = forms.CharField(label=gettext_lazy("Numéro du chèque"), max_length=40, required=False)
    bank = forms.CharField(label=gettext_lazy("Banque"), max_length=100, required=False)
    reference = forms.CharField(label=gettext_lazy("Références des titres (CESU, chèques-vacances)"),
                                max_length=100, required=False)
    note = forms.CharField(label=gettext_lazy("Remarque"), max_length=255, required=False)

    def clean_number(self):
        number = self.cleaned_data["number"].strip().upper()
        invoice = Invoice.objects.filter(number=number).first()
        if invoice is None:
            raise forms.ValidationError(_("Aucune facture émise ne porte ce numéro."))
        self.invoice = invoice
        return number


def desk_payment(request):
    _require(request, "add_payment")
    form = DeskPaymentForm(request.POST or None, initial={"number": request.GET.get("facture", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = payments.record_desk_payment(
                form.invoice, amount=data["amount"], method=data["method"], user=request.user,
                cheque_number=data["cheque_number"], bank=data["bank"], reference=data["reference"],
                note=data["note"], request=request,
            )
        except payments.PaymentRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Paiement de %(amount)s € enregistré ; reste à payer : %(balance)s €.")
                             % {"amount": payment.amount, "balance": payment.invoice.balance})
            return redirect("billing_admin:desk_payment")
    return render(request, "billing/admin/simple_form.html", {
        "form": form, "title": _("Enregistrer un paiement au guichet"),
        "intro": _("Espèces, chèque (numéro et banque), CESU (jamais pour la restauration scolaire ; centre de "
                   "loisirs : enfants de moins de 6 ans) ou chèques-vacances. Un paiement partiel est possible."),
    })


class SlipForm(forms.Form):
    office = forms.ModelChoiceField(label=gettext_lazy("Régie"), queryset=CollectionOffice.objects.all())
    day = forms.DateField(label=gettext_lazy("Jour"), widget=forms.DateInput(attrs={"type": "date"}))


def daily_slip(request):
    _require(request, "view_payment")
    form = SlipForm(request.GET or None, initial={"day": timezone.localdate()})
    slip = None
    if request.GET and form.is_valid():
        slip = payments.daily_slip(form.cleaned_data["office"], form.cleaned_data["day"])
        if request.GET.get("format") == "csv":
            return _slip_csv(request, slip)
    return render(request, "billing/admin/slip.html", {"form": form, "slip": slip,
                                                       "title": _("Bordereau journalier des paiements")})


def _slip_csv(request, slip):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="bordereau-{slip["office"].code}-{slip["day"]:%Y-%m-%d}.csv"')
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Moyen"), _("Heure"), _("Facture"), _("Foyer"), _("Chèque"), _("Banque"), _("Référence"),
                     _("Montant")])
    for method in slip["methods"]:
        for p in method["payments"]:
            writer.writerow([method["label"], f"{timezone.localtime(p.received_at):%H:%M}", p.invoice.number,
                             p.household.code, p.cheque_number, p.bank, p.reference, f"{p.amount:.2f}"])
        writer.writerow([method["label"], "", "", "", "", "", _("Sous-total"), f"{method['total']:.2f}"])
    writer.writerow(["", "", "", "", "", "", _("Total"), f"{slip['total']:.2f}"])
    record(AuditEvent.Action.STAFF_EXPORT, request=request, acting_for_family=False,
           summary=f"Bordereau {slip['office'].code} du {slip['day']:%d/%m/%Y}")
    return response
