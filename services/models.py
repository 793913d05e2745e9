"""The municipal services, their activities and the rules that govern them.

Everything here is data that staff edit in the Wagtail admin ("Services municipaux"):
no deadline, holiday or price is written in the code. The deadline engine that reads
these rules lives in ``services.deadlines``; calendars (public and school holidays,
closures) are loaded once per request by ``services.calendars``.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

WEEKDAY_CHOICES = [
    (0, _("lundi")),
    (1, _("mardi")),
    (2, _("mercredi")),
    (3, _("jeudi")),
    (4, _("vendredi")),
    (5, _("samedi")),
    (6, _("dimanche")),
]

CLASS_LEVEL_CHOICES = [
    ("TPS", _("toute petite section")),
    ("PS", _("petite section")),
    ("MS", _("moyenne section")),
    ("GS", _("grande section")),
    ("CP", "CP"),
    ("CE1", "CE1"),
    ("CE2", "CE2"),
    ("CM1", "CM1"),
    ("CM2", "CM2"),
]


class ChoiceListField(models.JSONField):
    """A JSON list of values taken from ``item_choices``, edited as check boxes.

    Stored as a plain JSON list (e.g. ``[0, 1, 3, 4]`` for weekdays), so that it reads
    the same on SQLite and PostgreSQL and needs no join table."""

    def __init__(self, *args, item_choices=(), coerce=str, **kwargs):
        self.item_choices = list(item_choices)
        self.coerce = coerce
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["item_choices"] = self.item_choices
        if self.coerce is not str:
            kwargs["coerce"] = self.coerce
        if kwargs.get("default") is list:
            del kwargs["default"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if value in (None, ""):
            return
        if not isinstance(value, list):
            raise ValidationError(_("Une liste de valeurs est attendue."), code="invalid_list")
        allowed = {key for key, _label in self.item_choices}
        unknown = [item for item in value if item not in allowed]
        if unknown:
            raise ValidationError(
                _("Valeur(s) inconnue(s) : %(values)s."),
                code="invalid_choice",
                params={"values": ", ".join(str(item) for item in unknown)},
            )

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.item_choices,
            "coerce": self.coerce,
            "required": not self.blank,
            "widget": forms.CheckboxSelectMultiple,
            "label": self.verbose_name,
            "help_text": self.help_text,
        }
        defaults.update(kwargs)
        form_class = defaults.pop("form_class")
        defaults.pop("encoder", None)
        defaults.pop("decoder", None)
        return form_class(**defaults)


class Service(models.Model):
    """One of the seven municipal services of the regulation (Article 10.2)."""

    class Shape(models.TextChoices):
        DAILY = "daily", _("réservations à la journée")
        SESSIONS = "sessions", _("séances avec places limitées")
        SCHOOL_ENROLMENT = "school_enrolment", _("demande d'inscription scolaire")
        YEARLY_COURSE = "yearly_course", _("cours à l'année")
        HALL_HIRE = "hall_hire", _("location de salle")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    shape = models.CharField(_("forme"), max_length=20, choices=Shape.choices)
    summary = models.TextField(_("présentation courte"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)
    is_active = models.BooleanField(_("ouvert aux familles"), default=True)

    class Meta:
        verbose_name = _("service municipal")
        verbose_name_plural = _("services municipaux")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class SchoolYear(models.Model):
    """A school year, from the first day of school (rentrée) to the last one."""

    label = models.CharField(_("libellé"), max_length=20, unique=True, help_text=_("Par exemple 2026-2027."))
    start_date = models.DateField(_("date de rentrée"))
    end_date = models.DateField(_("fin des cours"))

    class Meta:
        verbose_name = _("année scolaire")
        verbose_name_plural = _("années scolaires")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="services_schoolyear_end_after_start"
            ),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("La fin de l'année scolaire doit suivre la rentrée.")})

    def __contains__(self, day):
        return self.start_date <= day <= self.end_date


class CalendarPeriod(models.Model):
    """A run of days off: school holidays, a public holiday, or a closure (of every
    activity, or of one activity when ``activity`` is set). Both dates are included."""

    class Kind(models.TextChoices):
        SCHOOL_HOLIDAY = "school_holiday", _("vacances scolaires")
        PUBLIC_HOLIDAY = "public_holiday", _("jour férié")
        CLOSURE = "closure", _("fermeture")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("nom"), max_length=120)
    start_date = models.DateField(_("premier jour"))
    end_date = models.DateField(_("dernier jour (inclus)"))
    school_year = models.ForeignKey(
        SchoolYear,
        verbose_name=_("année scolaire"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="periods",
    )
    activity = models.ForeignKey(
        "Activity",
        verbose_name=_("activité fermée"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closures",
        help_text=_("Seulement pour une fermeture propre à une activité ; vide : toutes les activités."),
    )
    uid = models.CharField(
        _("identifiant d'import"),
        max_length=255,
        blank=True,
        help_text=_("UID de l'événement iCalendar importé ; vide pour une saisie manuelle."),
    )

    class Meta:
        verbose_name = _("période du calendrier")
        verbose_name_plural = _("périodes du calendrier")
        ordering = ["start_date", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="services_calendarperiod_end_after_start"
            ),
            models.UniqueConstraint(
                fields=["kind", "uid"], condition=~Q(uid=""), name="services_calendarperiod_unique_uid"
            ),
        ]
        indexes = [models.Index(fields=["kind", "start_date"])]

    def __str__(self):
        if self.start_date == self.end_date:
            return f"{self.name} ({self.start_date:%d/%m/%Y})"
        return f"{self.name} ({self.start_date:%d/%m/%Y} – {self.end_date:%d/%m/%Y})"

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("Le dernier jour doit être égal ou postérieur au premier jour.")
        if self.activity_id and self.kind != self.Kind.CLOSURE:
            errors["activity"] = _("Seule une fermeture peut concerner une activité précise.")
        if errors:
            raise ValidationError(errors)

    def __contains__(self, day):
        return self.start_date <= day <= self.end_date


class DeadlineRule(models.Model):
    """When booking (or cancelling) an occurrence closes. One engine reads every kind:
    see ``services.deadlines``."""

    class Kind(models.TextChoices):
        DAYS_BEFORE = "days_before", _("N jours avant, à l'heure indiquée")
        WORKING_DAYS_BEFORE = "working_days_before", _("N jours ouvrés avant, à l'heure indiquée")
        WEEKDAY_PREVIOUS_WEEK = "weekday_previous_week", _("tel jour et heure de la semaine précédente")
        WEEKDAY_WEEK_MINUS_N = "weekday_week_minus_n", _("tel jour et heure de la semaine S-N")
        PERIOD_CLOSE = "period_close", _("vacances : N jours pleins avant le premier jour de la période")

    name = models.CharField(_("nom"), max_length=120, unique=True)
    kind = models.CharField(_("type de délai"), max_length=30, choices=Kind.choices)
    days = models.PositiveSmallIntegerField(
        _("nombre de jours"),
        null=True,
        blank=True,
        help_text=_("Jours calendaires, jours ouvrés, ou jours pleins avant les vacances selon le type."),
    )
    time = models.TimeField(_("heure limite"), help_text=_("Heure de Paris, par exemple 12:00."))
    weekday = models.PositiveSmallIntegerField(
        _("jour de la semaine"), choices=WEEKDAY_CHOICES, null=True, blank=True
    )
    weeks_before = models.PositiveSmallIntegerField(
        _("nombre de semaines avant"),
        null=True,
        blank=True,
        help_text=_("Pour « semaine S-N » : 1 = la semaine précédente, 2 = deux semaines avant."),
    )
    skip_weekdays = ChoiceListField(
        _("jours non ouvrés en plus"),
        item_choices=WEEKDAY_CHOICES,
        coerce=int,
        help_text=_("Jours ouvrés : samedi, dimanche et jours fériés ne comptent jamais ; cochez d'autres jours "
                    "à ne pas compter (par exemple le mercredi)."),
    )
    fallback = models.ForeignKey(
        "self",
        verbose_name=_("règle hors vacances"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Pour une clôture par période : règle appliquée hors vacances scolaires "
                    "(à défaut, N jours avant à l'heure indiquée)."),
    )

    class Meta:
        verbose_name = _("règle de délai")
        verbose_name_plural = _("règles de délai")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__isnull=True) | Q(weekday__lte=6), name="services_deadlinerule_weekday_range"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        kind = self.kind
        K = self.Kind
        if kind in (K.DAYS_BEFORE, K.PERIOD_CLOSE) and self.days is None:
            errors["days"] = _("Indiquez le nombre de jours.")
        if kind == K.WORKING_DAYS_BEFORE:
            if not self.days:
                errors["days"] = _("Indiquez un nombre de jours ouvrés d'au moins 1.")
            if len(set(self.skip_weekdays or []) | {5, 6}) >= 7:
                errors["skip_weekdays"] = _("Il doit rester au moins un jour ouvré dans la semaine.")
        if kind in (K.WEEKDAY_PREVIOUS_WEEK, K.WEEKDAY_WEEK_MINUS_N) and self.weekday is None:
            errors["weekday"] = _("Choisissez le jour de la semaine.")
        if kind == K.WEEKDAY_WEEK_MINUS_N and not self.weeks_before:
            errors["weeks_before"] = _("Indiquez un nombre de semaines d'au moins 1.")
        if self.fallback_id:
            if kind != K.PERIOD_CLOSE:
                errors["fallback"] = _("Une règle hors vacances ne s'utilise qu'avec une clôture par période.")
            elif self.pk and self.fallback_id == self.pk:
                errors["fallback"] = _("Une règle ne peut pas être sa propre règle hors vacances.")
            elif self.fallback.kind == K.PERIOD_CLOSE:
                errors["fallback"] = _("La règle hors vacances ne peut pas être elle-même une clôture par période.")
        if errors:
            raise ValidationError(errors)


class Activity(models.Model):
    """A bookable offer of a service: "Cantine école Jules Ferry", "Accueil du soir"."""

    class Shape(models.TextChoices):
        DAILY = "daily", _("journée")
        HALF_DAY = "half_day", _("demi-journée")
        SESSION = "session", _("séance")
        STAY = "stay", _("séjour")
        COURSE = "course", _("cours à l'année")
        SCHOOL_ENROLMENT = "school_enrolment", _("inscription scolaire")
        HALL_SLOT = "hall_slot", _("créneau de salle")

    service = models.ForeignKey(
        Service, verbose_name=_("service municipal"), on_delete=models.PROTECT, related_name="activities"
    )
    name = models.CharField(_("nom"), max_length=150)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    shape = models.CharField(_("forme"), max_length=20, choices=Shape.choices)
    site = models.CharField(_("lieu"), max_length=150, blank=True, help_text=_("Par exemple le restaurant scolaire."))
    weekdays = ChoiceListField(_("jours de fonctionnement"), item_choices=WEEKDAY_CHOICES, coerce=int)
    runs_in_school_periods = models.BooleanField(_("fonctionne en période scolaire"), default=True)
    runs_in_holidays = models.BooleanField(_("fonctionne pendant les vacances"), default=False)
    start_date = models.DateField(
        _("premier jour"), null=True, blank=True, help_text=_("Dates d'un séjour ou d'une saison ; vide : sans limite.")
    )
    end_date = models.DateField(_("dernier jour"), null=True, blank=True)
    start_time = models.TimeField(_("heure de début"), null=True, blank=True)
    end_time = models.TimeField(_("heure de fin"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True, help_text=_("Vide : sans limite."))
    requires_validation = models.BooleanField(
        _("inscription validée par un agent"), default=False
    )
    min_age = models.PositiveSmallIntegerField(_("âge minimum (ans)"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("âge maximum (ans)"), null=True, blank=True)
    class_levels = ChoiceListField(
        _("niveaux de classe admis"), item_choices=CLASS_LEVEL_CHOICES, help_text=_("Aucun coché : tous les niveaux.")
    )
    prepayment_required = models.BooleanField(_("paiement à la réservation"), default=False)
    booking_rule = models.ForeignKey(
        DeadlineRule,
        verbose_name=_("délai de réservation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Vide : réservation possible jusqu'au début de l'activité."),
    )
    cancellation_rule = models.ForeignKey(
        DeadlineRule,
        verbose_name=_("délai d'annulation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Vide : le même délai que pour réserver."),
    )
    same_day_sick_cancellation_until = models.TimeField(
        _("annulation pour enfant malade le jour même jusqu'à"),
        null=True,
        blank=True,
        help_text=_("Par exemple 09:00 ; vide : pas d'annulation le jour même."),
    )
    serves_meal = models.BooleanField(
        _("repas servi"), default=False, help_text=_("Compté dans les effectifs de repas transmis à la cuisine.")
    )
    absence_justification_hours = models.PositiveSmallIntegerField(
        _("délai pour justifier une absence (heures)"),
        null=True,
        blank=True,
        default=72,
        help_text=_("Compté à partir de la fin du premier jour d'absence, par exemple 72 ; vide : aucune absence "
                    "n'est justifiable."),
    )
    is_active = models.BooleanField(_("ouverte aux familles"), default=True)

    class Meta:
        verbose_name = _("activité")
        verbose_name_plural = _("activités")
        ordering = ["service__order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_age__isnull=True) | Q(min_age__isnull=True) | Q(max_age__gte=F("min_age")),
                name="services_activity_age_range",
            ),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(start_time__isnull=True) | Q(end_time__gt=F("start_time")),
                name="services_activity_time_range",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="services_activity_date_range",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if self.min_age is not None and self.max_age is not None and self.max_age < self.min_age:
            errors["max_age"] = _("L'âge maximum doit être supérieur ou égal à l'âge minimum.")
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("L'heure de fin doit suivre l'heure de début.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("Le dernier jour doit être égal ou postérieur au premier jour.")
        if not self.runs_in_school_periods and not self.runs_in_holidays:
            errors["runs_in_holidays"] = _("L'activité doit fonctionner en période scolaire, pendant les vacances, "
                                           "ou les deux.")
        if self.pk and self.capacity is not None:
            fullest = (
                PlaceCounter.objects.filter(activity_id=self.pk, custom_capacity=False, taken__gt=self.capacity)
                .filter(Q(scope=PlaceCounter.Scope.ENROLMENT) | Q(day__gte=_today()))
                .order_by("-taken", "day")
                .first()
            )
            if fullest is not None:
                errors["capacity"] = _(
                    "%(taken)s places sont déjà prises le %(day)s : le nombre de places ne peut pas descendre "
                    "en dessous."
                ) % {"taken": fullest.taken, "day": fullest.day.strftime("%d/%m/%Y")}
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        """Keep the places of the coming occurrences (and of the enrolment periods) in
        step with the activity's capacity, except those staff set by hand."""
        from django.db import transaction

        with transaction.atomic():
            super().save(*args, **kwargs)
            PlaceCounter.objects.filter(activity_id=self.pk, custom_capacity=False).filter(
                Q(scope=PlaceCounter.Scope.ENROLMENT) | Q(day__gte=_today())
            ).exclude(capacity=self.capacity).update(capacity=self.capacity)

    @property
    def place_scope(self):
        """Where the capacity applies: on each occurrence (days, half-days, sessions), or
        on the enrolment (yearly courses, stays, school enrolment)."""
        if self.shape in (self.Shape.COURSE, self.Shape.STAY, self.Shape.SCHOOL_ENROLMENT, self.Shape.HALL_SLOT):
            return PlaceCounter.Scope.ENROLMENT
        return PlaceCounter.Scope.BOOKING

    @property
    def is_bookable_by_day(self):
        """Daily activities, half-days and sessions are booked day by day in the month calendar."""
        return self.shape in (self.Shape.DAILY, self.Shape.HALF_DAY, self.Shape.SESSION)

    @property
    def effective_cancellation_rule(self):
        return self.cancellation_rule if self.cancellation_rule_id else self.booking_rule

    def admits_class_level(self, level):
        return not self.class_levels or level in self.class_levels

    def admits_age(self, age):
        if self.min_age is not None and age < self.min_age:
            return False
        if self.max_age is not None and age > self.max_age:
            return False
        return True


