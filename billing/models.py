"""Invoices, payments, tariffs and the PayFiP adapter's records (issue 6).

Everything a cashier edits is data: collection offices (régies) and the activities they
invoice, tariffs per activity with their validity dates, brackets and surcharges. The
rules that read them live beside these models: ``billing.tariffs`` (prices),
``billing.quotients`` (which family quotient applies to a month), ``billing.invoicing``
(the monthly run, numbering, credit notes), ``billing.payments`` (desk and PayFiP
payments), ``billing.payfip`` (the SOAP adapter) and ``billing.simulator``.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

ZERO = Decimal("0.00")
MONEY = {"max_digits": 10, "decimal_places": 2}
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an append-only record."""


# --- Collection offices and tariffs ---------------------------------------------------


class CollectionOffice(models.Model):
    """A régie: where payments are taken, and the numbering of its invoices."""

    code = models.CharField(
        _("code"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^[0-9A-Z]{2,4}$", _("De 2 à 4 chiffres ou lettres majuscules, par exemple 01."))],
        help_text=_("Utilisé dans les numéros de facture : F01-26-11-0000123 pour la régie 01."),
    )
    name = models.CharField(_("nom"), max_length=150)
    activities = models.ManyToManyField(
        "services.Activity", verbose_name=_("activités facturées"), blank=True, related_name="collection_offices"
    )
    address = models.TextField(_("adresse du guichet"), blank=True)
    opening_hours = models.CharField(_("horaires du guichet"), max_length=200, blank=True)
    payment_term_days = models.PositiveSmallIntegerField(
        _("délai de paiement (jours)"), default=30, help_text=_("L'échéance est fixée à ce nombre de jours après l'émission.")
    )
    social_services_contact = models.TextField(
        _("contact des services sociaux (CCAS)"),
        blank=True,
        help_text=_("Indiqué dans la seconde relance des factures impayées."),
    )
    first_reminder_days = models.PositiveSmallIntegerField(
        _("première relance (jours après l'échéance)"), default=10
    )
    second_reminder_days = models.PositiveSmallIntegerField(
        _("seconde relance (jours après l'échéance)"), default=30,
        help_text=_("La seconde relance oriente vers les services sociaux (CCAS). Aucun enfant n'est jamais exclu "
                    "d'un service pour une facture impayée."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    wagtail_reference_index_ignore = True  # no page or snippet points at billing records

    class Meta:
        verbose_name = _("régie")
        verbose_name_plural = _("régies")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.name}"


class Tariff(ClusterableModel):
    """The price grid of one activity over a period of validity.

    ``method`` chooses how the base unit price is found: a grid of family-quotient
    brackets (each bracket may depend on the child's rank), or an effort rate (a
    percentage of the quotient between a minimum and a maximum). Then, in this order:
    a non-resident household pays ``non_resident_price`` when it is set; a child with a
    medical plan (PAI) pays ``medical_plan_price`` when it is set; a presence without
    booking costs ``unbooked_price`` (or the base price plus
    ``unbooked_surcharge_percent``); a late booking costs the base price plus
    ``late_surcharge_percent``. Without a valid proof of income, the highest bracket
    (or the effort-rate maximum) applies.
    """

    class Method(models.TextChoices):
        BRACKETS = "brackets", _("tranches de quotient familial")
        EFFORT_RATE = "effort_rate", _("taux d'effort")

    activity = models.ForeignKey(
        "services.Activity", verbose_name=_("activité"), on_delete=models.PROTECT, related_name="tariffs"
    )
    label = models.CharField(_("libellé"), max_length=150, help_text=_("Par exemple « Repas 2026-2027 »."))
    unit = models.CharField(_("unité facturée"), max_length=40, default="repas", help_text=_("repas, journée, séance…"))
    valid_from = models.DateField(_("valable à partir du"))
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True, help_text=_("Vide : sans fin."))
    method = models.CharField(_("mode de calcul"), max_length=20, choices=Method.choices, default=Method.BRACKETS)
    effort_rate_percent = models.DecimalField(
        _("taux d'effort (% du quotient)"), max_digits=6, decimal_places=4, null=True, blank=True,
        validators=NOT_NEGATIVE, help_text=_("Par exemple 0,36 : le repas coûte 0,36 % du quotient familial."),
    )
    effort_rate_minimum = models.DecimalField(
        _("prix minimum"), null=True, blank=True, validators=NOT_NEGATIVE, **MONEY
    )
    effort_rate_maximum = models.DecimalField(
        _("prix maximum"), null=True, blank=True, validators=NOT_NEGATIVE, **MONEY,
        help_text=_("Aussi le prix appliqué sans justificatif de revenus."),
    )
    non_resident_price = models.DecimalField(
        _("prix pour les non-résidents"), null=True, blank=True, validators=NOT_NEGATIVE, **MONEY,
        help_text=_("Prix unique des foyers qui n'habitent pas la commune ; vide : la grille s'applique à tous."),
    )
    medical_plan_price = models.DecimalField(
        _("prix avec PAI (panier repas)"), null=True, blank=True, validators=NOT_NEGATIVE, **MONEY,
        help_text=_("Prix pour un enfant qui a un projet d'accueil individualisé ; vide : le prix ordinaire."),
    )
    unbooked_price = models.DecimalField(
        _("prix d'une présence sans réservation"), null=True, blank=True, validators=NOT_NEGATIVE, **MONEY,
        help_text=_("Par exemple 5,05 € ; vide : le prix de base majoré du pourcentage ci-dessous."),
    )
    unbooked_surcharge_percent = models.DecimalField(
        _("majoration d'une présence sans réservation (%)"), max_digits=6, decimal_places=2, default=ZERO,
        validators=NOT_NEGATIVE,
    )
    late_surcharge_percent = models.DecimalField(
        _("majoration d'une réservation tardive (%)"), max_digits=6, decimal_places=2, default=ZERO,
        validators=NOT_NEGATIVE, help_text=_("Par exemple 50 pour +50 %."),
    )
    accepts_cesu = models.BooleanField(
        _("CESU acceptés"), default=False, help_text=_("Jamais pour la restauration scolaire."),
    )
    cesu_max_age = models.PositiveSmallIntegerField(
        _("CESU : enfants de moins de (ans)"), null=True, blank=True,
        help_text=_("Par exemple 6 pour le centre de loisirs ; vide : sans limite d'âge."),
    )
    childcare_costs = models.BooleanField(
        _("frais de garde"), default=False,
        help_text=_("Comptés dans l'attestation de frais de garde (crédit d'impôt) pour les enfants de moins de "
                    "6 ans au 1er janvier : accueil périscolaire, centre de loisirs. Jamais les repas."),
    )

    panels = [
        FieldPanel("activity"),
        FieldRowPanel([FieldPanel("label"), FieldPanel("unit")]),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")]),
        FieldPanel("method"),
        MultiFieldPanel(
            [FieldPanel("effort_rate_percent"), FieldPanel("effort_rate_minimum"), FieldPanel("effort_rate_maximum")],
            heading=_("Taux d'effort"),
        ),
        InlinePanel("brackets", heading=_("Tranches"), label=_("tranche")),
        MultiFieldPanel(
            [
                FieldPanel("non_resident_price"),
                FieldPanel("medical_plan_price"),
                FieldPanel("unbooked_price"),
                FieldPanel("unbooked_surcharge_percent"),
                FieldPanel("late_surcharge_percent"),
            ],
            heading=_("Cas particuliers et majorations"),
        ),
        FieldRowPanel([FieldPanel("accepts_cesu"), FieldPanel("cesu_max_age")], heading=_("CESU")),
        FieldPanel("childcare_costs"),
    ]

    wagtail_reference_index_ignore = True  # no page or snippet points at billing records

    class Meta:
        verbose_name = _("tarif")
        verbose_name_plural = _("tarifs")
        ordering = ["activity__name", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="billing_tariff_validity_order",
            ),
        ]

    def __str__(self):
        return f"{self.activity} — {self.label}"

    def clean(self):
        super().clean()
        errors = {}
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("La fin de validité doit suivre le début.")
        if self.method == self.Method.EFFORT_RATE:
            for name in ("effort_rate_percent", "effort_rate_minimum", "effort_rate_maximum"):
                if getattr(self, name) is None:
                    errors[name] = _("Obligatoire pour un tarif au taux d'effort.")
            if (
                self.effort_rate_minimum is not None
                and self.effort_rate_maximum is not None
                and self.effort_rate_maximum < self.effort_rate_minimum
            ):
                errors["effort_rate_maximum"] = _("Le maximum doit être supérieur ou égal au minimum.")
        if self.cesu_max_age is not None and not self.accepts_cesu:
            errors["cesu_max_age"] = _("Une limite d'âge CESU suppose que les CESU soient acceptés.")
        if self.childcare_costs and self.activity_id and self.activity.serves_meal:
            errors["childcare_costs"] = _("Les repas ne sont jamais des frais de garde.")
        if self.activity_id and self.valid_from:
            overlapping = Tariff.objects.filter(activity_id=self.activity_id).exclude(pk=self.pk)
            if self.valid_until:
                overlapping = overlapping.filter(valid_from__lte=self.valid_until)
            overlapping = overlapping.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=self.valid_from))
            if overlapping.exists():
                errors["valid_from"] = _("Un autre tarif de cette activité est déjà valable sur une partie de cette période.")
        if errors:
            raise ValidationError(errors)

    def is_valid_on(self, day):
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class TariffBracket(models.Model):
    """One row of a bracket tariff: a family-quotient range (and optionally a child rank)
    and its unit price. The rank is the child's place among the household's children,
    oldest first (see ``billing.tariffs.child_rank``); ``min_rank`` 3 covers the third
    child and the next ones."""

    tariff = ParentalKey(Tariff, on_delete=models.CASCADE, related_name="brackets", verbose_name=_("tarif"))
    label = models.CharField(_("nom de la tranche"), max_length=40, help_text=_("Par exemple T1."))
    qf_min = models.DecimalField(_("quotient minimum"), max_digits=8, decimal_places=2, default=ZERO,
                                 validators=NOT_NEGATIVE)
    qf_max = models.DecimalField(
        _("quotient maximum"), max_digits=8, decimal_places=2, null=True, blank=True, validators=NOT_NEGATIVE,
        help_text=_("Inclus ; vide : sans plafond."),
    )
    min_rank = models.PositiveSmallIntegerField(
        _("à partir du rang d'enfant"), default=1, validators=[MinValueValidator(1)],
        help_text=_("1 : tous les enfants ; 2 : à partir du deuxième enfant…"),
    )
    price = models.DecimalField(_("prix unitaire"), validators=NOT_NEGATIVE, **MONEY)
    sort_order = models.IntegerField(null=True, blank=True, editable=False)

    wagtail_reference_index_ignore = True  # no page or snippet points at billing records

    class Meta:
        verbose_name = _("tranche de tarif")
        verbose_name_plural = _("tranches de tarif")
        ordering = ["qf_min", "min_rank"]
        constraints = [
            models.CheckConstraint(
                condition=Q(qf_max__isnull=True) | Q(qf_max__gte=F("qf_min")), name="billing_bracket_range_order"
            ),
        ]

    def __str__(self):
        upper = f"{self.qf_max}" if self.qf_max is not None else "∞"
        return f"{self.label} ({self.qf_min}–{upper}) : {self.price} €"

    def clean(self):
        super().clean()
        if self.qf_max is not None and self.qf_min is not None and self.qf_max < self.qf_min:
            raise ValidationError({"qf_max": _("Le maximum de la tranche doit être supérieur ou égal au minimum.")})

    def covers(self, quotient):
        return self.qf_min <= quotient and (self.qf_max is None or quotient <= self.qf_max)


