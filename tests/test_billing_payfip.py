"""The PayFiP adapter against the local simulator over real HTTP on loopback (the live
server), the notification and the return, idempotence, tampering, the poller, and
concurrent notifications on PostgreSQL."""

import datetime
import re
import threading
from decimal import Decimal

import pytest
import requests
from django.db import connection
from django.utils import timezone

from accounts.models import AuditEvent
from billing import payfip, payments, simulator
from billing.models import Invoice, Payment, PayfipExchange, PayfipTransaction, SimulatedPayment

pytestmark = pytest.mark.django_db(transaction=True)
D = Decimal
NOV = [datetime.date(2026, 11, day) for day in (2, 3, 5)]


@pytest.fixture
def payfip_live(settings, live_server):
    settings.PAYFIP = {
        "URL": f"{live_server.url}/payfip/simulateur/services/securite",
        "PAGE_URL": f"{live_server.url}/payfip/simulateur/paiement/",
        "CLIENT_NUMBER": "123456", "MODE": "T", "TIMEOUT": 5.0, "SIMULATOR": True, "SIMULATOR_DELAY": 0,
        "NOTIFY_BASE_URL": live_server.url,
    }
    return live_server


@pytest.fixture
def issued(billing_world, fact, run_month):
    world = billing_world
    run = run_month(world.office, 2026, 11, [fact(world.lea, world.canteen, day) for day in NOV], finalise=True)
    return Invoice.objects.get(run=run)  # 3 × 2.28 = 6.84 €


@pytest.fixture
def marie(billing_world):
    return billing_world.users["marie@example.org"]


def simulated(tx):
    return SimulatedPayment.objects.get(idop=tx.idop)


def state(tx, invoice):
    tx.refresh_from_db()
    invoice.refresh_from_db()
    return tx.status, invoice.status, Payment.objects.filter(invoice=invoice).count()


def test_paid_by_card_through_the_simulator_page(payfip_live, issued, marie):
    tx, url = payments.start_online_payment(marie, issued)
    assert url.startswith(f"{payfip_live.url}/payfip/simulateur/paiement/?idop=")
    assert (tx.amount_cents, tx.refdet, tx.numcli, tx.exer, tx.saisie) == (684, "F0126110000001", "123456", "2026", "T")
    remote = simulated(tx)
    assert remote.objet == "Facture F01 26 11 0000001 Regie Enfance" and remote.montant == "684"
    browser = requests.Session()
    page = browser.get(url, timeout=10)
    assert page.status_code == 200 and "6,84" in page.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    browser.post(url, data={"csrfmiddlewaretoken": token, "choice": "card", "idop": tx.idop}, timeout=10)
    assert state(tx, issued) == ("paid", "paid", 1)
    payment = Payment.objects.get(invoice=issued)
    assert payment.method == Payment.Method.PAYFIP_CARD and payment.amount == D("6.84") and payment.transaction == tx
    assert issued.balance == 0
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PAYMENT).count() == 1
    kinds = set(PayfipExchange.objects.filter(transaction=tx).values_list("kind", flat=True))
    assert {"request", "response", "notification", "return"} <= kinds


def test_paid_by_direct_debit_through_the_notification(payfip_live, issued, marie):
    tx, _url = payments.start_online_payment(marie, issued)
    simulator.decide(simulated(tx), "V", notify=False)
    response = requests.post(f"{payfip_live.url}/payfip/notification/{tx.token}/", data={"idOp": tx.idop}, timeout=10)
    assert response.status_code == 200
    assert state(tx, issued) == ("paid", "paid", 1)
    assert Payment.objects.get(invoice=issued).method == Payment.Method.PAYFIP_DEBIT
    # The same notification again, and the return: nothing more.
    requests.post(f"{payfip_live.url}/payfip/notification/{tx.token}/", data={"idop": tx.idop}, timeout=10)
    requests.get(f"{payfip_live.url}/payfip/notification/?idop={tx.idop}", timeout=10)
    requests.get(f"{payfip_live.url}/payfip/retour/{tx.token}/?idop={tx.idop}", timeout=10)
    assert state(tx, issued) == ("paid", "paid", 1)


