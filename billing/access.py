"""Which invoices a parent reaches.

- A payer sees the invoices addressed to them, and only those: separated parents who
  are both payers each see their own invoices.
- A guardian of the household who is not a payer (the other parent of a couple) also
  sees the household's invoices when they hold the view right on every child invoiced.
- Nobody else: another household's invoice id gives 404.
Paying needs more (``billing.payments.payment_refusal``): the pay right on every child.
"""

from django.db.models import Exists, OuterRef, Q

from accounts.households import children_visible_to
from accounts.models import Guardian

from .models import Invoice, InvoiceLine, Payment


def invoices_visible_to(user):
    if user is None or not user.is_authenticated:
        return Invoice.objects.none()
    not_payer_guardian = Guardian.objects.filter(user=user, household=OuterRef("household"), is_payer=False)
    unseen_child = InvoiceLine.objects.filter(invoice=OuterRef("pk")).exclude(
        child__in=children_visible_to(user).values("pk"))
    return Invoice.objects.exclude(status=Invoice.Status.DRAFT).filter(
        Q(payer__user=user) | (Exists(not_payer_guardian) & ~Exists(unseen_child))
    )


def payments_visible_to(user):
    return Payment.objects.filter(invoice__in=invoices_visible_to(user).values("pk"))
