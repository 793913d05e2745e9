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
        if errors:
            raise ValidationError(errors)

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