@pytest.mark.parametrize("outcome", ["R", "Z"])
def test_refused(payfip_live, issued, marie, outcome):
    tx, _url = payments.start_online_payment(marie, issued)
    simulator.decide(simulated(tx), outcome, notify=False)
    payments.check_transaction(tx)
    assert state(tx, issued) == ("refused", "issued", 0)
    assert payments.payment_refusal(marie, issued) is None  # still payable


def test_cancelled_stays_pending_two_minutes(payfip_live, issued, marie):
    tx, _url = payments.start_online_payment(marie, issued)
    remote = simulated(tx)
    simulator.decide(remote, "A", notify=False)
    remote.refresh_from_db()
    decided = remote.decided_at.replace(second=0, microsecond=0)
    payments.check_transaction(tx, now=decided + datetime.timedelta(seconds=60))
    assert state(tx, issued) == ("pending", "issued", 0)
    payments.check_transaction(tx, now=decided + datetime.timedelta(minutes=3))
    assert state(tx, issued) == ("cancelled", "issued", 0)


def test_p5_pending_then_paid(payfip_live, issued, marie):
    tx, _url = payments.start_online_payment(marie, issued)
    payments.check_transaction(tx)  # nobody has chosen yet: P5
    assert state(tx, issued) == ("pending", "issued", 0)
    simulator.decide(simulated(tx), "P", notify=False)
    payments.check_transaction(tx)
    assert state(tx, issued) == ("paid", "paid", 1)


def test_p5_expires_after_two_hours(payfip_live, issued, marie):
    tx, _url = payments.start_online_payment(marie, issued)
    payments.check_transaction(tx, now=tx.created_at + datetime.timedelta(minutes=121))
    assert state(tx, issued) == ("expired", "issued", 0)


def test_p1_expired(payfip_live, issued, marie):
    tx, _url = payments.start_online_payment(marie, issued)
    simulator.decide(simulated(tx), "P1", notify=False)
    payments.check_transaction(tx)
    assert state(tx, issued) == ("expired", "issued", 0)


def test_technical_soap_fault_changes_nothing(payfip_live, issued, marie):
    tx, _url = payments.start_online_payment(marie, issued)
    simulator.decide(simulated(tx), "TECH", notify=False)
    with pytest.raises(payments.PaymentUnavailable):
        payments.check_transaction(tx)
    assert state(tx, issued) == ("pending", "issued", 0)


def test_functional_soap_faults_from_the_adapter(payfip_live):
    client = payfip.client()
    fields = {"numcli": "123456", "exer": "2026", "refdet": "ABCD", "objet": "Essai", "montant": "1000",
              "mel": "parent@example.org", "urlnotif": "http://127.0.0.1/n", "urlredirect": "http://127.0.0.1/r",
              "saisie": "T"}
    with pytest.raises(payfip.PayfipFault) as fault:
        client.create_payment(**fields)
    assert fault.value.code == "R3" and fault.value.fault_type == "FonctionnelleErreur"
    with pytest.raises(payfip.PayfipFault) as fault:
        client.create_payment(**dict(fields, refdet="ABCDEF", mel="x@y"))
    assert fault.value.code == "A2"
    with pytest.raises(payfip.PayfipFault) as fault:
        client.payment_details("inconnu")
    assert fault.value.code == "P1"


