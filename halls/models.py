"""Hall hire: requests, approval, prices, deposits and cancellation fees (issue 5).

The hall itself (name, capacity, prices, deposit, cancellation tiers) is
``services.Hall``; what hiring it needs beyond that lives here, pointing at it:

- ``HallHireTerms``: per hall, how far ahead a request may be made and how long a
  pending request holds its slot;
- ``HallSlot``: the slots the commune offers for a hall (day, evening, weekend...),
  with their times and the weekdays on which they may start;
- ``HallClosure``: days a hall (or every hall) cannot be hired;
- ``HallRequest``: one request by a portal user, for a private person (with the
  household's residence when there is one) or for an association, with the price,
  deposit and cancellation terms frozen when it was made, the staff decision, the
  deposit and the cancellation;
- ``HallOccupancy``: one row per hall and 30-minute unit held by a pending or approved
  request, under a unique constraint: the database itself refuses to hold the same
  hall twice at the same time (see ``halls.hire``).

The rules are in ``halls.hire`` (requests and decisions) and ``halls.calendar``.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from services.models import WEEKDAY_CHOICES, ChoiceListField

PARIS = ZoneInfo("Europe/Paris")

# The grain of occupancy: slot times are multiples of it, one HallOccupancy row per unit.
UNIT_MINUTES = 30
UNIT = dt.timedelta(minutes=UNIT_MINUTES)
# A slot lasts at most this many days (a long weekend).
MAX_SLOT_DAYS = 3


class HallHireTerms(models.Model):
    """How a hall may be requested. A hall without terms uses the defaults below."""

    hall = models.OneToOneField(
        "services.Hall", verbose_name=_("salle"), on_delete=models.CASCADE, related_name="hire_terms"
    )
    min_notice_days = models.PositiveSmallIntegerField(
        _("délai minimum de demande (jours)"),
        default=15,
        help_text=_("Une demande doit arriver au moins ce nombre de jours avant la date louée."),
    )
    max_advance_days = models.PositiveSmallIntegerField(
        _("réservation possible jusqu'à (jours à l'avance)"),
        default=365,
        validators=[MinValueValidator(1)],
    )
    hold_days = models.PositiveSmallIntegerField(
        _("durée de maintien d'une demande en attente (jours)"),
        default=15,
        validators=[MinValueValidator(1)],
        help_text=_("Une demande en attente bloque le créneau pendant ce délai (premier arrivé, premier servi) ; "
                    "sans décision, elle expire et le créneau est libéré."),
    )
    instructions = models.TextField(
        _("informations pour le demandeur"),
        blank=True,
        help_text=_("Remise des clés, ménage, rangement... affiché avec la demande."),
    )

    class Meta:
        verbose_name = _("conditions de location")
        verbose_name_plural = _("conditions de location")
        ordering = ["hall__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_advance_days__gt=F("min_notice_days")), name="halls_terms_advance_after_notice"
            ),
        ]

    def __str__(self):
        return str(self.hall)

    def clean(self):
        super().clean()
        if (
            self.max_advance_days is not None
            and self.min_notice_days is not None
            and self.max_advance_days <= self.min_notice_days
        ):
            raise ValidationError(
                {"max_advance_days": _("Le délai maximum doit dépasser le délai minimum de demande.")}
            )


def terms_for(hall):
    """The hall's hire terms, or unsaved defaults when staff have set none."""
    try:
        return hall.hire_terms
    except HallHireTerms.DoesNotExist:
        return HallHireTerms(hall=hall)


