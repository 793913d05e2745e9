"""Parent screens (invoices, detail, PDF, pay, payments, certificate): access, 404 for
other households, constant queries; desk payments and their rules; the daily slip;
cashier admin screens; reminders; the periodic jobs and other hooks."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent
from billing import invoicing, payments
from billing.models import Invoice, Payment, PayfipTransaction
from services import billable

from tests.fixtures_accounts import login_staff

D = Decimal
NOV = [datetime.date(2026, 11, day) for day in (2, 3, 5, 6)]


@pytest.fixture
def invoices(billing_world, fact, run_month):
    world = billing_world
    thomas = world.users["thomas@example.org"]
    run = run_month(world.office, 2026, 11, [
        fact(world.lea, world.canteen, NOV[0]), fact(world.hugo, world.canteen, NOV[0]),
        fact(world.chloe, world.canteen, NOV[0], booked_by_id=thomas.pk),
        fact(world.nathan, world.leisure, datetime.date(2026, 11, 4)),
    ], finalise=True)
    by_payer = {i.payer_id: i for i in Invoice.objects.filter(run=run)}
    return {"marie": by_payer[world.marie.pk], "thomas": by_payer[world.thomas.pk],
            "sophie": by_payer[world.sophie.pk]}


def client_for(world, email):
    client = Client()
    response = client.post("/fr/compte/connexion/", {"username": email, "password": world.password})
    assert response.status_code == 302
    return client


def test_the_list_shows_own_invoices_only(billing_world, invoices):
    world = billing_world
    marie = client_for(world, "marie@example.org")
    response = marie.get("/fr/factures/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert invoices["marie"].number in body and invoices["thomas"].number not in body
    assert "Payer la facture" in body
    # Separated parents: each only their own.
    thomas = client_for(world, "thomas@example.org").get("/fr/factures/").content.decode()
    assert invoices["thomas"].number in thomas and invoices["sophie"].number not in thomas
    sophie = client_for(world, "sophie@example.org").get("/fr/factures/").content.decode()
    assert invoices["sophie"].number in sophie and invoices["thomas"].number not in sophie
    # The other parent of a couple (not a payer) sees the household's invoices.
    julien = client_for(world, "julien@example.org").get("/fr/factures/").content.decode()
    assert invoices["marie"].number in julien


def test_private_pages_are_no_store(billing_world, invoices):
    client = client_for(billing_world, "marie@example.org")
    pk = invoices["marie"].pk
    for url in ("/fr/factures/", f"/fr/factures/{pk}/", f"/fr/factures/{pk}/pdf/", "/fr/factures/paiements/",
                "/fr/factures/attestation/2026/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_another_households_invoice_is_404_on_read_and_write(billing_world, invoices):
    client = client_for(billing_world, "thomas@example.org")
    other = invoices["marie"].pk
    for url in (f"/fr/factures/{other}/", f"/fr/factures/{other}/pdf/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/fr/factures/{other}/payer/").status_code == 404
    assert not PayfipTransaction.objects.exists()
    # Sophie may not see Thomas's invoice either, in the same household.
    sophie = client_for(billing_world, "sophie@example.org")
    assert sophie.get(f"/fr/factures/{invoices['thomas'].pk}/").status_code == 404
    assert Client().get(f"/fr/factures/{other}/").status_code == 302  # anonymous: to the login page


def test_detail_and_pdf(billing_world, invoices):
    client = client_for(billing_world, "marie@example.org")
    invoice = invoices["marie"]
    body = client.get(f"/fr/factures/{invoice.pk}/").content.decode()
    assert invoice.number in body and "Léa" in body and "Hugo" in body and "4,56" in body
    pdf = client.get(f"/fr/factures/{invoice.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert f"facture-{invoice.number}.pdf" in pdf["Content-Disposition"]


def test_the_number_of_queries_does_not_grow_with_history(billing_world, fact, run_month, invoices,
                                                         django_assert_max_num_queries):
    world = billing_world
    client = client_for(world, "marie@example.org")

    def count(url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    invoice = invoices["marie"]
    count("/fr/factures/")  # warm-up (site settings, session)
    before = (count("/fr/factures/"), count(f"/fr/factures/{invoice.pk}/"), count("/fr/factures/paiements/"))
    # Months of history: more invoices, lines and payments.
    for month in (12,):
        run_month(world.office, 2026, month, [fact(world.lea, world.canteen, datetime.date(2026, month, d))
                                              for d in (1, 3, 4, 7, 8)], finalise=True)
    for year_month in ((2027, 1), (2027, 2)):
        run_month(world.office, *year_month, [fact(world.hugo, world.canteen, datetime.date(*year_month, d))
                                              for d in (4, 5, 8)], finalise=True)
    for other in Invoice.objects.filter(payer=world.marie):
        payments.record_desk_payment(other, amount="1.00", method="cash", user=None)
    after = (count("/fr/factures/"), count(f"/fr/factures/{invoice.pk}/"), count("/fr/factures/paiements/"))
    assert after == before
    with django_assert_max_num_queries(15):
        client.get("/fr/factures/")


def test_paying_needs_the_pay_right_on_every_child(billing_world, invoices):
    from accounts.models import GuardianChildRight

    world = billing_world
    GuardianChildRight.objects.filter(guardian=world.julien, child=world.hugo).update(can_pay=False)
    julien = world.users["julien@example.org"]
    invoice = invoices["marie"]
    assert "droit de payer" in payments.payment_refusal(julien, invoice)
    client = client_for(world, "julien@example.org")
    response = client.post(f"/fr/factures/{invoice.pk}/payer/", follow=True)
    assert "droit de payer" in response.content.decode()
    assert not PayfipTransaction.objects.exists()


def test_paying_passes_the_regulation_gate(billing_world, invoices, monkeypatch):
    monkeypatch.setattr("billing.payments.acceptance_refusal", lambda user: "Acceptez le règlement en vigueur.")
    marie = billing_world.users["marie@example.org"]
    with pytest.raises(payments.PaymentRefused) as error:
        payments.start_online_payment(marie, invoices["marie"])
    assert "règlement" in str(error.value)
    assert not PayfipTransaction.objects.exists()


def test_paper_households_pay_at_the_desk(billing_world, invoices):
    world = billing_world
    world.couple.paper_only = True
    world.couple.save()
    invoice = Invoice.objects.get(pk=invoices["marie"].pk)
    assert "papier" in payments.payment_refusal(world.users["marie@example.org"], invoice)


def test_posted_extra_fields_change_nothing(billing_world, invoices, settings):
    settings.PAYFIP = dict(settings.PAYFIP, URL="http://127.0.0.1:9/x", TIMEOUT=1)
    client = client_for(billing_world, "marie@example.org")
    invoice = invoices["marie"]
    client.post(f"/fr/factures/{invoice.pk}/payer/", {"amount": "0.01", "status": "paid", "invoice": "1"})
    tx = PayfipTransaction.objects.get()
    assert tx.amount_cents == 456 and tx.invoice_id == invoice.pk
    invoice.refresh_from_db()
    assert invoice.status == "issued"


def test_payfip_unavailable_shows_a_clear_message(billing_world, invoices, settings):
    settings.PAYFIP = dict(settings.PAYFIP, URL="http://127.0.0.1:9/x", TIMEOUT=1)
    client = client_for(billing_world, "marie@example.org")
    response = client.post(f"/fr/factures/{invoices['marie'].pk}/payer/", follow=True)
    body = response.content.decode()
    assert "ne répond pas pour le moment" in body and "reste payable" in body
    assert "Payer 4,56" in body  # still payable


def test_the_notification_is_csrf_exempt_but_the_pay_button_is_not(billing_world, invoices):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/payfip/notification/", {"idop": "inconnu"}).status_code == 200
    client.post("/fr/compte/connexion/", {"username": "marie@example.org", "password": billing_world.password})
    assert client.post(f"/fr/factures/{invoices['marie'].pk}/payer/").status_code == 403


def test_the_simulator_is_off_unless_configured(billing_world, settings):
    settings.PAYFIP = dict(settings.PAYFIP, SIMULATOR=False)
    client = Client()
    response = client.post("/payfip/simulateur/services/securite", data="<x/>", content_type="text/xml", follow=True)
    assert response.status_code == 404
    assert client.get("/payfip/simulateur/paiement/?idop=x", follow=True).status_code == 404


def test_payments_page_and_certificate(billing_world, invoices):
    world = billing_world
    payments.record_desk_payment(invoices["marie"], amount="2.00", method="cash", user=None)
    client = client_for(world, "marie@example.org")
    body = client.get("/fr/factures/paiements/").content.decode()
    assert invoices["marie"].number in body and "2,00" in body and "espèces" in body
    certificate = client.get("/fr/factures/attestation/2026/")
    assert certificate.content.startswith(b"%PDF")
    assert client.get("/fr/factures/attestation/2019/").status_code == 404
    thomas = client_for(world, "thomas@example.org")
    assert thomas.get("/fr/factures/paiements/").content.decode().count(invoices["marie"].number) == 0


def test_english_pages(billing_world, invoices):
    client = client_for(billing_world, "marie@example.org")
    body = client.get("/en/factures/").content.decode()
    assert "My invoices" in body and "Pay invoice" in body


# --- Desk payments ----------------------------------------------------------------------------


def test_partial_cash_and_cheque_payments(billing_world, invoices):
    invoice = invoices["marie"]
    cashier = billing_world.users["julien@example.org"]
    payments.record_desk_payment(invoice, amount="1.56", method="cash", user=cashier)
    invoice.refresh_from_db()
    assert invoice.status == "partially_paid" and invoice.balance == D("3.00")
    with pytest.raises(payments.PaymentRefused):
        payments.record_desk_payment(invoice, amount="3.00", method="cheque", user=cashier)  # no number, no bank
    with pytest.raises(payments.PaymentRefused):
        payments.record_desk_payment(invoice, amount="3.01", method="cash", user=cashier)  # above the balance
    payments.record_desk_payment(invoice, amount="3.00", method="cheque", user=cashier, cheque_number="1234567",
                                 bank="Banque Postale")
    invoice.refresh_from_db()
    assert invoice.status == "paid" and invoice.balance == 0
    with pytest.raises(payments.PaymentRefused):
        payments.record_desk_payment(invoice, amount="1", method="cash", user=cashier)
    event = AuditEvent.objects.filter(action=AuditEvent.Action.PAYMENT).first()
    assert event.acting_for_family and event.household_id == invoice.household_id


def test_cesu_never_for_the_canteen(billing_world, invoices):
    with pytest.raises(payments.PaymentRefused) as error:
        payments.record_desk_payment(invoices["marie"], amount="1", method="cesu", user=None)
    assert "CESU" in str(error.value)
    assert not Payment.objects.exists()


def test_cesu_at_the_leisure_centre_only_under_six(billing_world, fact, run_month, invoices):
    world = billing_world
    # Nathan (born 5 November 2021) was 4 on 4 November 2026: accepted.
    sophie_invoice = invoices["sophie"]
    leisure_amount = sophie_invoice.lines.get(activity=world.leisure).amount
    with pytest.raises(payments.PaymentRefused):
        payments.record_desk_payment(sophie_invoice, amount=leisure_amount + D("0.01"), method="cesu", user=None)
    payments.record_desk_payment(sophie_invoice, amount=leisure_amount, method="cesu", user=None, reference="CESU 1")
    # Chloé (9) at the leisure centre: refused.
    run = run_month(world.office, 2026, 12, [fact(world.chloe, world.leisure, datetime.date(2026, 12, 2))],
                    finalise=True)
    with pytest.raises(payments.PaymentRefused):
        payments.record_desk_payment(Invoice.objects.get(run=run), amount="1", method="cesu", user=None)


def test_holiday_cheques_and_the_daily_slip(billing_world, invoices):
    world = billing_world
    when = timezone.make_aware(datetime.datetime(2026, 12, 3, 10, 30))
    payments.record_desk_payment(invoices["marie"], amount="4.56", method="holiday_cheque", user=None,
                                 received_at=when, reference="ANCV 001-002")
    payments.record_desk_payment(invoices["thomas"], amount="1.00", method="cash", user=None, received_at=when)
    payments.record_desk_payment(invoices["sophie"], amount="0.50", method="cash", user=None,
                                 received_at=when + datetime.timedelta(days=1))
    slip = payments.daily_slip(world.office, datetime.date(2026, 12, 3))
    assert slip["count"] == 2 and slip["total"] == D("5.56")
    assert {m["method"]: m["total"] for m in slip["methods"]} == {"cash": D("1.00"), "holiday_cheque": D("4.56")}


# --- Cashier screens in the admin ---------------------------------------------------------------


@pytest.fixture
def cashier(billing_world):
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import CASHIERS, ensure_groups

    ensure_groups()
    user = User.objects.create_user(email="regie@example.org", password=billing_world.password, is_staff=True)
    user.groups.set([Group.objects.get(name=CASHIERS)])
    client = Client()
    login_staff(client, user)
    return client


def test_cashier_screens(billing_world, invoices, cashier, fact, monkeypatch):
    world = billing_world
    for url in ("/admin/facturation/factures/", "/admin/facturation/impayes/", "/admin/facturation/paiements/",
                "/admin/facturation/campagnes/", "/admin/facturation/tarifs/", "/admin/facturation/regies/",
                "/admin/caisse/guichet/", "/admin/caisse/bordereau/", "/admin/caisse/campagnes/nouvelle/",
                f"/admin/caisse/factures/{invoices['marie'].pk}/", f"/admin/caisse/factures/{invoices['marie'].pk}/avoir/",
                f"/admin/caisse/campagnes/{invoices['marie'].run_id}/"):
        assert cashier.get(url).status_code == 200, url
    export = cashier.get("/admin/facturation/factures/?export=csv")
    assert export.status_code == 200 and invoices["marie"].number in b"".join(export.streaming_content).decode()
    unpaid = cashier.get("/admin/facturation/impayes/?export=xlsx")
    assert unpaid.status_code == 200
    import io

    from openpyxl import load_workbook

    content = b"".join(unpaid.streaming_content) if unpaid.streaming else unpaid.content
    sheet = load_workbook(io.BytesIO(content)).active
    cells = {str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None}
    assert {invoices["marie"].number, invoices["thomas"].number, invoices["sophie"].number} <= cells
    tariff = world.canteen_tariff
    for url in ("/admin/facturation/tarifs/new/", f"/admin/facturation/tarifs/edit/{tariff.pk}/",
                "/admin/facturation/regies/new/", f"/admin/facturation/regies/edit/{world.office.pk}/"):
        response = cashier.get(url)
        assert response.status_code == 200, url
    assert "T6" in cashier.get(f"/admin/facturation/tarifs/edit/{tariff.pk}/").content.decode()  # the brackets inline
    # Invoices are read-only in the listing (no add or edit view).
    response = cashier.get("/admin/facturation/factures/new/")
    assert (response.status_code, response["Location"]) == (302, "/admin/")

    # A desk payment through the form.
    response = cashier.post("/admin/caisse/guichet/", {"number": invoices["marie"].number, "method": "cash",
                                                        "amount": "1.00"})
    assert response.status_code == 302
    assert Payment.objects.get().recorded_by.email == "regie@example.org"
    # A CESU for the canteen is refused with the reason, nothing recorded.
    response = cashier.post("/admin/caisse/guichet/", {"number": invoices["marie"].number, "method": "cesu",
                                                        "amount": "1.00"})
    assert response.status_code == 200 and "CESU" in response.content.decode()
    assert Payment.objects.count() == 1
    # A credit note through the form.
    line = invoices["thomas"].lines.first()
    response = cashier.post(f"/admin/caisse/factures/{invoices['thomas'].pk}/avoir/",
                            {"reason": "Absence justifiée", "lines": [line.pk]})
    assert response.status_code == 302
    assert Invoice.objects.get(pk=invoices["thomas"].pk).status == "cancelled"
    # The slip, as CSV.
    today = timezone.localdate().isoformat()
    slip = cashier.get(f"/admin/caisse/bordereau/?office={world.office.pk}&day={today}&format=csv")
    assert slip.status_code == 200 and "1.00" in slip.content.decode()

    # A run launched from the admin, reviewed, then issued.
    import services.billable as services_billable

    monkeypatch.setattr(services_billable, "month_facts", lambda y, m, activity_ids=None: [
        fact(world.lea, world.canteen, datetime.date(2026, 12, 1))])
    response = cashier.post("/admin/caisse/campagnes/nouvelle/", {"office": world.office.pk, "year": 2026,
                                                                  "month": 12})
    assert response.status_code == 302
    run_url = response["Location"]
    page = cashier.get(run_url).content.decode()
    assert "brouillons à vérifier" in page
    assert '<progress max="100" value="100"' in page and "1 / 1 foyers (100 %)" in page
    response = cashier.post(run_url + "emettre/")
    assert response.status_code == 302
    assert Invoice.objects.filter(year=2026, month=12, status="issued").count() == 1


def test_agents_and_parents_do_not_reach_the_cashier_screens(billing_world, invoices):
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import AGENTS, ensure_groups

    ensure_groups()
    agent = User.objects.create_user(email="agent2@example.org", password="x" * 20, is_staff=True)
    agent.groups.set([Group.objects.get(name=AGENTS)])
    client = Client()
    login_staff(client, agent)
    assert client.get("/admin/").status_code == 200  # in the admin, second factor given
    # Wagtail turns the views' PermissionDenied into a redirect to the dashboard with a message.
    for url in ("/admin/caisse/guichet/", "/admin/caisse/bordereau/", "/admin/caisse/campagnes/nouvelle/",
                f"/admin/caisse/factures/{invoices['marie'].pk}/avoir/", "/admin/facturation/factures/",
                "/admin/facturation/paiements/"):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/"), url
    response = client.post("/admin/caisse/guichet/", {"number": invoices["marie"].number, "method": "cash",
                                                       "amount": "1"})
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    response = client.post(f"/admin/caisse/factures/{invoices['marie'].pk}/avoir/", {"reason": "x", "amount": "1"})
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert not Payment.objects.exists() and not invoices["marie"].credit_notes.exists()
    parent = client_for(billing_world, "marie@example.org")
    response = parent.get("/admin/caisse/guichet/")
    assert response.status_code == 302 and response["Location"].startswith("/fr/compte/connexion/")


# --- Reminders, hooks ---------------------------------------------------------------------------


def test_reminders_first_then_second_pointing_to_the_ccas(billing_world, invoices, django_capture_on_commit_callbacks):
    from billing.reminders import send_due_reminders

    invoice = invoices["marie"]
    due = invoice.due_date
    mail.outbox.clear()
    at = lambda days: timezone.make_aware(datetime.datetime.combine(due + datetime.timedelta(days=days),  # noqa: E731
                                                                    datetime.time(9)))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(at(5))["first"] == 0
        assert send_due_reminders(at(10))["first"] == 3
        assert send_due_reminders(at(11)) == {"first": 0, "second": 0}  # sent once
        assert send_due_reminders(at(30))["second"] == 3
    texts = {m.to[0]: m for m in mail.outbox}
    second = [m for m in mail.outbox if "Seconde relance" in m.subject]
    assert len(second) == 3 and "CCAS" in second[0].body
    assert "marie@example.org" in texts
    # A paid invoice is never reminded.
    assert Invoice.objects.filter(second_reminder_at__isnull=False).count() == 3


def test_paid_or_cancelled_invoices_are_never_reminded(billing_world, invoices,
                                                      django_capture_on_commit_callbacks):
    from billing.reminders import send_due_reminders

    payments.record_desk_payment(invoices["marie"], amount=invoices["marie"].balance, method="cash", user=None)
    invoicing.issue_credit_note(invoices["thomas"], reason="Erreur", amount=invoices["thomas"].total)
    mail.outbox.clear()
    moment = timezone.make_aware(datetime.datetime.combine(invoices["sophie"].due_date + datetime.timedelta(days=40),
                                                           datetime.time(9)))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(moment) == {"first": 1, "second": 0}
    assert [m.to for m in mail.outbox] == [["sophie@example.org"]]
    assert list(Invoice.objects.filter(first_reminder_at__isnull=False).values_list("pk", flat=True)) == [
        invoices["sophie"].pk]


def test_unpaid_invoices_never_change_what_a_booking_costs_or_allows(billing_world, invoices):
    """The software never excludes a child for unpaid bills: after both reminders, the
    price the booking screens ask for (the only billing call they make) is the same."""
    from billing.pricing import price_for
    from billing.reminders import send_due_reminders

    world = billing_world
    day = datetime.date(2027, 3, 1)
    before = price_for(world.couple, world.lea, world.canteen, day)
    send_due_reminders(timezone.now() + datetime.timedelta(days=100))
    send_due_reminders(timezone.now() + datetime.timedelta(days=120))
    assert Invoice.objects.filter(household=world.couple, second_reminder_at__isnull=False).exists()
    assert price_for(world.couple, world.lea, world.canteen, day) == before == D("2.28")


def test_periodic_jobs_space_link_and_export(billing_world, invoices):
    from portal.hooks import HOUSEHOLD_EXPORT, PERIODIC_JOBS, SPACE_LINKS, collect

    jobs = [job for jobs in collect(PERIODIC_JOBS) for job in jobs]
    names = {job["name"]: job for job in jobs}
    assert names["billing.payfip_poll"]["every"] == datetime.timedelta(minutes=5)
    assert names["billing.unpaid_reminders"]["run"](timezone.now()) == {"first": 0, "second": 0}
    assert names["billing.payfip_poll"]["run"](timezone.now()) == {}
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = billing_world.users["marie@example.org"]
    links = [link for links in collect(SPACE_LINKS, request) for link in links]
    assert any(link["url"] == "/fr/factures/" for link in links)
    sections = dict(collect(HOUSEHOLD_EXPORT, billing_world.couple, billing_world.users["marie@example.org"]))
    rows = sections["Factures et paiements"]
    assert rows[0]["facture"] == invoices["marie"].number


def test_status_constants_cover_the_contract():
    from billing.tariffs import CHARGED, NOT_INVOICED, SHOWN_FREE, SURCHARGED

    assert CHARGED | NOT_INVOICED | SHOWN_FREE | SURCHARGED == set(billable.STATUSES)


def test_invoicing_errors_are_french(billing_world):
    with pytest.raises(invoicing.InvoicingError) as error:
        invoicing.start_run(billing_world.office, 2026, 13)
    assert "mois" in str(error.value)