def test_timeout_gives_a_clear_message_and_the_invoice_stays_payable(payfip_live, settings, issued, marie):
    settings.PAYFIP = dict(settings.PAYFIP, TIMEOUT=0.3, SIMULATOR_DELAY=1.5)
    with pytest.raises(payments.PaymentUnavailable) as error:
        payments.start_online_payment(marie, issued)
    assert "ne répond pas" in str(error.value) and "reste payable" in str(error.value)
    tx = PayfipTransaction.objects.get(invoice=issued)
    assert tx.status == "failed" and "indisponible" in tx.anomaly
    assert PayfipExchange.objects.filter(transaction=tx, kind="error").exists()
    issued.refresh_from_db()
    assert issued.status == "issued" and payments.payment_refusal(marie, issued) is None
    _wait_for_the_slow_answer()


def _wait_for_the_slow_answer():
    """The live server is still answering the abandoned call: let it finish before the
    database is flushed (bounded; the server thread shares the SQLite connection)."""
    import time

    deadline = time.monotonic() + 10
    while not SimulatedPayment.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.2)


def test_payfip_down(settings, issued, marie):
    settings.PAYFIP = dict(settings.PAYFIP, URL="http://127.0.0.1:9/tpa/services/securite", TIMEOUT=2)
    with pytest.raises(payments.PaymentUnavailable):
        payments.start_online_payment(marie, issued)
    issued.refresh_from_db()
    assert issued.status == "issued"


def test_a_tampered_return_changes_nothing(payfip_live, issued, marie, billing_world, fact, run_month):
    world = billing_world
    tx, _url = payments.start_online_payment(marie, issued)
    # Another invoice, paid: its idOp sent back on our transaction's return URL.
    other_run = run_month(world.office, 2026, 12, [fact(world.lea, world.canteen, datetime.date(2026, 12, 1))],
                          finalise=True)
    other = Invoice.objects.get(run=other_run)
    other_tx, _ = payments.start_online_payment(marie, other)
    simulator.decide(simulated(other_tx), "P", notify=False)
    requests.get(f"{payfip_live.url}/payfip/retour/{tx.token}/?idop={other_tx.idop}", timeout=10)
    assert state(tx, issued) == ("pending", "issued", 0)
    # Our own idOp, but PayFiP's record says another amount: refused.
    remote = simulated(tx)
    simulator.decide(remote, "P", notify=False)
    SimulatedPayment.objects.filter(pk=remote.pk).update(montant="100")
    requests.get(f"{payfip_live.url}/payfip/retour/{tx.token}/?idop={tx.idop}", timeout=10)
    assert state(tx, issued) == ("pending", "issued", 0)
    assert "montant" in tx.anomaly
    # ... or another invoice's reference.
    SimulatedPayment.objects.filter(pk=remote.pk).update(montant="684", refdet=other.refdet())
    requests.post(f"{payfip_live.url}/payfip/notification/{tx.token}/", data={"idop": tx.idop}, timeout=10)
    assert state(tx, issued) == ("pending", "issued", 0)
    assert "refdet" in tx.anomaly
    # Once PayFiP's answer matches the row, the payment is settled.
    SimulatedPayment.objects.filter(pk=remote.pk).update(refdet=tx.refdet)
    payments.check_transaction(tx)
    assert state(tx, issued) == ("paid", "paid", 1)


def test_test_mode_results_are_refused_in_production_mode(payfip_live, settings, issued, marie):
    tx, _url = payments.start_online_payment(marie, issued)
    simulator.decide(simulated(tx), "P", notify=False)
    details = payfip.client().payment_details(tx.idop)  # a test-mode answer (saisie T)
    assert details["saisie"] == "T"
    settings.PAYFIP = dict(settings.PAYFIP, MODE="W")  # the portal now runs in production mode
    payments.apply_result(tx, details)
    assert state(tx, issued) == ("pending", "issued", 0)
    assert "production" in tx.anomaly


def test_the_poller_settles_lost_notifications(payfip_live, issued, marie):
    tx, _url = payments.start_online_payment(marie, issued)
    simulator.decide(simulated(tx), "P", notify=False)  # the notification is lost
    assert payments.poll_pending(now=tx.created_at + datetime.timedelta(minutes=2)) == {}  # too young
    seen = payments.poll_pending(now=tx.created_at + datetime.timedelta(minutes=6))
    assert seen == {"paid": 1}
    assert state(tx, issued) == ("paid", "paid", 1)