class HallSlot(models.Model):
    """A slot the commune offers for a hall: "Journée" 09:00–18:00, "Soirée" 18:00–02:00
    the next day, "Week-end" from Saturday 10:00 to Monday 08:00..."""

    class EndDay(models.IntegerChoices):
        SAME_DAY = 0, _("le jour même")
        NEXT_DAY = 1, _("le lendemain")
        TWO_DAYS = 2, _("deux jours après")
        THREE_DAYS = 3, _("trois jours après")

    hall = models.ForeignKey(
        "services.Hall", verbose_name=_("salle"), on_delete=models.CASCADE, related_name="hire_slots"
    )
    name = models.CharField(_("nom"), max_length=80, help_text=_("Par exemple Journée, Soirée, Week-end."))
    start_time = models.TimeField(_("heure de début"), help_text=_("Heure de Paris, par multiple de 30 minutes."))
    end_time = models.TimeField(_("heure de fin"), help_text=_("Heure de Paris, par multiple de 30 minutes."))
    end_day_offset = models.PositiveSmallIntegerField(
        _("se termine"), choices=EndDay.choices, default=EndDay.SAME_DAY
    )
    weekdays = ChoiceListField(
        _("jours de début possibles"),
        item_choices=WEEKDAY_CHOICES,
        coerce=int,
        help_text=_("Les jours de la semaine où ce créneau peut commencer (le samedi pour un week-end)."),
    )
    order = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)
    is_active = models.BooleanField(_("proposé à la location"), default=True)

    class Meta:
        verbose_name = _("créneau de location")
        verbose_name_plural = _("créneaux de location")
        ordering = ["hall__name", "order", "start_time", "name"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "name"], name="halls_slot_unique_name"),
            models.CheckConstraint(
                condition=Q(end_day_offset__gt=0) | Q(end_time__gt=F("start_time")),
                name="halls_slot_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(end_day_offset__lte=MAX_SLOT_DAYS), name="halls_slot_at_most_3_days"),
        ]

    def __str__(self):
        return f"{self.name} ({self.times_label})"

    @property
    def times_label(self):
        start, end = f"{self.start_time:%H:%M}", f"{self.end_time:%H:%M}"
        if self.end_day_offset == 0:
            return f"{start}–{end}"
        return f"{start}–{end} ({self.get_end_day_offset_display()})"

    def clean(self):
        super().clean()
        errors = {}
        for name in ("start_time", "end_time"):
            value = getattr(self, name)
            if value is not None and (value.minute % UNIT_MINUTES or value.second or value.microsecond):
                errors[name] = _("Indiquez une heure par multiple de 30 minutes (par exemple 18:00 ou 18:30).")
        if (
            self.start_time is not None
            and self.end_time is not None
            and not self.end_day_offset
            and self.end_time <= self.start_time
        ):
            errors["end_time"] = _("L'heure de fin doit suivre l'heure de début (ou choisissez « le lendemain »).")
        if not self.weekdays:
            errors["weekdays"] = _("Cochez au moins un jour de la semaine.")
        if errors:
            raise ValidationError(errors)

    def starts_on(self, day):
        """Whether the slot may start on ``day``."""
        return day.weekday() in (self.weekdays or [])

    def interval(self, day):
        """(start, end) of the slot starting on ``day``: aware datetimes, Paris time."""
        start = dt.datetime.combine(day, self.start_time, tzinfo=PARIS)
        end = dt.datetime.combine(day + dt.timedelta(days=self.end_day_offset), self.end_time, tzinfo=PARIS)
        return start, end

    def last_day(self, day):
        """The calendar day on which the slot starting on ``day`` ends."""
        return day + dt.timedelta(days=self.end_day_offset)


def occupancy_units(start, end):
    """The starts of the 30-minute units (UTC) that cover [start, end)."""
    utc = dt.timezone.utc
    current = start.astimezone(utc)
    # Round down to the grain, so that unaligned times still collide with their neighbours.
    current -= dt.timedelta(minutes=current.minute % UNIT_MINUTES, seconds=current.second,
                            microseconds=current.microsecond)
    end = end.astimezone(utc)
    units = []
    while current < end:
        units.append(current)
        current += UNIT
    return units


class HallClosure(models.Model):
    """Days a hall cannot be hired (works, elections, municipal events...)."""

    hall = models.ForeignKey(
        "services.Hall",
        verbose_name=_("salle"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="hire_closures",
        help_text=_("Vide : toutes les salles."),
    )
    start_date = models.DateField(_("premier jour"))
    end_date = models.DateField(_("dernier jour (inclus)"))
    reason = models.CharField(_("motif"), max_length=200, help_text=_("Affiché dans le calendrier des salles."))

    class Meta:
        verbose_name = _("fermeture de salle")
        verbose_name_plural = _("fermetures de salle")
        ordering = ["start_date", "hall__name"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="halls_closure_end_after_start"),
        ]

    def __str__(self):
        where = self.hall.name if self.hall_id else _("toutes les salles")
        if self.start_date == self.end_date:
            return f"{self.reason} — {where} ({self.start_date:%d/%m/%Y})"
        return f"{self.reason} — {where} ({self.start_date:%d/%m/%Y} – {self.end_date:%d/%m/%Y})"

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Le dernier jour doit être égal ou postérieur au premier jour.")})