class QuotientRecord(models.Model):
    """The family quotient the billing knows for a household, from a month on.

    A row is written whenever the household's quotient, its source or its validity date
    changes (a ``post_save`` receiver on ``accounts.Household``); it applies from the
    first day of the month after the change, never before (see ``billing.quotients``)."""

    household = models.ForeignKey(
        "accounts.Household", verbose_name=_("foyer"), on_delete=models.CASCADE, related_name="quotient_records"
    )
    quotient = models.DecimalField(_("quotient familial"), max_digits=8, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, blank=True)
    valid_until = models.DateField(_("justificatif valable jusqu'au"), null=True, blank=True)
    applies_from = models.DateField(_("s'applique à partir du"))
    recorded_at = models.DateTimeField(_("enregistré le"), default=timezone.now)

    wagtail_reference_index_ignore = True  # no page or snippet points at billing records

    class Meta:
        verbose_name = _("quotient familial retenu")
        verbose_name_plural = _("historique des quotients familiaux")
        ordering = ["household", "-applies_from", "-recorded_at", "-id"]
        indexes = [models.Index(fields=["household", "applies_from"], name="billing_qf_household_from")]

    def __str__(self):
        value = self.quotient if self.quotient is not None else "—"
        return f"{self.household_id}: {value} à partir du {self.applies_from:%d/%m/%Y}"