def test_the_poller_expires_what_stays_pending_three_hours(payfip_live, issued, marie):
    tx, _url = payments.start_online_payment(marie, issued)
    PayfipTransaction.objects.filter(pk=tx.pk).update(created_at=timezone.now() - datetime.timedelta(hours=4))
    # Unknown result (P5) for 4 hours: expired (P5 itself expires after 2 hours).
    payments.poll_pending()
    assert state(tx, issued) == ("expired", "issued", 0)


def test_a_paid_invoice_cannot_start_a_payment(payfip_live, issued, marie):
    tx, _url = payments.start_online_payment(marie, issued)
    simulator.decide(simulated(tx), "P", notify=False)
    payments.check_transaction(tx)
    with pytest.raises(payments.PaymentRefused) as error:
        payments.start_online_payment(marie, issued)
    assert "déjà payée" in str(error.value)


def test_raw_exchanges_are_append_only(payfip_live, issued, marie):
    from billing.models import AppendOnlyError

    tx, _url = payments.start_online_payment(marie, issued)
    exchange = PayfipExchange.objects.filter(transaction=tx).first()
    assert "<req:creerPaiementSecurise>" in PayfipExchange.objects.filter(kind="request").first().body
    with pytest.raises(AppendOnlyError):
        exchange.save()
    with pytest.raises(AppendOnlyError):
        PayfipExchange.objects.filter(pk=exchange.pk).update(body="")
    with pytest.raises(AppendOnlyError):
        exchange.delete()
    if connection.vendor == "postgresql":
        from django.db import DatabaseError, transaction

        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE billing_payfipexchange SET body = '' WHERE id = %s", [exchange.pk])


@pytest.mark.postgres
def test_concurrent_notifications_settle_once(payfip_live, issued, marie):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (real parallel connections)")
    tx, _url = payments.start_online_payment(marie, issued)
    simulator.decide(simulated(tx), "P", notify=False)
    details = payfip.client().payment_details(tx.idop)
    barrier = threading.Barrier(4)
    errors = []

    def deliver():
        try:
            barrier.wait()
            payments.apply_result(tx, details)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert state(tx, issued) == ("paid", "paid", 1)
    issued.refresh_from_db()
    assert issued.amount_paid == D("6.84")


@pytest.mark.postgres
def test_concurrent_http_notifications_and_return_settle_once(payfip_live, issued, marie):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (real parallel connections)")
    tx, _url = payments.start_online_payment(marie, issued)
    simulator.decide(simulated(tx), "V", notify=False)
    urls = [f"{payfip_live.url}/payfip/notification/{tx.token}/?idop={tx.idop}"] * 3 + [
        f"{payfip_live.url}/payfip/retour/{tx.token}/?idop={tx.idop}"]
    barrier = threading.Barrier(len(urls))

    def hit(url):
        barrier.wait()
        requests.get(url, timeout=20, allow_redirects=False)

    threads = [threading.Thread(target=hit, args=(url,)) for url in urls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert state(tx, issued) == ("paid", "paid", 1)


def test_envelopes_round_trip():
    text = payfip.build_request(payfip.CREATE, {"refdet": "A&B<1>", "montant": "100"})
    operation, fields = payfip.parse_envelope(text)
    assert operation == "creerPaiementSecurise" and fields == {"refdet": "A&B<1>", "montant": "100"}
    with pytest.raises(payfip.PayfipFault) as fault:
        payfip.parse_envelope(payfip.build_fault("FonctionnelleErreur", "P5", "Résultat inconnu"))
    assert fault.value.code == "P5" and not fault.value.is_technical
    assert payfip.clean_objet("Facture l'été – Régie n°1") == "Facture l ete Regie n1"
    assert payfip.to_cents(D("10.00")) == 1000

