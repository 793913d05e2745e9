"""A local PayFiP: the same SOAP messages, served by this site under /payfip/simulateur/,
and a payment page where the "payer" chooses what happens.

The default in development (``PAYFIP["URL"] = "simulator"``) and the counterpart of the
tests. It answers only when ``PAYFIP["SIMULATOR"]`` is on (off with a real PayFiP URL).

- ``creerPaiementSecurise``: the same field checks as PayFiP (R3 for a bad refdet, A2
  for a bad e-mail...), then an idOp.
- ``recupererDetailPaiementSecurise``: P5 until the payer has chosen, then the details
  (resultrans P, V, R, Z or A); P1 for an unknown or "purged" idOp; a technical fault
  on request.
- The payment page: pay by card, pay by direct debit, refuse, cancel; and for tests:
  leave pending (P5), purge (P1), technical fault. After a choice, the notification is
  sent to ``urlnotif`` (server to server) and the browser goes back to ``urlredirect``.
- ``PAYFIP["SIMULATOR_DELAY"]``: seconds to wait before every SOAP answer (slow PayFiP).
"""

import logging
import random
import time
import uuid
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import payfip
from .models import SimulatedPayment

logger = logging.getLogger(__name__)

CHOICES = {
    "card": SimulatedPayment.Outcome.CARD,
    "debit": SimulatedPayment.Outcome.DEBIT,
    "refuse": SimulatedPayment.Outcome.CARD_REFUSED,
    "refuse_debit": SimulatedPayment.Outcome.DEBIT_REFUSED,
    "cancel": SimulatedPayment.Outcome.CANCELLED,
    "pending": SimulatedPayment.Outcome.PENDING,
    "expire": SimulatedPayment.Outcome.EXPIRED,
    "fault": SimulatedPayment.Outcome.FAULT,
}


def enabled():
    """On when configured, and never in production mode (W)."""
    return bool(settings.PAYFIP.get("SIMULATOR")) and settings.PAYFIP.get("MODE") != "W"


def _require_enabled():
    if not enabled():
        raise Http404("Le simulateur PayFiP est désactivé.")


def _soap(text, status=200):
    return HttpResponse(text, status=status, content_type="text/xml; charset=utf-8")


def _fault(code, libelle, fault_type="FonctionnelleErreur"):
    return _soap(payfip.build_fault(fault_type, code, libelle), status=500)


def create(fields):
    """The simulator's creerPaiementSecurise: an HTTP response (answer or fault)."""
    problems = payfip.validate_create_fields(fields)
    if any(p.startswith("refdet") for p in problems):
        return _fault("R3", "Le format du paramètre REFDET n'est pas conforme")
    if any(p.startswith("mel") for p in problems):
        return _fault("A2", "Adresse mel incorrecte")
    if problems:
        return _fault("R1", "Paramètres incorrects : " + "; ".join(problems))
    payment = SimulatedPayment.objects.create(
        idop=str(uuid.uuid4()), **{name: fields[name] for name in payfip.CREATE_FIELDS},
    )
    return _soap(payfip.build_response(payfip.CREATE, {"idOp": payment.idop}))


def details(idop):
    """The simulator's recupererDetailPaiementSecurise."""
    payment = SimulatedPayment.objects.filter(idop=idop).first()
    if payment is None or payment.outcome == SimulatedPayment.Outcome.EXPIRED:
        return _fault("P1", "IdOp incorrect ou purgé")
    if payment.outcome == SimulatedPayment.Outcome.FAULT:
        return _fault("T1", "Erreur technique du simulateur", fault_type="TechDysfonctionnementErreur")
    if payment.outcome in ("", SimulatedPayment.Outcome.PENDING):
        return _fault("P5", "Résultat de la transaction non connu")
    moment = timezone.localtime(payment.decided_at or payment.created_at)
    return _soap(payfip.build_response(payfip.DETAILS, {
        "dattrans": moment.strftime("%d%m%Y"), "heurtrans": moment.strftime("%H%M"), "exer": payment.exer,
        "idOp": payment.idop, "mel": payment.mel, "montant": payment.montant, "numauto": payment.numauto,
        "numcli": payment.numcli, "objet": payment.objet, "refdet": payment.refdet,
        "resultrans": payment.outcome, "saisie": payment.saisie,
    }))


@csrf_exempt  # called server to server by the portal's adapter, as PayFiP would be
@require_http_methods(["POST"])
def soap_endpoint(request):
    _require_enabled()
    delay = float(settings.PAYFIP.get("SIMULATOR_DELAY") or 0)
    if delay:
        time.sleep(delay)  # a slow PayFiP, for the adapter's timeout tests
    try:
        operation, fields = payfip.parse_envelope(request.body)
    except (ValueError, payfip.PayfipFault):
        return _fault("T2", "Requête SOAP illisible", fault_type="TechProtocolaireErreur")
    if operation == payfip.CREATE:
        return create(fields)
    if operation == payfip.DETAILS:
        return details(fields.get("idOp") or fields.get("idop") or "")
    return _fault("T3", f"Opération inconnue {operation}", fault_type="TechProtocolaireErreur")


@never_cache
@require_http_methods(["GET", "POST"])
def payment_page(request):
    """The hosted payment page (what payfip.gouv.fr shows the payer)."""
    _require_enabled()
    idop = request.GET.get("idop") or request.GET.get("idOp") or request.POST.get("idop") or ""
    payment = SimulatedPayment.objects.filter(idop=idop).first()
    if payment is None:
        raise Http404("Opération inconnue.")
    if request.method == "POST":
        choice = request.POST.get("choice", "")
        if choice not in CHOICES:
            return HttpResponseBadRequest("Choix inconnu.")
        if payment.outcome not in ("", SimulatedPayment.Outcome.PENDING):
            return HttpResponseBadRequest("Cette opération est déjà terminée.")
        decide(payment, CHOICES[choice])
        return HttpResponseRedirect(_with_idop(payment.urlredirect, payment.idop))
    amount = int(payment.montant) / 100
    return render(request, "billing/simulator_page.html", {"payment": payment, "amount": amount})


def decide(payment, outcome, *, notify=True):
    """Record the payer's choice and, after commit, send the notification."""
    payment.outcome = outcome
    payment.decided_at = timezone.now()
    if outcome in (SimulatedPayment.Outcome.CARD, SimulatedPayment.Outcome.DEBIT):
        payment.numauto = f"{random.randint(0, 999999):06d}"
    payment.save(update_fields=["outcome", "decided_at", "numauto"])
    if notify and outcome != SimulatedPayment.Outcome.PENDING:
        url = _with_idop(payment.urlnotif, payment.idop)
        transaction.on_commit(lambda: send_notification(url))


def send_notification(url):
    """PayFiP's server-to-server call (best effort, like the real one)."""
    try:
        requests.post(url, data={"idop": url.rsplit("idop=", 1)[-1]}, timeout=5)
    except requests.RequestException as error:
        logger.info("simulated PayFiP notification not delivered: %s", error)


def _with_idop(url, idop):
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}{urlencode({'idop': idop})}"