# --- Invoicing ------------------------------------------------------------------------


class InvoicingRun(models.Model):
    """One monthly invoicing run of one office (drafts, then final)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        RUNNING = "running", _("en cours")
        DRAFTED = "drafted", _("brouillons à vérifier")
        FINALISING = "finalising", _("émission en cours")
        FINALISED = "finalised", _("émise")
        FAILED = "failed", _("échec")

    office = models.ForeignKey(CollectionOffice, verbose_name=_("régie"), on_delete=models.PROTECT, related_name="runs")
    year = models.PositiveSmallIntegerField(_("année"), validators=[MinValueValidator(2000)])
    month = models.PositiveSmallIntegerField(_("mois"), choices=[(m, str(m)) for m in range(1, 13)])
    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.PENDING)
    progress_done = models.PositiveIntegerField(_("foyers traités"), default=0)
    progress_total = models.PositiveIntegerField(_("foyers à traiter"), default=0)
    invoices_created = models.PositiveIntegerField(_("factures créées"), default=0)
    lines_created = models.PositiveIntegerField(_("lignes créées"), default=0)
    facts_skipped = models.PositiveIntegerField(
        _("occurrences déjà facturées"), default=0, help_text=_("Ignorées : déjà sur une facture.")
    )
    facts_without_tariff = models.PositiveIntegerField(_("occurrences sans tarif"), default=0)
    error = models.TextField(_("erreur"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("lancée par"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    started_at = models.DateTimeField(_("démarrée le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("émise le"), null=True, blank=True)

    wagtail_reference_index_ignore = True  # no page or snippet points at billing records

    class Meta:
        verbose_name = _("campagne de facturation")
        verbose_name_plural = _("campagnes de facturation")
        ordering = ["-year", "-month", "office__code", "-created_at"]

    def __str__(self):
        return f"{self.office.code} {self.month:02d}/{self.year}"

    @property
    def progress_percent(self):
        if not self.progress_total:
            return 100 if self.status in (self.Status.DRAFTED, self.Status.FINALISED) else 0
        return int(self.progress_done * 100 / self.progress_total)


class NumberSequence(models.Model):
    """The last number given per office, kind (invoice or credit note) and year.

    The row is locked (``select_for_update``) while a number is taken, inside the
    transaction that writes the numbered document: a rolled-back document gives its
    number back, so the numbers have no gaps."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("facture")
        CREDIT_NOTE = "credit_note", _("avoir")

    office = models.ForeignKey(CollectionOffice, on_delete=models.PROTECT, related_name="sequences")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    wagtail_reference_index_ignore = True  # no page or snippet points at billing records

    class Meta:
        verbose_name = _("séquence de numérotation")
        verbose_name_plural = _("séquences de numérotation")
        constraints = [
            models.UniqueConstraint(fields=["office", "kind", "year"], name="billing_sequence_unique"),
        ]

    def __str__(self):
        return f"{self.office.code} {self.kind} {self.year}: {self.last_number}"


