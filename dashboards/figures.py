"""The figures of the staff dashboards: plain functions that take the period (or the day)
and return a ``dashboards.tables.Figure`` of aggregated rows.

Every function runs a fixed number of aggregate queries, whatever the number of
households, children or bookings (a test counts them). They return the true numbers;
``dashboards.privacy.protect`` hides the small groups before anything is shown.

What is counted:
- attendance of a day: children booked, marked present (booked or not), marked absent;
- occupancy: per activity booked day by day and per week, the places offered on the days
  the activity runs (``services.calendars``; a day's own capacity when staff set one) and
  the places booked; the rate is booked / offered;
- waiting lists: enrolment requests waiting (periods overlapping the period) and days
  booked on a waiting list in the period, per activity;
- pending requests: what waits for an agent now (enrolments, documents, absence
  justifications, change and GDPR requests, hall requests, assistance requests): work
  queues, shown exact (``Figure.operational``), never hidden as a small group;
- unpaid amounts: open invoices (to pay, partly paid) by reminder stage, today;
- invoiced amounts: lines of issued invoices less the credit-note lines that cancel them,
  per month of the invoice and municipal service;
- payments: amounts received online (PayFiP) and at the desk, per month received;
- use of the portal: households by whether a guardian logged in or booked online in the
  period, has a login without using it, has no login, or chose paper (Article 5.4).
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Cast, TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .periods import month_label
from .tables import COUNT, MONEY, PERCENT, PLACES, TOTAL, Cell, Figure, Row, Series

ZERO = Decimal("0.00")


def _counted(value):
    return Cell(value, value)


def _activity_order(queryset):
    return queryset.select_related("service").order_by("service__order", "service__name", "name", "pk")


# --- Services (agents) -----------------------------------------------------------------


def attendance_day(day):
    """Children booked, present and absent on ``day``, per activity (three queries)."""
    from services.models import Activity, Attendance, Booking

    booked = dict(
        Booking.objects.filter(day=day, status=Booking.Status.BOOKED)
        .values("activity_id").annotate(n=Count("id")).values_list("activity_id", "n")
    )
    marks = {
        row["activity_id"]: row
        for row in Attendance.objects.filter(day=day).values("activity_id").annotate(
            present=Count("id", filter=Q(status=Attendance.Status.PRESENT)),
            absent=Count("id", filter=Q(status=Attendance.Status.ABSENT)),
        )
    }
    rows = []
    for activity in _activity_order(Activity.objects.filter(pk__in=set(booked) | set(marks))):
        mark = marks.get(activity.pk, {})
        rows.append(Row(f"activity-{activity.pk}", activity.name, {
            "booked": _counted(booked.get(activity.pk, 0)),
            "present": _counted(mark.get("present", 0)),
            "absent": _counted(mark.get("absent", 0)),
        }))
    return Figure(
        key="pointage-du-jour",
        title=_("Pointage du %(day)s par activité") % {"day": date_format(day, "l j F Y")},
        description=_("Nombre d'enfants réservés, pointés présents (avec ou sans réservation) et pointés "
                      "absents, par activité."),
        row_heading=_("Activité"),
        series=[Series("booked", _("Réservés")), Series("present", _("Présents")),
                Series("absent", _("Absents"))],
        rows=rows,
        linked_rows=True,
    )


def occupancy(period):
    """Places offered and booked per activity and week (four queries)."""
    from services.calendars import Calendar
    from services.models import Activity, Booking, PlaceCounter

    activities = list(_activity_order(Activity.objects.filter(
        shape__in=[Activity.Shape.DAILY, Activity.Shape.HALF_DAY, Activity.Shape.SESSION])))
    calendar = Calendar.load(period.start, period.end)
    own_capacity = {
        (activity_id, day): capacity
        for activity_id, day, capacity in PlaceCounter.objects.filter(
            scope=PlaceCounter.Scope.BOOKING, custom_capacity=True, day__gte=period.start, day__lte=period.end,
        ).values_list("activity_id", "day", "capacity")
    }
    booked = {}
    for row in (Booking.objects.filter(status=Booking.Status.BOOKED, day__gte=period.start, day__lte=period.end)
                .annotate(week=TruncWeek("day")).values("activity_id", "week")
                .annotate(n=Count("id"), children=Count("child_id", distinct=True))):
        week = row["week"].date() if isinstance(row["week"], dt.datetime) else row["week"]
        booked[(row["activity_id"], week)] = (row["n"], row["children"])
    rows = []
    for activity in activities:
        for monday in period.weeks():
            first, last = max(monday, period.start), min(monday + dt.timedelta(days=6), period.end)
            days = calendar.occurrence_dates(activity, first, last)
            taken, children = booked.get((activity.pk, monday), (0, 0))
            if not days and not taken:
                continue
            capacities = [own_capacity.get((activity.pk, day), activity.capacity) for day in days]
            offered = None if any(capacity is None for capacity in capacities) else sum(capacities)
            label = _("%(activity)s, semaine du %(monday)s") % {
                "activity": activity.name, "monday": date_format(monday, "j F Y")}
            rows.append(Row(f"activity-{activity.pk}-{monday:%Y-%m-%d}", label, {
                "offered": Cell(offered, None),
                "booked": Cell(taken, children),
            }))
    return Figure(
        key="occupation-par-semaine",
        title=_("Occupation par semaine et par activité"),
        description=_("Places offertes les jours où l'activité fonctionne, places réservées et taux "
                      "d'occupation, par semaine et par activité réservée à la journée ou à la séance. "
                      "Un groupe est compté en enfants distincts."),
        row_heading=_("Activité et semaine"),
        series=[
            Series("offered", _("Places offertes"), PLACES, total=False, chart=False),
            Series("booked", _("Places réservées"), COUNT, total=False, chart=False),
            Series("rate", _("Taux d'occupation"), PERCENT, total=False, ratio=("booked", ["offered"])),
        ],
        rows=rows,
        notes=[_("« — » : activité sans limite de places.")],
    )


def waiting_lists(period):
    """Enrolment requests and booked days on a waiting list, per activity (four queries)."""
    from services.models import Activity, Booking, Enrolment

    enrolments = Enrolment.objects.filter(status=Enrolment.Status.WAITING, start_date__lte=period.end,
                                          end_date__gte=period.start)
    bookings = Booking.objects.filter(status=Booking.Status.WAITING, day__gte=period.start, day__lte=period.end)
    by_enrolment = {row["activity_id"]: row for row in enrolments.values("activity_id").annotate(
        n=Count("id"), children=Count("child_id", distinct=True))}
    by_booking = {row["activity_id"]: row for row in bookings.values("activity_id").annotate(
        n=Count("id"), children=Count("child_id", distinct=True))}
    totals = {
        "enrolments": enrolments.aggregate(children=Count("child_id", distinct=True))["children"],
        "bookings": bookings.aggregate(children=Count("child_id", distinct=True))["children"],
    }
    rows = []
    for activity in _activity_order(Activity.objects.filter(pk__in=set(by_enrolment) | set(by_booking))):
        enrolment = by_enrolment.get(activity.pk, {"n": 0, "children": 0})
        booking = by_booking.get(activity.pk, {"n": 0, "children": 0})
        rows.append(Row(f"activity-{activity.pk}", activity.name, {
            "enrolments": Cell(enrolment["n"], enrolment["children"]),
            "bookings": Cell(booking["n"], booking["children"]),
        }))
    return Figure(
        key="listes-d-attente",
        title=_("Listes d'attente par activité"),
        description=_("Demandes d'inscription en liste d'attente sur la période, et jours réservés en liste "
                      "d'attente sur la période, par activité."),
        row_heading=_("Activité"),
        series=[Series("enrolments", _("Inscriptions en attente d'une place")),
                Series("bookings", _("Jours en liste d'attente"))],
        rows=rows,
        total_populations=totals,
    )


def pending_requests():
    """What waits for an agent now (seven queries)."""
    from accounts.models import ChangeRequest, GdprRequest
    from documents.models import SupportingDocument
    from halls.models import HallRequest
    from home.models import AssistanceRequest
    from services.models import AbsenceJustification, Enrolment

    counts = [
        ("enrolments", _("Inscriptions à valider"), Enrolment.objects.filter(status=Enrolment.Status.PENDING)),
        ("documents", _("Pièces justificatives à vérifier"),
         SupportingDocument.objects.filter(status=SupportingDocument.Status.PENDING)),
        ("absences", _("Justificatifs d'absence à décider"),
         AbsenceJustification.objects.filter(status=AbsenceJustification.Status.PENDING)),
        ("changes", _("Demandes de modification de la fiche famille"),
         ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING)),
        ("gdpr", _("Demandes RGPD ouvertes"), GdprRequest.objects.filter(status=GdprRequest.Status.OPEN)),
        ("halls", _("Demandes de location de salle à décider"),
         HallRequest.objects.filter(status=HallRequest.Status.PENDING)),
        ("assistance", _("Demandes d'assistance à traiter"), AssistanceRequest.objects.filter(
            status__in=[AssistanceRequest.Status.NEW, AssistanceRequest.Status.IN_PROGRESS])),
    ]
    rows = [Row(key, label, {"count": _counted(queryset.count())}) for key, label, queryset in counts]
    return Figure(
        operational=True,  # the agents' work queues: exact counts (see dashboards.privacy)
        key="demandes-en-attente",
        title=_("Demandes en attente"),
        description=_("Nombre de demandes qui attendent une décision ou une réponse des agents, à ce jour."),
        row_heading=_("Demande"),
        series=[Series("count", _("En attente"), total=False)],
        rows=rows,
    )


# --- Billing (cashiers) ----------------------------------------------------------------


UNPAID_STAGES = (
    ("not_due", gettext_lazy("Pas encore échues")),
    ("overdue", gettext_lazy("Échues, sans relance")),
    ("first", gettext_lazy("Après la première relance")),
    ("second", gettext_lazy("Après la seconde relance (CCAS)")),
)


def unpaid(today=None):
    """Open invoices by reminder stage, today (two queries)."""
    from billing.models import Invoice

    today = today or timezone.localdate()
    open_invoices = Invoice.objects.filter(status__in=Invoice.OPEN_STATUSES)
    stage = Case(
        When(second_reminder_at__isnull=False, then=Value("second")),
        When(first_reminder_at__isnull=False, then=Value("first")),
        When(due_date__lt=today, then=Value("overdue")),
        default=Value("not_due"),
    )
    found = {
        row["stage"]: row
        for row in open_invoices.annotate(stage=stage).values("stage").annotate(
            amount=Sum(F("total") - F("amount_credited") - F("amount_paid")),
            invoices=Count("id"), households=Count("household_id", distinct=True))
    }
    households = open_invoices.aggregate(n=Count("household_id", distinct=True))["n"]
    rows = []
    for key, label in UNPAID_STAGES:
        row = found.get(key, {"amount": ZERO, "invoices": 0, "households": 0})
        rows.append(Row(key, str(label), {
            "amount": Cell(row["amount"] or ZERO, row["households"]),
            "invoices": Cell(row["invoices"], row["households"]),
        }))
    return Figure(
        key="impayes",
        title=_("Reste à payer au %(day)s") % {"day": date_format(today, "j F Y")},
        description=_("Montant restant dû et nombre de factures à payer ou partiellement payées, par étape de "
                      "relance. Un groupe est compté en foyers distincts."),
        row_heading=_("Étape"),
        series=[Series("amount", _("Reste à payer"), MONEY), Series("invoices", _("Factures"), chart=False)],
        rows=rows,
        total_populations={"amount": households, "invoices": households},
        linked_rows=True,
    )


def _year_month(prefix=""):
    """year * 100 + month, computed as an integer (a small integer would overflow)."""
    return Cast(f"{prefix}year", IntegerField()) * 100 + Cast(f"{prefix}month", IntegerField())


def revenue(period):
    """Invoiced amounts, net of credit notes, per month and municipal service (four queries)."""
    from billing.models import CreditNoteLine, Invoice, InvoiceLine
    from services.models import Service

    months = period.months()
    low, high = months[0][0] * 100 + months[0][1], months[-1][0] * 100 + months[-1][1]
    final = [Invoice.Status.ISSUED, Invoice.Status.PARTIALLY_PAID, Invoice.Status.PAID, Invoice.Status.CANCELLED]
    lines = InvoiceLine.objects.filter(invoice__status__in=final).annotate(
        ym=_year_month("invoice__")).filter(ym__gte=low, ym__lte=high)
    amounts = {}
    for row in lines.values("invoice__year", "invoice__month", "activity__service_id").annotate(
            amount=Sum("amount"), households=Count("invoice__household_id", distinct=True)):
        amounts[(row["invoice__year"], row["invoice__month"], row["activity__service_id"])] = [
            row["amount"] or ZERO, row["households"]]
    credits = CreditNoteLine.objects.filter(invoice_line__isnull=False).annotate(
        ym=_year_month("invoice_line__invoice__")).filter(ym__gte=low, ym__lte=high)
    for row in credits.values("invoice_line__invoice__year", "invoice_line__invoice__month",
                              "invoice_line__activity__service_id").annotate(amount=Sum("amount")):
        key = (row["invoice_line__invoice__year"], row["invoice_line__invoice__month"],
               row["invoice_line__activity__service_id"])
        amounts.setdefault(key, [ZERO, 0])[0] -= row["amount"] or ZERO
    service_households = dict(lines.values("activity__service_id").annotate(
        n=Count("invoice__household_id", distinct=True)).values_list("activity__service_id", "n"))
    services = list(Service.objects.filter(pk__in={key[2] for key in amounts}).order_by("order", "name"))
    series = [Series(f"service-{service.pk}", service.name, MONEY) for service in services]
    rows = []
    for year, month in months if services else ():  # nothing invoiced: no data rather than empty months
        cells = {}
        for service in services:
            amount, households = amounts.get((year, month, service.pk), [ZERO, 0])
            cells[f"service-{service.pk}"] = Cell(amount, households)
        rows.append(Row(f"{year:04d}-{month:02d}", month_label(year, month), cells))
    return Figure(
        key="montants-factures",
        title=_("Montants facturés par mois et par service"),
        description=_("Montants des factures émises, moins les avoirs qui les corrigent, par mois facturé et "
                      "par service municipal. Un groupe est compté en foyers distincts."),
        row_heading=_("Mois facturé"),
        series=series,
        rows=rows,
        total_populations={f"service-{pk}": n for pk, n in service_households.items()},
        notes=[_("Les avoirs qui ne portent sur aucune ligne de facture ne sont pas répartis par service.")],
    )


def payments(period):
    """Amounts received online and at the desk, per month (two queries)."""
    from billing.models import Payment

    start, end = period.moments()
    received = Payment.objects.filter(received_at__gte=start, received_at__lt=end).annotate(
        channel=Case(When(method__in=Payment.ONLINE_METHODS, then=Value("online")), default=Value("desk")))
    found = {}
    for row in received.annotate(month=TruncMonth("received_at")).values("month", "channel").annotate(
            amount=Sum("amount"), n=Count("id"), households=Count("household_id", distinct=True)):
        month = timezone.localtime(row["month"]) if timezone.is_aware(row["month"]) else row["month"]
        found[(month.year, month.month, row["channel"])] = row
    households = dict(received.values("channel").annotate(n=Count("household_id", distinct=True))
                      .values_list("channel", "n"))
    rows = []
    for year, month in period.months():
        cells = {}
        for channel in ("online", "desk"):
            row = found.get((year, month, channel), {"amount": ZERO, "n": 0, "households": 0})
            cells[channel] = Cell(row["amount"] or ZERO, row["households"])
            cells[f"{channel}_count"] = Cell(row["n"], row["households"])
        rows.append(Row(f"{year:04d}-{month:02d}", month_label(year, month), cells))
    return Figure(
        key="paiements-en-ligne-et-guichet",
        title=_("Paiements en ligne et au guichet"),
        description=_("Montants et nombre de paiements reçus en ligne (PayFiP, carte ou prélèvement) et au "
                      "guichet (espèces, chèque, CESU, chèques-vacances), par mois de réception. Un groupe "
                      "est compté en foyers distincts."),
        row_heading=_("Mois"),
        series=[
            Series("online", _("En ligne"), MONEY),
            Series("desk", _("Au guichet"), MONEY),
            Series("share", _("Part payée en ligne"), PERCENT, chart=False, ratio=("online", ["online", "desk"])),
            Series("online_count", _("Paiements en ligne"), chart=False),
            Series("desk_count", _("Paiements au guichet"), chart=False),
        ],
        rows=rows,
        total_populations={"online": households.get("online", 0), "desk": households.get("desk", 0),
                           "online_count": households.get("online", 0), "desk_count": households.get("desk", 0)},
    )


# --- The portal's use (management) -------------------------------------------------------


PORTAL_USE_ROWS = (
    ("used", gettext_lazy("Un responsable s'est connecté ou a réservé en ligne")),
    ("account_unused", gettext_lazy("Un compte en ligne, pas utilisé sur la période")),
    ("no_account", gettext_lazy("Aucun compte en ligne")),
    ("paper", gettext_lazy("Démarches papier (opposition, article 5.4)")),
)


def portal_use(period):
    """Households by their use of the portal over the period (one query)."""
    from accounts.models import AuditEvent, Guardian, Household
    from services.models import Booking

    start, end = period.moments()
    has_account = Exists(Guardian.objects.filter(household=OuterRef("pk"), user__isnull=False,
                                                 user__is_active=True))
    logged_in = Exists(AuditEvent.objects.filter(
        action=AuditEvent.Action.LOGIN, occurred_at__gte=start, occurred_at__lt=end,
        actor__guardianships__household=OuterRef("pk")))
    booked = Exists(Booking.objects.filter(household=OuterRef("pk"), booked_by__isnull=False,
                                           booked_at__gte=start, booked_at__lt=end))
    online = Q(paper_only=False)
    used = Q(logged_in) | Q(booked)
    counts = Household.objects.filter(created_at__lt=end).aggregate(
        used=Count("pk", filter=online & used),
        account_unused=Count("pk", filter=online & ~used & Q(has_account)),
        no_account=Count("pk", filter=online & ~used & ~Q(has_account)),
        paper=Count("pk", filter=Q(paper_only=True)),
    )
    rows = [Row(key, str(label), {"households": _counted(counts[key])}) for key, label in PORTAL_USE_ROWS]
    return Figure(
        key="usage-du-portail",
        title=_("Usage du portail par les foyers (%(period)s)") % {"period": period.label},
        description=_("Foyers selon qu'un de leurs responsables s'est connecté au portail ou a réservé en ligne "
                      "sur la période, a un compte sans l'avoir utilisé, n'a pas de compte, ou que le foyer a "
                      "choisi les démarches papier ; part de chaque groupe dans l'ensemble des foyers."),
        row_heading=_("Foyers"),
        series=[Series("households", _("Foyers")),
                Series("share", _("Part des foyers"), PERCENT, total=False, chart=False,
                       ratio=("households", TOTAL))],
        rows=rows,
    )
