"""Parent screens under /<lang>/factures/ (thin: the rules are in access, payments, pdf)."""

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from urllib.parse import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import GuardianChildRight

from . import payments as payment_rules
from .access import invoices_visible_to, payments_visible_to
from .certificates import childcare_costs
from .models import Invoice, InvoiceLine, Payment, PayfipTransaction
from .pdf import certificate_pdf, invoice_pdf


def _payable_ids(user, invoices):
    """Ids of the listed invoices the user could start paying (two queries in all)."""
    open_ids = [i.pk for i in invoices if i.is_open and not i.household.paper_only
                and i.balance >= payment_rules.MIN_ONLINE]
    if not open_ids:
        return set()
    pay_children = set(GuardianChildRight.objects.filter(guardian__user=user, can_pay=True)
                       .values_list("child_id", flat=True))
    children = defaultdict(set)
    for invoice_id, child_id in InvoiceLine.objects.filter(invoice_id__in=open_ids).values_list("invoice_id",
                                                                                               "child_id"):
        children[invoice_id].add(child_id)
    return {pk for pk in open_ids if children[pk] and children[pk] <= pay_children}


@never_cache
@login_required
def invoice_list(request):
    invoices = list(invoices_visible_to(request.user).select_related("office", "household")
                    .order_by("-year", "-month", "-id"))
    payable = _payable_ids(request.user, invoices)
    years = sorted({i.year for i in invoices}, reverse=True)
    return render(request, "billing/invoice_list.html", {
        "invoices": invoices, "payable": payable, "years": years,
        "unpaid_total": sum((i.balance for i in invoices if i.is_open), 0),
    })


def _visible_invoice(request, pk):
    return get_object_or_404(invoices_visible_to(request.user).select_related("office", "household", "payer"), pk=pk)


def _invoice_parts(invoice):
    lines = list(invoice.lines.select_related("child", "activity"))
    payments = list(invoice.payments.order_by("received_at", "id"))
    credit_notes = list(invoice.credit_notes.order_by("created_at", "id"))
    return lines, payments, credit_notes


def _detail_context(request, invoice, *, payment_error=None):
    lines, payments, credit_notes = _invoice_parts(invoice)
    groups = []
    for line in lines:
        if not groups or groups[-1]["child"].pk != line.child_id:
            groups.append({"child": line.child, "lines": [], "total": 0})
        groups[-1]["lines"].append(line)
        groups[-1]["total"] += line.amount
    refusal = payment_rules.payment_refusal(request.user, invoice) if invoice.is_open else None
    pending = invoice.payfip_transactions.filter(status=PayfipTransaction.Status.PENDING).exists()
    return {
        "invoice": invoice, "groups": groups, "payments": payments, "credit_notes": credit_notes,
        "can_pay": invoice.is_open and refusal is None, "refusal": refusal, "pending": pending,
        "payment_error": payment_error, "payment_result": _payment_result(request, invoice),
    }


def _payment_result(request, invoice):
    """The message about the online payment the parent comes back from (?paiement=...)."""
    token = request.GET.get("paiement")
    if not token:
        return None
    tx = invoice.payfip_transactions.filter(token=token).first()
    if tx is None:
        return None
    if request.GET.get("ecart"):
        return _("Le retour de PayFiP ne correspond pas à ce paiement : rien n'a été modifié.")
    if request.GET.get("verification") == "impossible" and not tx.is_final:
        return _("Nous n'avons pas encore pu vérifier votre paiement auprès de PayFiP. Il sera vérifié "
                 "automatiquement dans quelques minutes ; la facture reste payable en attendant.")
    return _result_message(tx)


@never_cache
@login_required
def invoice_detail(request, pk):
    invoice = _visible_invoice(request, pk)
    return render(request, "billing/invoice_detail.html", _detail_context(request, invoice))