def _today():
    from django.utils import timezone

    return timezone.localdate()


PERCENT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class Hall(models.Model):
    """A municipal hall for hire (Nymphéas, Salle de l'Union)."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    capacity = models.PositiveIntegerField(_("capacité (personnes)"))
    resident_price = models.DecimalField(_("tarif Aulnoysiens"), max_digits=8, decimal_places=2)
    non_resident_price = models.DecimalField(_("tarif extérieurs"), max_digits=8, decimal_places=2)
    deposit = models.DecimalField(_("caution"), max_digits=8, decimal_places=2)
    first_cancellation_notice_days = models.PositiveSmallIntegerField(
        _("premier palier d'annulation (jours avant)"), default=30
    )
    first_cancellation_fee_percent = models.DecimalField(
        _("frais d'annulation au premier palier (% du tarif)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("50"),
        validators=PERCENT_VALIDATORS,
        help_text=_("Dus si l'annulation intervient moins de jours avant que ce palier."),
    )
    second_cancellation_notice_days = models.PositiveSmallIntegerField(
        _("second palier d'annulation (jours avant)"), default=10
    )
    second_cancellation_fee_percent = models.DecimalField(
        _("frais d'annulation au second palier (% du tarif)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("100"),
        validators=PERCENT_VALIDATORS,
    )
    insurance_required = models.BooleanField(_("attestation d'assurance exigée"), default=True)
    is_active = models.BooleanField(_("proposée à la location"), default=True)

    class Meta:
        verbose_name = _("salle municipale")
        verbose_name_plural = _("salles municipales")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(second_cancellation_notice_days__lt=F("first_cancellation_notice_days")),
                name="services_hall_cancellation_notices_order",
            ),
            models.CheckConstraint(
                condition=Q(first_cancellation_fee_percent__gte=0, first_cancellation_fee_percent__lte=100)
                & Q(second_cancellation_fee_percent__gte=0, second_cancellation_fee_percent__lte=100),
                name="services_hall_cancellation_fee_percent_range",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.first_cancellation_notice_days is not None
            and self.second_cancellation_notice_days is not None
            and self.second_cancellation_notice_days >= self.first_cancellation_notice_days
        ):
            errors["second_cancellation_notice_days"] = _(
                "Le second palier doit être plus proche de la date que le premier."
            )
        if (
            self.first_cancellation_fee_percent is not None
            and self.second_cancellation_fee_percent is not None
            and self.second_cancellation_fee_percent < self.first_cancellation_fee_percent
        ):
            errors["second_cancellation_fee_percent"] = _(
                "Les frais du second palier ne peuvent pas être inférieurs à ceux du premier."
            )
        if errors:
            raise ValidationError(errors)

    def price_for(self, *, resident):
        return self.resident_price if resident else self.non_resident_price

    def cancellation_fee(self, *, event_date, cancelled_on, resident):
        """Fee owed when a hire for ``event_date`` is cancelled on ``cancelled_on``."""
        notice = (event_date - cancelled_on).days
        if notice < self.second_cancellation_notice_days:
            percent = self.second_cancellation_fee_percent
        elif notice < self.first_cancellation_notice_days:
            percent = self.first_cancellation_fee_percent
        else:
            return Decimal("0.00")
        return (self.price_for(resident=resident) * percent / Decimal("100")).quantize(Decimal("0.01"))


# --- Enrolments, places, bookings, attendance, absences (issue 5) ----------------------
#
# The rules that read and write these rows live in plain modules beside them:
# ``services.enrolments``, ``services.bookings``, ``services.attendance``,
# ``services.absences``; views and the admin only call those.


class PlaceCounter(models.Model):
    """The places of one occurrence (scope ``booking``: ``day`` is the occurrence) or of
    one enrolment period (scope ``enrolment``: ``day`` is the first day of the period).

    ``taken`` is kept by the domain functions in the same transaction as the booking or
    enrolment it counts, with a conditional ``UPDATE ... WHERE taken < capacity``; the
    check constraint below makes the database itself refuse a place taken twice, on
    SQLite as on PostgreSQL. ``capacity`` follows the activity's, unless staff set a
    capacity of its own for that occurrence (``custom_capacity``)."""

    class Scope(models.TextChoices):
        BOOKING = "booking", _("séance ou journée")
        ENROLMENT = "enrolment", _("période d'inscription")

    activity = models.ForeignKey(
        Activity, verbose_name=_("activité"), on_delete=models.CASCADE, related_name="place_counters"
    )
    scope = models.CharField(_("portée"), max_length=12, choices=Scope.choices, default=Scope.BOOKING)
    day = models.DateField(_("jour"))
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True, help_text=_("Vide : sans limite."))
    custom_capacity = models.BooleanField(
        _("nombre de places propre à ce jour"),
        default=False,
        help_text=_("Coché : ce nombre ne suit plus celui de l'activité."),
    )
    taken = models.PositiveIntegerField(_("places prises"), default=0)
    label = models.CharField(
        _("intitulé de la séance"), max_length=150, blank=True, help_text=_("Par exemple « Sortie patinoire ».")
    )

    class Meta:
        verbose_name = _("places d'une séance")
        verbose_name_plural = _("places par séance")
        ordering = ["day", "activity"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "scope", "day"], name="services_placecounter_unique"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(taken__lte=F("capacity")),
                name="services_placecounter_not_overbooked",
                violation_error_message=_("Plus de places prises que de places disponibles."),
            ),
        ]

    def __str__(self):
        return f"{self.activity} — {self.day:%d/%m/%Y}"

    @property
    def places_left(self):
        if self.capacity is None:
            return None
        return max(self.capacity - self.taken, 0)

    def clean(self):
        super().clean()
        if self.capacity is not None and self.taken > self.capacity:
            raise ValidationError(
                {"capacity": _("%(taken)s places sont déjà prises : il ne peut pas y en avoir moins.")
                 % {"taken": self.taken}}
            )


class Enrolment(models.Model):
    """A child admitted (or asking to be admitted) to an activity for a period.

    Shapes: a daily activity needs an active enrolment before any booking; a yearly
    course, a stay or a school enrolment is the enrolment itself, with its capacity and
    waiting list. A school enrolment goes through two steps: the commune registers the
    child (``registered``), then the school admits it (``active``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("demande en attente de validation")
        REGISTERED = "registered", _("inscrit par la commune, en attente d'admission par l'école")
        WAITING = "waiting", _("sur liste d'attente")
        ACTIVE = "active", _("inscrit")
        REFUSED = "refused", _("refusée")
        WITHDRAWN = "withdrawn", _("annulée")

    class Derogation(models.TextChoices):
        SIBLING = "sibling", _("frère ou sœur déjà scolarisé dans l'école demandée")
        CHILDCARE = "childcare", _("mode de garde ou assistante maternelle près de l'école demandée")
        WORK = "work", _("lieu de travail d'un parent près de l'école demandée")
        HEALTH = "health", _("raison médicale")
        MOVING = "moving", _("déménagement en cours d'année")
        OTHER = "other", _("autre motif")

    class Prepayment(models.TextChoices):
        NOT_REQUIRED = "not_required", _("sans paiement à la réservation")
        DUE = "due", _("paiement attendu")
        PAID = "paid", _("payé")

    # Statuses that hold a place (counted in the enrolment PlaceCounter).
    HOLDING = (Status.PENDING, Status.REGISTERED, Status.ACTIVE)
    # Statuses of a request that is still alive (one per child, activity and period).
    OPEN = (Status.PENDING, Status.REGISTERED, Status.WAITING, Status.ACTIVE)

    household = models.ForeignKey(
        "accounts.Household", verbose_name=_("foyer"), on_delete=models.CASCADE, related_name="enrolments"
    )
    child = models.ForeignKey(
        "accounts.Child", verbose_name=_("enfant"), on_delete=models.CASCADE, related_name="enrolments"
    )
    activity = models.ForeignKey(
        Activity, verbose_name=_("activité"), on_delete=models.PROTECT, related_name="enrolments"
    )
    start_date = models.DateField(_("du"))
    end_date = models.DateField(_("au"))
    status = models.CharField(_("état"), max_length=12, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(_("demandée le"))
    requested_by = models.ForeignKey(
        "accounts.User", verbose_name=_("demandée par"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    waiting_since = models.DateTimeField(_("en liste d'attente depuis"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décision le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", verbose_name=_("décision par"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_reason = models.TextField(_("motif de la décision"), blank=True)
    # School enrolment (two steps) and derogation.
    requested_level = models.CharField(
        _("classe demandée"), max_length=8, choices=CLASS_LEVEL_CHOICES, blank=True
    )
    school = models.CharField(_("école d'affectation"), max_length=150, blank=True)
    requested_school = models.CharField(_("école souhaitée (dérogation)"), max_length=150, blank=True)
    derogation_reason = models.CharField(
        _("motif de dérogation"), max_length=20, choices=Derogation.choices, blank=True
    )
    derogation_details = models.TextField(_("précisions sur la dérogation"), blank=True)
    derogation_granted = models.BooleanField(_("dérogation accordée"), null=True, blank=True)
    registered_at = models.DateTimeField(_("inscrit par la commune le"), null=True, blank=True)
    admitted_at = models.DateTimeField(_("admis par l'école le"), null=True, blank=True)
    # Stays paid when booked: billing takes the payment (see services.enrolments).
    prepayment_status = models.CharField(
        _("paiement à la réservation"), max_length=12, choices=Prepayment.choices, default=Prepayment.NOT_REQUIRED
    )
    prepayment_reference = models.CharField(_("référence du paiement"), max_length=100, blank=True)
    prepaid_at = models.DateTimeField(_("payé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="services_enrolment_period"),
            models.UniqueConstraint(
                fields=["child", "activity", "start_date"],
                condition=Q(status__in=["pending", "registered", "waiting", "active"]),
                name="services_enrolment_one_open_per_period",
                violation_error_message=_("Une demande d'inscription est déjà en cours pour cette période."),
            ),
        ]
        indexes = [
            models.Index(fields=["activity", "status", "start_date"], name="services_enrol_activity"),
            models.Index(fields=["child", "status"], name="services_enrol_child"),
        ]

    def __str__(self):
        return f"{self.child} — {self.activity} ({self.start_date:%d/%m/%Y} – {self.end_date:%d/%m/%Y})"

    def covers(self, day):
        return self.start_date <= day <= self.end_date

    @property
    def is_open(self):
        return self.status in self.OPEN


class Booking(models.Model):
    """A child on one occurrence of an activity: one row per child, activity and day,
    whose status changes (booked, on the waiting list, cancelled); every change is kept
    in ``BookingChange`` (Article 10.3)."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("réservé")
        WAITING = "waiting", _("liste d'attente")
        CANCELLED = "cancelled", _("annulé")

    household = models.ForeignKey(
        "accounts.Household", verbose_name=_("foyer"), on_delete=models.CASCADE, related_name="bookings"
    )
    child = models.ForeignKey("accounts.Child", verbose_name=_("enfant"), on_delete=models.CASCADE,
                              related_name="bookings")
    activity = models.ForeignKey(Activity, verbose_name=_("activité"), on_delete=models.PROTECT,
                                 related_name="bookings")
    day = models.DateField(_("jour"))
    status = models.CharField(_("état"), max_length=10, choices=Status.choices)
    booked_at = models.DateTimeField(_("réservé le"), null=True, blank=True)
    booked_by = models.ForeignKey(
        "accounts.User", verbose_name=_("réservé par (parent)"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("Le parent qui a réservé ; vide quand un agent a réservé pour la famille."),
    )
    booked_late = models.BooleanField(_("réservé après le délai"), default=False)
    waiting_since = models.DateTimeField(_("en liste d'attente depuis"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    cancelled_late = models.BooleanField(_("annulé après le délai"), default=False)
    cancelled_sick = models.BooleanField(_("annulé pour enfant malade"), default=False)
    changed_at = models.DateTimeField(_("dernière modification le"))
    changed_by = models.ForeignKey(
        "accounts.User", verbose_name=_("dernière modification par"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    changed_by_agent = models.BooleanField(_("modifié par un agent"), default=False)

    class Meta:
        verbose_name = _("réservation")
        verbose_name_plural = _("réservations")
        ordering = ["day", "activity", "child"]
        constraints = [
            models.UniqueConstraint(fields=["child", "activity", "day"], name="services_booking_one_per_day"),
        ]
        indexes = [
            models.Index(fields=["activity", "day", "status"], name="services_booking_occurrence"),
            models.Index(fields=["child", "day"], name="services_booking_child_day"),
            models.Index(fields=["day", "status"], name="services_booking_day"),
        ]

    def __str__(self):
        return f"{self.child} — {self.activity} — {self.day:%d/%m/%Y} ({self.get_status_display()})"


class BookingChange(models.Model):
    """One line of a child's booking history: what, when, by whom, before and after."""

    class Action(models.TextChoices):
        BOOKED = "booked", _("réservation")
        WAITING = "waiting", _("inscription sur liste d'attente")
        PROMOTED = "promoted", _("place obtenue depuis la liste d'attente")
        CANCELLED = "cancelled", _("annulation")
        SICK = "sick", _("annulation pour enfant malade")
        LEFT_WAITING = "left_waiting", _("retrait de la liste d'attente")
        WAITING_CLOSED = "waiting_closed", _("liste d'attente close (délai passé)")

    booking = models.ForeignKey(Booking, verbose_name=_("réservation"), on_delete=models.CASCADE,
                                related_name="changes")
    household = models.ForeignKey("accounts.Household", verbose_name=_("foyer"), on_delete=models.CASCADE,
                                  related_name="+")
    child = models.ForeignKey("accounts.Child", verbose_name=_("enfant"), on_delete=models.CASCADE,
                              related_name="booking_changes")
    activity = models.ForeignKey(Activity, verbose_name=_("activité"), on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("jour réservé"))
    at = models.DateTimeField(_("le"))
    actor = models.ForeignKey("accounts.User", verbose_name=_("par"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(_("par (libellé)"), max_length=254, blank=True)
    acting_for_family = models.BooleanField(_("agent pour la famille"), default=False)
    action = models.CharField(_("opération"), max_length=16, choices=Action.choices)
    before_status = models.CharField(_("avant"), max_length=10, choices=Booking.Status.choices, blank=True)
    after_status = models.CharField(_("après"), max_length=10, choices=Booking.Status.choices)
    override = models.BooleanField(_("dérogation au délai"), default=False)
    note = models.CharField(_("précision"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("modification de réservation")
        verbose_name_plural = _("historique des réservations")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["child", "-at"], name="services_change_child_time")]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_action_display()} {self.child} {self.day:%d/%m/%Y}"


class Attendance(models.Model):
    """The attendance check (pointage) of one child on one occurrence."""

    class Status(models.TextChoices):
        PRESENT = "present", _("présent")
        ABSENT = "absent", _("absent")

    class AbsenceReason(models.TextChoices):
        SICK = "sick", _("maladie")
        FAMILY = "family", _("raison familiale")
        SCHOOL = "school", _("sortie scolaire ou absence de l'enseignant")
        STRIKE = "strike", _("grève")
        UNKNOWN = "unknown", _("sans nouvelles")
        OTHER = "other", _("autre")

    household = models.ForeignKey("accounts.Household", verbose_name=_("foyer"), on_delete=models.CASCADE,
                                  related_name="+")
    child = models.ForeignKey("accounts.Child", verbose_name=_("enfant"), on_delete=models.CASCADE,
                              related_name="attendances")
    activity = models.ForeignKey(Activity, verbose_name=_("activité"), on_delete=models.PROTECT,
                                 related_name="attendances")
    day = models.DateField(_("jour"))
    status = models.CharField(_("pointage"), max_length=10, choices=Status.choices)
    absence_reason = models.CharField(_("motif d'absence"), max_length=10, choices=AbsenceReason.choices,
                                      blank=True)
    note = models.CharField(_("remarque"), max_length=255, blank=True)
    recorded_at = models.DateTimeField(_("pointé le"))
    recorded_by = models.ForeignKey("accounts.User", verbose_name=_("pointé par"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("pointage")
        verbose_name_plural = _("pointages")
        ordering = ["day", "activity", "child"]
        constraints = [
            models.UniqueConstraint(fields=["child", "activity", "day"], name="services_attendance_one_per_day"),
            models.CheckConstraint(
                condition=Q(status="absent") | Q(absence_reason=""),
                name="services_attendance_reason_only_when_absent",
            ),
        ]
        indexes = [models.Index(fields=["activity", "day"], name="services_attendance_day")]

    def __str__(self):
        return f"{self.child} — {self.activity} — {self.day:%d/%m/%Y} : {self.get_status_display()}"


class AbsenceJustification(models.Model):
    """A parent's declaration that a child was absent for a medical reason, with the
    medical certificate; an agent accepts or refuses it. The bookings it covers are
    fixed when it is declared; once accepted, billing credits them
    (``services.billable``: ``booked_absent_justified``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente de décision")
        ACCEPTED = "accepted", _("acceptée")
        REFUSED = "refused", _("refusée")

    household = models.ForeignKey("accounts.Household", verbose_name=_("foyer"), on_delete=models.CASCADE,
                                  related_name="absence_justifications")
    child = models.ForeignKey("accounts.Child", verbose_name=_("enfant"), on_delete=models.CASCADE,
                              related_name="absence_justifications")
    first_day = models.DateField(_("premier jour d'absence"))
    last_day = models.DateField(_("dernier jour d'absence"))
    document = models.ForeignKey(
        "documents.SupportingDocument", verbose_name=_("certificat médical"), on_delete=models.PROTECT,
        related_name="+",
    )
    bookings = models.ManyToManyField(Booking, verbose_name=_("réservations justifiées"), related_name="+")
    comment = models.TextField(_("message du parent"), blank=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PENDING)
    declared_at = models.DateTimeField(_("déclarée le"))
    declared_by = models.ForeignKey("accounts.User", verbose_name=_("déclarée par"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("décision le"), null=True, blank=True)
    decided_by = models.ForeignKey("accounts.User", verbose_name=_("décision par"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    refusal_reason = models.TextField(_("motif du refus"), blank=True)

    class Meta:
        verbose_name = _("justificatif d'absence")
        verbose_name_plural = _("justificatifs d'absence")
        ordering = ["-declared_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(last_day__gte=F("first_day")), name="services_absence_period"),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="services_absence_refusal_has_reason",
                violation_error_message=_("Un refus doit être motivé."),
            ),
        ]

    def __str__(self):
        return f"{self.child} — {self.first_day:%d/%m/%Y} – {self.last_day:%d/%m/%Y} ({self.get_status_display()})"


class CalendarFeed(models.Model):
    """A secret iCalendar address for one child's bookings, held by one user. Only a
    hash of the token is stored; revoking it closes the address at once."""

    user = models.ForeignKey("accounts.User", verbose_name=_("compte"), on_delete=models.CASCADE,
                             related_name="calendar_feeds")
    child = models.ForeignKey("accounts.Child", verbose_name=_("enfant"), on_delete=models.CASCADE,
                              related_name="calendar_feeds")
    token_hash = models.CharField(_("empreinte du jeton"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("créé le"))
    last_used_at = models.DateTimeField(_("dernière lecture le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda iCalendar")
        verbose_name_plural = _("agendas iCalendar")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.child} ({self.user})"