class Invoice(models.Model):
    """A monthly invoice of one payer, for the activities of one office; or the invoice
    of a stay paid when booked (``enrolment`` set: ``billing.stays``), issued as soon as
    the stay's enrolment is active, whose days the monthly run never charges again.

    Drafts have no number; finalising gives the number and makes the invoice
    immutable (corrections by credit note). ``amount_paid`` and ``amount_credited`` are
    kept by ``billing.payments`` and ``billing.invoicing`` under a row lock."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        ISSUED = "issued", _("à payer")
        PARTIALLY_PAID = "partially_paid", _("partiellement payée")
        PAID = "paid", _("payée")
        CANCELLED = "cancelled", _("annulée par avoir")

    OPEN_STATUSES = (Status.ISSUED, Status.PARTIALLY_PAID)

    office = models.ForeignKey(CollectionOffice, verbose_name=_("régie"), on_delete=models.PROTECT,
                               related_name="invoices")
    run = models.ForeignKey(InvoicingRun, verbose_name=_("campagne"), null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="invoices")
    household = models.ForeignKey("accounts.Household", verbose_name=_("foyer"), on_delete=models.PROTECT,
                                  related_name="invoices")
    payer = models.ForeignKey("accounts.Guardian", verbose_name=_("payeur"), on_delete=models.PROTECT,
                              related_name="invoices")
    payer_name = models.CharField(_("nom du payeur"), max_length=300)
    payer_address = models.TextField(_("adresse du payeur"), blank=True)
    payer_email = models.EmailField(_("e-mail du payeur"), blank=True)
    year = models.PositiveSmallIntegerField(_("année"))
    month = models.PositiveSmallIntegerField(_("mois"))
    number = models.CharField(_("numéro"), max_length=30, blank=True)
    sequence_number = models.PositiveIntegerField(_("rang dans la séquence"), null=True, blank=True)
    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    is_supplementary = models.BooleanField(
        _("facture complémentaire"), default=False,
        help_text=_("Occurrences arrivées après l'émission de la facture du mois (pointage tardif)."),
    )
    total = models.DecimalField(_("montant total"), default=ZERO, **MONEY)
    amount_paid = models.DecimalField(_("montant payé"), default=ZERO, **MONEY)
    amount_credited = models.DecimalField(_("montant des avoirs"), default=ZERO, **MONEY)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    issued_at = models.DateTimeField(_("émise le"), null=True, blank=True)
    due_date = models.DateField(_("date d'échéance"), null=True, blank=True)
    paid_at = models.DateTimeField(_("soldée le"), null=True, blank=True)
    first_reminder_at = models.DateTimeField(_("première relance le"), null=True, blank=True)
    second_reminder_at = models.DateTimeField(_("seconde relance le"), null=True, blank=True)
    enrolment = models.ForeignKey(
        "services.Enrolment", verbose_name=_("séjour payé à la réservation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="stay_invoices",
        help_text=_("La facture d'un séjour payé à la réservation (hors facturation mensuelle)."),
    )

    wagtail_reference_index_ignore = True  # no page or snippet points at billing records

    class Meta:
        verbose_name = _("facture")
        verbose_name_plural = _("factures")
        ordering = ["-year", "-month", "number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "number"], condition=~Q(number=""), name="billing_invoice_number_unique"
            ),
            models.UniqueConstraint(
                fields=["office", "payer", "year", "month"],
                condition=Q(status="draft"),
                name="billing_invoice_one_draft_per_payer_month",
            ),
            models.UniqueConstraint(
                fields=["enrolment"], condition=Q(enrolment__isnull=False), name="billing_invoice_one_per_stay"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="billing_invoice_total_not_negative"),
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(number=""), name="billing_invoice_final_has_number"
            ),
        ]
        indexes = [
            models.Index(fields=["household", "-year", "-month"], name="billing_invoice_household"),
            models.Index(fields=["payer", "-year", "-month"], name="billing_invoice_payer"),
        ]

    def __str__(self):
        return self.number or f"Brouillon {self.month:02d}/{self.year} — {self.payer_name}"

    @property
    def balance(self):
        """What remains to pay (negative: owed back to the family)."""
        return self.total - self.amount_credited - self.amount_paid

    @property
    def is_final(self):
        return self.status != self.Status.DRAFT

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def period_label(self):
        import datetime

        from django.utils.formats import date_format

        return date_format(datetime.date(self.year, self.month, 1), "F Y")

    def refdet(self):
        """The PayFiP debt reference: the number without its dashes (6 to 30 alphanumerics)."""
        return "".join(ch for ch in self.number if ch.isalnum())


class InvoiceLine(models.Model):
    """One charged (or, for a justified absence, shown at zero) occurrence.

    ``fact_key`` is the billable fact's stable key: unique, so that a re-run never
    invoices an occurrence twice, even after its invoice was credited."""

    invoice = models.ForeignKey(Invoice, verbose_name=_("facture"), on_delete=models.CASCADE, related_name="lines")
    fact_key = models.CharField(_("occurrence"), max_length=100, unique=True)
    child = models.ForeignKey("accounts.Child", verbose_name=_("enfant"), on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey("services.Activity", verbose_name=_("activité"), on_delete=models.PROTECT,
                                 related_name="+")
    day = models.DateField(_("jour"))
    fact_status = models.CharField(_("situation"), max_length=40)
    description = models.CharField(_("libellé"), max_length=255)
    quantity = models.DecimalField(_("quantité"), max_digits=6, decimal_places=2, default=Decimal("1"))
    unit_price = models.DecimalField(_("prix unitaire"), **MONEY)
    amount = models.DecimalField(_("montant"), **MONEY)
    pricing = models.JSONField(_("détail du calcul"), default=dict, blank=True)

    wagtail_reference_index_ignore = True  # no page or snippet points at billing records

    class Meta:
        verbose_name = _("ligne de facture")
        verbose_name_plural = _("lignes de facture")
        ordering = ["invoice", "child__birth_date", "child_id", "activity__name", "day", "id"]

    def __str__(self):
        return f"{self.day:%d/%m/%Y} {self.description} {self.amount} €"


class CreditNote(models.Model):
    """A correction of a final invoice (never an edit of the invoice itself)."""

    office = models.ForeignKey(CollectionOffice, verbose_name=_("régie"), on_delete=models.PROTECT,
                               related_name="credit_notes")
    invoice = models.ForeignKey(Invoice, verbose_name=_("facture"), on_delete=models.PROTECT,
                                related_name="credit_notes")
    number = models.CharField(_("numéro"), max_length=30, unique=True)
    amount = models.DecimalField(_("montant"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY)
    reason = models.CharField(_("motif"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("établi par"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("établi le"), default=timezone.now)

    wagtail_reference_index_ignore = True  # no page or snippet points at billing records

    class Meta:
        verbose_name = _("avoir")
        verbose_name_plural = _("avoirs")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="billing_credit_note_positive")]

    def __str__(self):
        return f"{self.number} ({self.amount} €)"


class CreditNoteLine(models.Model):
    credit_note = models.ForeignKey(CreditNote, on_delete=models.CASCADE, related_name="lines")
    invoice_line = models.ForeignKey(InvoiceLine, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="credit_lines")
    description = models.CharField(_("libellé"), max_length=255)
    amount = models.DecimalField(_("montant"), **MONEY)

    wagtail_reference_index_ignore = True  # no page or snippet points at billing records

    class Meta:
        verbose_name = _("ligne d'avoir")
        verbose_name_plural = _("lignes d'avoir")
        ordering = ["credit_note", "id"]


# --- Payments ---------------------------------------------------------------------------


class Payment(models.Model):
    """Money received for an invoice: online through PayFiP, or at the office's desk."""

    class Method(models.TextChoices):
        PAYFIP_CARD = "payfip_card", _("carte bancaire en ligne (PayFiP)")
        PAYFIP_DEBIT = "payfip_debit", _("prélèvement unique en ligne (PayFiP)")
        CASH = "cash", _("espèces")
        CHEQUE = "cheque", _("chèque")
        CESU = "cesu", _("CESU")
        HOLIDAY_CHEQUE = "holiday_cheque", _("chèques-vacances")

    ONLINE_METHODS = (Method.PAYFIP_CARD, Method.PAYFIP_DEBIT)
    DESK_METHODS = (Method.CASH, Method.CHEQUE, Method.CESU, Method.HOLIDAY_CHEQUE)

    invoice = models.ForeignKey(Invoice, verbose_name=_("facture"), on_delete=models.PROTECT, related_name="payments")
    office = models.ForeignKey(CollectionOffice, verbose_name=_("régie"), on_delete=models.PROTECT,
                               related_name="payments")
    household = models.ForeignKey("accounts.Household", verbose_name=_("foyer"), on_delete=models.PROTECT,
                                  related_name="+")
    amount = models.DecimalField(_("montant"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY)
    method = models.CharField(_("moyen de paiement"), max_length=20, choices=Method.choices)
    received_at = models.DateTimeField(_("reçu le"), default=timezone.now, db_index=True)
    cheque_number = models.CharField(_("numéro du chèque"), max_length=40, blank=True)
    bank = models.CharField(_("banque"), max_length=100, blank=True)
    reference = models.CharField(_("référence"), max_length=100, blank=True,
                                 help_text=_("Numéros des titres CESU ou chèques-vacances, autorisation PayFiP…"))
    note = models.CharField(_("remarque"), max_length=255, blank=True)
    transaction = models.OneToOneField(
        "PayfipTransaction", verbose_name=_("transaction PayFiP"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="payment",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("enregistré par"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    wagtail_reference_index_ignore = True  # no page or snippet points at billing records

    class Meta:
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        ordering = ["-received_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="billing_payment_positive")]
        indexes = [models.Index(fields=["office", "received_at"], name="billing_payment_office_day")]

    def __str__(self):
        return f"{self.amount} € — {self.get_method_display()} ({self.received_at:%d/%m/%Y})"


class PayfipTransaction(models.Model):
    """One attempt to pay an invoice online. The amount and the invoice are the portal's
    own; PayFiP's answer is checked against them before anything is settled."""

    class Status(models.TextChoices):
        CREATED = "created", _("créée")
        PENDING = "pending", _("en attente du résultat")
        PAID = "paid", _("payée")
        REFUSED = "refused", _("refusée")
        CANCELLED = "cancelled", _("abandonnée")
        EXPIRED = "expired", _("expirée")
        FAILED = "failed", _("échec de création")

    FINAL_STATUSES = (Status.PAID, Status.REFUSED, Status.CANCELLED, Status.EXPIRED, Status.FAILED)

    invoice = models.ForeignKey(Invoice, verbose_name=_("facture"), on_delete=models.PROTECT,
                                related_name="payfip_transactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("payé par"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    token = models.CharField(max_length=40, unique=True)
    idop = models.CharField(_("idOp"), max_length=64, null=True, blank=True, unique=True)
    numcli = models.CharField(_("numéro client"), max_length=6)
    exer = models.CharField(_("exercice"), max_length=4)
    refdet = models.CharField(_("référence"), max_length=30)
    amount_cents = models.PositiveIntegerField(_("montant (centimes)"))
    mel = models.EmailField(_("e-mail"), max_length=80)
    saisie = models.CharField(_("mode"), max_length=1)
    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.CREATED,
                              db_index=True)
    resultrans = models.CharField(_("résultat PayFiP"), max_length=2, blank=True)
    numauto = models.CharField(_("numéro d'autorisation"), max_length=40, blank=True)
    paid_on = models.DateTimeField(_("date de la transaction"), null=True, blank=True)
    anomaly = models.CharField(_("anomalie"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)
    last_checked_at = models.DateTimeField(_("dernière vérification"), null=True, blank=True)

    wagtail_reference_index_ignore = True  # no page or snippet points at billing records

    class Meta:
        verbose_name = _("transaction PayFiP")
        verbose_name_plural = _("transactions PayFiP")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.refdet} {self.amount_cents / 100:.2f} € ({self.get_status_display()})"

    @property
    def amount(self):
        return (Decimal(self.amount_cents) / 100).quantize(Decimal("0.01"))

    @property
    def is_final(self):
        return self.status in self.FINAL_STATUSES


class PayfipExchangeQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Les échanges PayFiP ne peuvent pas être modifiés.")

    def delete(self):
        raise AppendOnlyError("Les échanges PayFiP ne peuvent pas être effacés.")


class PayfipExchange(models.Model):
    """A raw message to or from PayFiP, kept as it was (append-only)."""

    class Kind(models.TextChoices):
        REQUEST = "request", _("requête")
        RESPONSE = "response", _("réponse")
        ERROR = "error", _("erreur de communication")
        NOTIFICATION = "notification", _("notification reçue")
        RETURN = "return", _("retour du navigateur")

    transaction = models.ForeignKey(PayfipTransaction, null=True, blank=True, on_delete=models.DO_NOTHING,
                                    db_constraint=False, related_name="exchanges")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    operation = models.CharField(_("opération"), max_length=60, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    body = models.TextField(_("contenu"), blank=True)
    created_at = models.DateTimeField(_("le"), default=timezone.now)

    objects = PayfipExchangeQuerySet.as_manager()

    wagtail_reference_index_ignore = True  # no page or snippet points at billing records

    class Meta:
        verbose_name = _("échange PayFiP")
        verbose_name_plural = _("échanges PayFiP")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.kind} {self.operation}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("Les échanges PayFiP ne peuvent pas être modifiés.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Les échanges PayFiP ne peuvent pas être effacés.")


# --- The local PayFiP simulator's own state (development and tests only) ---------------


class SimulatedPayment(models.Model):
    """What the local simulator remembers of a payment it was asked to create."""

    class Outcome(models.TextChoices):
        NONE = "", _("pas encore de résultat")
        CARD = "P", _("payé par carte")
        DEBIT = "V", _("payé par prélèvement")
        CARD_REFUSED = "R", _("carte refusée")
        DEBIT_REFUSED = "Z", _("prélèvement refusé")
        CANCELLED = "A", _("abandon")
        PENDING = "P5", _("résultat inconnu (P5)")
        EXPIRED = "P1", _("opération inconnue ou purgée (P1)")
        FAULT = "TECH", _("panne technique")

    idop = models.CharField(max_length=64, unique=True)
    numcli = models.CharField(max_length=6)
    exer = models.CharField(max_length=4)
    refdet = models.CharField(max_length=30)
    objet = models.CharField(max_length=100)
    montant = models.CharField(max_length=12)
    mel = models.CharField(max_length=80)
    urlnotif = models.URLField(max_length=500)
    urlredirect = models.URLField(max_length=500)
    saisie = models.CharField(max_length=1)
    outcome = models.CharField(max_length=4, choices=Outcome.choices, blank=True, default="")
    numauto = models.CharField(max_length=40, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    wagtail_reference_index_ignore = True  # no page or snippet points at billing records

    class Meta:
        verbose_name = _("paiement simulé")
        verbose_name_plural = _("paiements simulés")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.idop} {self.refdet} {self.montant}"
