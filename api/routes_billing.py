"""Invoices, their PDF, the PayFiP payment, payments: the billing area's own functions
(``billing.access``, ``billing.payments.start_online_payment`` as the site's "Payer"
button, ``billing.pdf``)."""

from typing import Optional

from django.http import HttpResponse
from ninja import Path, Query, Router, Status

from billing import payments as payment_rules
from billing.access import invoices_visible_to, payments_visible_to
from billing.models import Invoice
from billing.pdf import invoice_pdf

from .common import MAX_ID, LimitParam, OffsetParam, paginate, responses
from .errors import ApiError, not_found
from .schemas import Error, InvoiceDetailOut, InvoiceOut, Page, PaymentOut, PaymentStartOut

router = Router(tags=["factures et paiements"])

PDF_RESPONSE = {"responses": {200: {"description": "La facture en PDF.", "content": {
    "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}}


def _invoice(invoice):
    return {"id": invoice.pk, "number": invoice.number, "year": invoice.year, "month": invoice.month,
            "office": invoice.office.name, "status": invoice.status, "status_label": invoice.get_status_display(),
            "total": invoice.total, "amount_paid": invoice.amount_paid, "amount_credited": invoice.amount_credited,
            "balance": invoice.balance, "issued_at": invoice.issued_at, "due_date": invoice.due_date,
            "payer_name": invoice.payer_name}


def _payment(payment):
    return {"id": payment.pk, "invoice_id": payment.invoice_id, "invoice_number": payment.invoice.number,
            "amount": payment.amount, "method": payment.method, "method_label": payment.get_method_display(),
            "received_at": payment.received_at}


def _find_invoice(user, invoice_id):
    invoice = (invoices_visible_to(user).select_related("office", "household", "payer").filter(pk=invoice_id)
               .first())
    if invoice is None:
        raise not_found()
    return invoice


@router.get("/invoices", response=responses(Page[InvoiceOut]), url_name="invoices", summary="Les factures")
def invoices(request, status: Optional[Invoice.Status] = Query(None), limit: int = LimitParam(),
             offset: int = OffsetParam()):
    """Les factures que l'appelant voit sur le site : les siennes s'il est payeur ; celles
    du foyer pour l'autre parent d'un couple (jamais celles de l'autre payeur d'un couple
    séparé)."""
    queryset = invoices_visible_to(request.user).select_related("office")
    if status is not None:
        queryset = queryset.filter(status=status)
    return paginate(queryset.order_by("-year", "-month", "-id"), limit, offset, _invoice)


@router.get("/invoices/{int:invoice_id}", response=responses(InvoiceDetailOut), url_name="invoice",
            summary="Une facture")
def invoice(request, invoice_id: int = Path(..., ge=1, le=MAX_ID)):
    found = _find_invoice(request.user, invoice_id)
    refusal = payment_rules.payment_refusal(request.user, found) if found.is_open else None
    data = _invoice(found)
    data.update({
        "lines": [{"child_id": line.child_id, "activity_id": line.activity_id, "day": line.day,
                   "description": line.description, "quantity": line.quantity, "unit_price": line.unit_price,
                   "amount": line.amount} for line in found.lines.all()],
        "payments": [_payment(p) for p in found.payments.select_related("invoice").order_by("received_at", "id")],
        "credit_notes": [{"number": n.number, "amount": n.amount, "reason": n.reason, "created_at": n.created_at}
                         for n in found.credit_notes.order_by("created_at", "id")],
        "can_pay": found.is_open and refusal is None,
        "payment_refusal": str(refusal) if refusal else None,
    })
    return data


@router.get("/invoices/{int:invoice_id}/pdf", response=responses(None), url_name="invoice_pdf",
            summary="Une facture en PDF", openapi_extra=PDF_RESPONSE)
def invoice_download(request, invoice_id: int = Path(..., ge=1, le=MAX_ID)):
    found = _find_invoice(request.user, invoice_id)
    lines = list(found.lines.select_related("child", "activity"))
    payments = list(found.payments.order_by("received_at", "id"))
    credit_notes = list(found.credit_notes.order_by("created_at", "id"))
    response = HttpResponse(invoice_pdf(found, lines, payments, credit_notes), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="facture-{found.number}.pdf"'
    return response


@router.post("/invoices/{int:invoice_id}/pay", response=responses(PaymentStartOut, status=201, extra={503: Error}),
             url_name="invoice_pay", summary="Payer en ligne (PayFiP)")
def invoice_pay(request, invoice_id: int = Path(..., ge=1, le=MAX_ID)):
    """Prépare le paiement PayFiP du reste à payer (``billing.payments.start_online_payment``,
    comme le bouton « Payer » du site) et renvoie l'adresse de la page de paiement où
    envoyer le parent. La facture n'est réglée que sur la réponse de PayFiP au serveur."""
    found = _find_invoice(request.user, invoice_id)
    try:
        transaction, url = payment_rules.start_online_payment(request.user, found, request=request)
    except payment_rules.PaymentRefused as refused:
        raise ApiError(refused.code, str(refused)) from None
    return Status(201, {"redirect_url": url, "transaction_id": transaction.pk})


@router.get("/payments", response=responses(Page[PaymentOut]), url_name="payments", summary="Les paiements")
def payments(request, limit: int = LimitParam(), offset: int = OffsetParam()):
    queryset = payments_visible_to(request.user).select_related("invoice").order_by("-received_at", "-id")
    return paginate(queryset, limit, offset, _payment)