class HallRequestQuerySet(models.QuerySet):
    def holding(self):
        """Requests that hold their slot: pending or approved."""
        return self.filter(status__in=HallRequest.HOLDING_STATUSES)


class HallRequest(models.Model):
    """A request to hire a hall for one slot on one date."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente de décision")
        APPROVED = "approved", _("acceptée")
        REFUSED = "refused", _("refusée")
        CANCELLED = "cancelled", _("annulée")
        EXPIRED = "expired", _("expirée sans décision")

    class RequesterKind(models.TextChoices):
        PERSON = "person", _("un particulier")
        ASSOCIATION = "association", _("une association")

    class DepositStatus(models.TextChoices):
        AWAITED = "awaited", _("à remettre")
        RECEIVED = "received", _("reçue")
        RETURNED = "returned", _("restituée")
        KEPT = "kept", _("retenue")

    HOLDING_STATUSES = (Status.PENDING, Status.APPROVED)

    reference = models.CharField(_("référence"), max_length=20, unique=True, null=True, blank=True, editable=False)
    hall = models.ForeignKey(
        "services.Hall", verbose_name=_("salle"), on_delete=models.PROTECT, related_name="hire_requests"
    )
    slot = models.ForeignKey(HallSlot, verbose_name=_("créneau"), on_delete=models.PROTECT, related_name="requests")
    event_date = models.DateField(_("date"), db_index=True)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte demandeur"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="hall_requests",
    )
    requester_kind = models.CharField(
        _("demandeur"), max_length=20, choices=RequesterKind.choices, default=RequesterKind.PERSON
    )
    household = models.ForeignKey(
        "accounts.Household",
        verbose_name=_("foyer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hall_requests",
    )
    resident = models.BooleanField(_("tarif résident"), default=False)
    association_name = models.CharField(_("nom de l'association"), max_length=200, blank=True)
    association_number = models.CharField(_("numéro SIRET ou RNA"), max_length=20, blank=True)
    association_seat_in_commune = models.BooleanField(_("siège de l'association dans la commune (déclaré)"),
                                                      default=False)
    contact_name = models.CharField(_("personne à contacter"), max_length=150)
    contact_phone = models.CharField(_("téléphone"), max_length=30)
    contact_email = models.EmailField(_("adresse e-mail"))
    event_description = models.CharField(_("nature de l'événement"), max_length=200)
    expected_guests = models.PositiveIntegerField(_("nombre de personnes attendues"))

    price = models.DecimalField(_("tarif"), max_digits=8, decimal_places=2)
    deposit = models.DecimalField(_("caution"), max_digits=8, decimal_places=2)
    # The cancellation terms in force when the request was made (they are part of the hire).
    first_cancellation_notice_days = models.PositiveSmallIntegerField(_("premier palier d'annulation (jours)"))
    first_cancellation_fee_percent = models.DecimalField(_("frais au premier palier (%)"), max_digits=5,
                                                         decimal_places=2)
    second_cancellation_notice_days = models.PositiveSmallIntegerField(_("second palier d'annulation (jours)"))
    second_cancellation_fee_percent = models.DecimalField(_("frais au second palier (%)"), max_digits=5,
                                                          decimal_places=2)

    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    created_at = models.DateTimeField(_("demandée le"))
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True,
                                      help_text=_("Sans décision à cette date, la demande expire."))
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("décidée par"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    decision_reason = models.TextField(_("motif de la décision"), blank=True)
    insurance_confirmed_at = models.DateTimeField(_("attestation d'assurance vérifiée le"), null=True, blank=True)
    insurance_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("attestation vérifiée par"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("annulée par"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    cancelled_by_commune = models.BooleanField(_("annulée par la commune"), default=False)
    cancellation_reason = models.TextField(_("motif de l'annulation"), blank=True)
    cancellation_fee = models.DecimalField(_("frais d'annulation"), max_digits=8, decimal_places=2, null=True,
                                           blank=True)

    deposit_status = models.CharField(_("caution"), max_length=20, choices=DepositStatus.choices,
                                      default=DepositStatus.AWAITED)
    deposit_received_at = models.DateTimeField(_("caution reçue le"), null=True, blank=True)
    deposit_settled_at = models.DateTimeField(_("caution restituée ou retenue le"), null=True, blank=True)
    deposit_kept_amount = models.DecimalField(_("montant retenu sur la caution"), max_digits=8, decimal_places=2,
                                              default=Decimal("0.00"))
    deposit_note = models.TextField(_("motif de la retenue"), blank=True)

    objects = HallRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande de location")
        verbose_name_plural = _("demandes de location")
        ordering = ["-event_date", "-created_at", "-id"]
        permissions = [
            ("decide_hallrequest", _("Décider des demandes de location de salle")),
            ("manage_hall_deposit", _("Enregistrer les cautions des locations de salle")),
        ]
        indexes = [models.Index(fields=["hall", "status", "event_date"], name="halls_request_hall_status")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="halls_request_ends_after_start"),
            models.CheckConstraint(condition=Q(price__gte=0) & Q(deposit__gte=0), name="halls_request_amounts"),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(decision_reason=""), name="halls_request_refusal_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(requester_kind="association") | (~Q(association_name="") & ~Q(association_number="")),
                name="halls_request_association_identified",
            ),
            models.CheckConstraint(
                condition=Q(cancellation_fee__isnull=True)
                | (Q(cancellation_fee__gte=0) & Q(cancellation_fee__lte=F("price"))),
                name="halls_request_cancellation_fee_range",
            ),
            models.CheckConstraint(
                condition=Q(deposit_kept_amount__gte=0) & Q(deposit_kept_amount__lte=F("deposit")),
                name="halls_request_deposit_kept_range",
            ),
            models.CheckConstraint(
                condition=~Q(deposit_status="kept") | (Q(deposit_kept_amount__gt=0) & ~Q(deposit_note="")),
                name="halls_request_deposit_kept_justified",
            ),
        ]

    def __str__(self):
        return f"{self.reference or '—'} · {self.hall} · {self.event_date:%d/%m/%Y} · {self.slot.name}"

    @property
    def requester_name(self):
        """Who hires: the association, or the contact person."""
        if self.requester_kind == self.RequesterKind.ASSOCIATION:
            return self.association_name
        return self.contact_name

    requester_name.fget.short_description = _("demandeur")

    @property
    def is_holding(self):
        return self.status in self.HOLDING_STATUSES

    @property
    def insurance_confirmed(self):
        return self.insurance_confirmed_at is not None

    def fee_terms_hall(self):
        """An unsaved ``services.Hall`` carrying this request's frozen price and cancellation
        tiers, so that ``Hall.cancellation_fee`` (the one rule) applies to the terms agreed."""
        from services.models import Hall

        return Hall(
            name=self.hall.name,
            capacity=self.hall.capacity,
            resident_price=self.price,
            non_resident_price=self.price,
            deposit=self.deposit,
            first_cancellation_notice_days=self.first_cancellation_notice_days,
            first_cancellation_fee_percent=self.first_cancellation_fee_percent,
            second_cancellation_notice_days=self.second_cancellation_notice_days,
            second_cancellation_fee_percent=self.second_cancellation_fee_percent,
        )


class HallOccupancy(models.Model):
    """One 30-minute unit of a hall held by a pending or approved request. The unique
    constraint on (hall, unit) is what makes a double booking impossible, whatever the
    database and however many requests arrive at once."""

    hall = models.ForeignKey("services.Hall", verbose_name=_("salle"), on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(_("début de l'unité (UTC)"))
    request = models.ForeignKey(
        HallRequest, verbose_name=_("demande"), on_delete=models.CASCADE, related_name="occupancy"
    )

    class Meta:
        verbose_name = _("occupation de salle")
        verbose_name_plural = _("occupations de salle")
        constraints = [
            models.UniqueConstraint(fields=["hall", "starts_at"], name="halls_occupancy_one_request_per_unit"),
        ]

    def __str__(self):
        return f"{self.hall} {self.starts_at:%Y-%m-%d %H:%M} UTC"