@never_cache
@login_required
def invoice_download(request, pk):
    invoice = _visible_invoice(request, pk)
    lines, payments, credit_notes = _invoice_parts(invoice)
    response = HttpResponse(invoice_pdf(invoice, lines, payments, credit_notes), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="facture-{invoice.number}.pdf"'
    return response


@never_cache
@login_required
@require_POST
def invoice_pay(request, pk):
    invoice = _visible_invoice(request, pk)
    try:
        _tx, url = payment_rules.start_online_payment(request.user, invoice, request=request)
    except payment_rules.PaymentRefused as error:
        invoice.refresh_from_db()
        return render(request, "billing/invoice_detail.html",
                      _detail_context(request, invoice, payment_error=str(error)))
    return HttpResponseRedirect(url)


@never_cache
@login_required
def payment_list(request):
    payments = list(payments_visible_to(request.user).select_related("invoice", "invoice__office")
                    .order_by("-received_at", "-id"))
    return render(request, "billing/payment_list.html", {"payments": payments})


@never_cache
@login_required
def certificate(request, year):
    """The yearly certificate of childcare costs: per child under 6 on 1 January, the
    childcare paid during the year (``billing.certificates``)."""
    invoices = invoices_visible_to(request.user).exclude(status=Invoice.Status.CANCELLED)
    paid_in_year = Payment.objects.filter(invoice__in=invoices.values("pk"), received_at__year=year)
    if not invoices.filter(year=year).exists() and not paid_in_year.exists():
        raise Http404("Aucune facture pour cette année.")
    rows = childcare_costs(invoices, year)
    first = (invoices.filter(year=year).select_related("office", "household").order_by("-month", "-id").first()
             or paid_in_year.select_related("invoice__office", "invoice__household").first().invoice)
    pdf = certificate_pdf(first.household, year, rows, first.office.name, first.payer_name)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="attestation-frais-de-garde-{year}.pdf"'
    return response


# --- PayFiP: notification (server to server) and the browser's return ------------------------


def _idop(request):
    for name in ("idop", "idOp", "IDOP"):
        value = request.GET.get(name) or request.POST.get(name)
        if value:
            return value.strip()
    return ""


@csrf_exempt  # called by PayFiP's servers, without a CSRF token (the only exempt view)
@require_http_methods(["GET", "POST"])
def payfip_notification(request, token=None):
    """PayFiP says "look at idOp": look, trusting only recupererDetailPaiementSecurise."""
    idop = _idop(request)
    tx = payment_rules.transaction_for_token(token) if token else PayfipTransaction.objects.filter(
        idop=idop).first() if idop else None
    payment_rules.log_incoming("notification", request, tx)
    if tx is not None and (not idop or idop == tx.idop):
        try:
            payment_rules.check_transaction(tx, request=request)
        except payment_rules.PaymentUnavailable:
            pass  # the poller will look again
    return HttpResponse("OK", content_type="text/plain")


@never_cache
@require_http_methods(["GET", "POST"])
def payfip_return(request, token):
    """The parent's browser back from PayFiP: check, then show the invoice."""
    tx = payment_rules.transaction_for_token(token)
    if tx is None:
        raise Http404("Transaction inconnue.")
    payment_rules.log_incoming("return", request, tx)
    idop = _idop(request)
    url = reverse("billing:invoice", args=[tx.invoice_id]) + "?" + urlencode({"paiement": tx.token})
    if idop and idop != tx.idop:
        return HttpResponseRedirect(url + "&ecart=1")
    try:
        payment_rules.check_transaction(tx, request=request)
    except payment_rules.PaymentUnavailable:
        return HttpResponseRedirect(url + "&verification=impossible")
    return HttpResponseRedirect(url)


def _result_message(tx):
    status = tx.status
    if status == PayfipTransaction.Status.PAID:
        return _("Paiement accepté : merci, la facture est réglée.")
    if status == PayfipTransaction.Status.REFUSED:
        return _("Le paiement a été refusé. La facture reste à payer.")
    if status == PayfipTransaction.Status.CANCELLED:
        return _("Vous avez abandonné le paiement. La facture reste à payer.")
    if status == PayfipTransaction.Status.EXPIRED:
        return _("Ce paiement a expiré. La facture reste à payer.")
    if tx.anomaly and status == PayfipTransaction.Status.PENDING:
        return _("Le résultat reçu ne correspond pas à cette facture : rien n'a été modifié.")
    return _("Le résultat du paiement n'est pas encore connu ; il sera vérifié automatiquement.")

