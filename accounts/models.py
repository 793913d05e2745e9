"""Users: one model for parents and staff; the e-mail address is the identifier."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def normalize_email_address(email):
    """The whole address is compared without case: store it lower-cased and trimmed."""
    return (email or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        email = normalize_email_address(email)
        if not email:
            raise ValueError("Une adresse e-mail est obligatoire.")
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        # Accounts made by staff or commands are trusted; self-registration (accounts.auth_flows)
        # creates inactive, unverified accounts instead.
        extra_fields.setdefault("email_verified_at", timezone.now())
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("email_verified_at", timezone.now())
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if extra_fields.get("is_staff") is not True or extra_fields.get("is_superuser") is not True:
            raise ValueError("Un super-utilisateur doit avoir is_staff et is_superuser.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email=normalize_email_address(username))


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("adresse e-mail"), max_length=254, unique=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("agent de la commune"),
        default=False,
        help_text=_("Les agents peuvent entrer dans l'administration selon leurs groupes."),
    )
    is_active = models.BooleanField(_("actif"), default=True)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)
    preferred_language = models.CharField(
        _("langue préférée"), max_length=8, choices=[("fr", "Français"), ("en", "English")], default="fr"
    )
    email_verified_at = models.DateTimeField(
        _("adresse e-mail vérifiée le"), null=True, blank=True,
        help_text=_("Vide tant que le lien de vérification envoyé à l'inscription n'a pas été suivi."),
    )
    closed_at = models.DateTimeField(
        _("compte fermé le"), null=True, blank=True,
        help_text=_("Rempli quand le titulaire a fermé son compte : l'identifiant est effacé."),
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = normalize_email_address(self.email)

    def save(self, *args, **kwargs):
        self.email = normalize_email_address(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_pending_verification(self):
        """Registered online, verification link not followed yet."""
        return not self.is_active and self.email_verified_at is None and self.closed_at is None

    def get_short_name(self):
        return self.first_name or self.email


# --- Households (fiche famille) ------------------------------------------------------
#
# A household is the family file kept by the commune (Article IV 4.3). Its guardians may
# or may not have a login; rights on children are held per guardian and per child, so
# that separated parents each see only the children they are responsible for.

HOUSEHOLD_CODE_PREFIX = "F-"
HOUSEHOLD_CODE_DIGITS = 6


def next_household_code():
    """The next free code "F-000123" after the highest one in use."""
    last = (
        Household.objects.filter(code__regex=rf"^{HOUSEHOLD_CODE_PREFIX}[0-9]{{{HOUSEHOLD_CODE_DIGITS}}}$")
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    number = int(last[len(HOUSEHOLD_CODE_PREFIX) :]) + 1 if last else 1
    return f"{HOUSEHOLD_CODE_PREFIX}{number:0{HOUSEHOLD_CODE_DIGITS}d}"


class Household(models.Model):
    class FamilySituation(models.TextChoices):
        MARRIED = "married", _("Marié(e)s")
        PACSED = "pacsed", _("Pacsé(e)s")
        COHABITING = "cohabiting", _("En concubinage")
        SINGLE = "single", _("Célibataire")
        SEPARATED = "separated", _("Séparé(e)s")
        DIVORCED = "divorced", _("Divorcé(e)s")
        WIDOWED = "widowed", _("Veuf ou veuve")

    class QuotientSource(models.TextChoices):
        CAF = "caf", _("CAF")
        MSA = "msa", _("MSA")
        TAX_NOTICE = "tax_notice", _("Avis d'imposition")
        NONE = "none", _("Aucun justificatif")

    code = models.CharField(
        _("code famille"),
        max_length=20,
        unique=True,
        blank=True,
        help_text=_("Imprimé sur les factures. Laisser vide pour en attribuer un automatiquement."),
    )
    name = models.CharField(_("nom de la famille"), max_length=150)
    address_line1 = models.CharField(_("adresse"), max_length=200, blank=True)
    address_line2 = models.CharField(_("complément d'adresse"), max_length=200, blank=True)
    postcode = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("commune"), max_length=100, blank=True)
    phone_home = models.CharField(_("téléphone fixe"), max_length=30, blank=True)
    phone_mobile = models.CharField(_("téléphone portable"), max_length=30, blank=True)
    email = models.EmailField(_("adresse e-mail du foyer"), blank=True)
    family_situation = models.CharField(
        _("situation familiale"), max_length=20, choices=FamilySituation.choices, blank=True
    )
    is_resident = models.BooleanField(
        _("résident de la commune"), default=False, help_text=_("Sur justificatif de domicile.")
    )
    family_quotient = models.DecimalField(
        _("quotient familial"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Vide sans justificatif de revenus : la tranche la plus haute s'applique."),
    )
    family_quotient_source = models.CharField(
        _("source du quotient familial"), max_length=20, choices=QuotientSource.choices, default=QuotientSource.NONE
    )
    family_quotient_valid_until = models.DateField(_("quotient familial valable jusqu'au"), null=True, blank=True)
    paper_only = models.BooleanField(
        _("démarches papier uniquement"),
        default=False,
        help_text=_("La famille s'oppose à l'utilisation du portail en ligne (article 5.4) : les agents agissent pour elle."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("foyer")
        verbose_name_plural = _("foyers")
        ordering = ["name", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(family_quotient__isnull=True) | models.Q(family_quotient__gte=0),
                name="accounts_household_quotient_not_negative",
                violation_error_message=_("Le quotient familial ne peut pas être négatif."),
            ),
            models.CheckConstraint(
                condition=models.Q(family_quotient__isnull=True)
                | ~models.Q(family_quotient_source="none"),
                name="accounts_household_quotient_has_source",
                violation_error_message=_("Un quotient familial doit avoir une source (CAF, MSA, avis d'imposition)."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})" if self.code else self.name

    def save(self, *args, **kwargs):
        from django.db import IntegrityError, transaction

        if self.code:
            return super().save(*args, **kwargs)
        # Generate the code; retry if another request took the same one meanwhile.
        for attempt in range(5):
            self.code = next_household_code()
            try:
                with transaction.atomic():
                    return super().save(*args, **kwargs)
            except IntegrityError:
                if attempt == 4 or Household.objects.filter(code=self.code).exists() is False:
                    self.code = ""
                    raise
        return None  # pragma: no cover

    def family_quotient_on(self, day=None):
        """The family quotient usable on ``day`` (today by default), or None when absent or expired."""
        if self.family_quotient is None:
            return None
        day = day or timezone.localdate()
        if self.family_quotient_valid_until and self.family_quotient_valid_until < day:
            return None
        return self.family_quotient

    @property
    def family_quotient_is_valid(self):
        return self.family_quotient_on() is not None


class Guardian(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="guardians", verbose_name=_("foyer")
    )
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guardianships",
        verbose_name=_("compte du portail"),
        help_text=_("Vide si ce responsable n'a pas de compte en ligne."),
    )
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    relationship = models.CharField(_("lien avec les enfants"), max_length=100, blank=True)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    phone_home = models.CharField(_("téléphone fixe"), max_length=30, blank=True)
    phone_mobile = models.CharField(_("téléphone portable"), max_length=30, blank=True)
    phone_work = models.CharField(_("téléphone professionnel"), max_length=30, blank=True)
    is_payer = models.BooleanField(
        _("payeur"), default=False,
        help_text=_("Reçoit et règle les factures. Parents séparés : chacun peut être payeur de ses propres "
                    "factures ; la facturation émet une facture par payeur et ne montre à chacun que les siennes."),
    )
    rights_confirmed = models.BooleanField(
        _("rattachement confirmé"), default=True,
        help_text=_("Faux quand un compte s'est rattaché au foyer sans que la commune connaisse son adresse "
                    "e-mail : un agent vérifie l'identité puis donne les droits sur les enfants."),
    )

    class Meta:
        verbose_name = _("responsable légal")
        verbose_name_plural = _("responsables légaux")
        ordering = ["household", "last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "user"],
                condition=models.Q(user__isnull=False),
                name="accounts_guardian_one_per_user_and_household",
                violation_error_message=_("Ce compte est déjà responsable légal dans ce foyer."),
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip()


class Child(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "F", _("Fille")
        MALE = "M", _("Garçon")

    class ClassLevel(models.TextChoices):
        PS = "PS", _("Petite section")
        MS = "MS", _("Moyenne section")
        GS = "GS", _("Grande section")
        CP = "CP", _("CP")
        CE1 = "CE1", _("CE1")
        CE2 = "CE2", _("CE2")
        CM1 = "CM1", _("CM1")
        CM2 = "CM2", _("CM2")
        NONE = "none", _("Non scolarisé")

    class Diet(models.TextChoices):
        STANDARD = "standard", _("Standard")
        WITHOUT_PORK = "without_pork", _("Sans porc")
        VEGETARIAN = "vegetarian", _("Végétarien")
        MEDICAL = "medical", _("Régime médical")

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="children", verbose_name=_("foyer")
    )
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    birth_date = models.DateField(_("date de naissance"))
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices, blank=True)
    school = models.CharField(_("école"), max_length=150, blank=True)
    class_level = models.CharField(_("classe"), max_length=8, choices=ClassLevel.choices, default=ClassLevel.NONE)
    diet = models.CharField(_("régime alimentaire"), max_length=20, choices=Diet.choices, default=Diet.STANDARD)
    allergies = models.TextField(_("allergies"), blank=True)
    has_medical_plan = models.BooleanField(
        _("PAI"), default=False, help_text=_("Projet d'accueil individualisé (allergie, traitement).")
    )
    doctor_name = models.CharField(_("médecin traitant"), max_length=150, blank=True)
    doctor_phone = models.CharField(_("téléphone du médecin"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("enfant")
        verbose_name_plural = _("enfants")
        ordering = ["household", "birth_date", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "first_name", "birth_date"],
                name="accounts_child_unique_in_household",
                violation_error_message=_("Cet enfant est déjà inscrit dans ce foyer."),
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip()


class GuardianChildRight(models.Model):
    """What one guardian may do for one child (Article 4.1: rights on identified children)."""

    guardian = models.ForeignKey(
        Guardian, on_delete=models.CASCADE, related_name="child_rights", verbose_name=_("responsable légal")
    )
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="guardian_rights", verbose_name=_("enfant"))
    can_view = models.BooleanField(_("voir"), default=True)
    can_book = models.BooleanField(_("inscrire et réserver"), default=False)
    can_pay = models.BooleanField(_("payer"), default=False)

    class Meta:
        verbose_name = _("droit sur un enfant")
        verbose_name_plural = _("droits sur les enfants")
        constraints = [
            models.UniqueConstraint(
                fields=["guardian", "child"],
                name="accounts_right_unique_guardian_child",
                violation_error_message=_("Ce responsable a déjà des droits sur cet enfant."),
            ),
            models.CheckConstraint(
                condition=models.Q(can_view=True) | models.Q(can_book=False, can_pay=False),
                name="accounts_right_act_implies_view",
                violation_error_message=_("Réserver ou payer suppose de pouvoir voir l'enfant."),
            ),
        ]

    def __str__(self):
        return f"{self.guardian} → {self.child}"

    def clean(self):
        super().clean()
        if self.guardian_id and self.child_id and self.guardian.household_id != self.child.household_id:
            from django.core.exceptions import ValidationError

            raise ValidationError(_("Le responsable et l'enfant doivent appartenir au même foyer."))


class AuthorisedPerson(models.Model):
    """A person allowed to pick the child up at the end of an activity."""

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="authorised_persons", verbose_name=_("enfant")
    )
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    relationship = models.CharField(_("lien avec l'enfant"), max_length=100, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    valid_from = models.DateField(_("à partir du"), default=timezone.localdate)
    valid_until = models.DateField(_("jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("personne autorisée")
        verbose_name_plural = _("personnes autorisées")
        ordering = ["child", "last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
                name="accounts_authorised_person_period",
                violation_error_message=_("La fin de validité doit suivre le début."),
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip()


class Authorisation(models.Model):
    """A consent given for a child, with its author and date (the current answer per kind)."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Droit à l'image")
        EMERGENCY_CARE = "emergency_care", _("Soins d'urgence")
        LEAVE_ALONE = "leave_alone", _("Partir seul")
        TRANSPORT = "transport", _("Transport")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="authorisations", verbose_name=_("enfant"))
    kind = models.CharField(_("autorisation"), max_length=20, choices=Kind.choices)
    granted = models.BooleanField(_("accordée"), default=False)
    given_by = models.ForeignKey(
        Guardian,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="authorisations_given",
        verbose_name=_("donnée par"),
    )
    given_at = models.DateTimeField(_("donnée le"), default=timezone.now)

    class Meta:
        verbose_name = _("autorisation")
        verbose_name_plural = _("autorisations")
        ordering = ["child", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["child", "kind"], name="accounts_authorisation_unique_kind"),
        ]

    def __str__(self):
        return f"{self.child} — {self.get_kind_display()}"


class AuditEventQuerySet(models.QuerySet):
    """Events are written once and never changed: bulk updates and deletes are refused."""

    def update(self, **kwargs):
        raise AuditTrailIsAppendOnly("Le journal des opérations ne peut pas être modifié.")

    def delete(self):
        raise AuditTrailIsAppendOnly("Le journal des opérations ne peut pas être effacé.")


class AuditTrailIsAppendOnly(Exception):
    pass


class AuditEvent(models.Model):
    """One traced operation (Article 4.1): who, on whose behalf, when, on what, before/after.

    Append-only: the model refuses updates and deletes, and on PostgreSQL a trigger
    refuses them in the database too (migration 0003). The actor and household are kept
    as ids without foreign-key constraints, with a readable label, so that the trail
    outlives the rows it speaks of."""

    # Not a piece of content: Wagtail's reference index would queue a task per event.
    wagtail_reference_index_ignore = True

    class Action(models.TextChoices):
        LOGIN = "login", _("connexion")
        LOGIN_FAILED = "login_failed", _("connexion refusée")
        LOGOUT = "logout", _("déconnexion")
        ENROLMENT = "enrolment", _("inscription")
        BOOKING = "booking", _("réservation")
        CANCELLATION = "cancellation", _("annulation")
        PAYMENT = "payment", _("paiement")
        AUTHORISATION = "authorisation", _("autorisation")
        DOCUMENT = "document", _("transfert de document")
        CONTACT_CHANGE = "contact_change", _("modification des coordonnées")
        FAMILY_CHANGE = "family_change", _("modification de la fiche famille")
        REGULATION_ACCEPTANCE = "regulation_acceptance", _("acceptation du règlement")
        STAFF_OVERRIDE = "staff_override", _("dérogation d'un agent")
        REGISTRATION = "registration", _("création de compte")
        EMAIL_VERIFIED = "email_verified", _("adresse e-mail vérifiée")
        PASSWORD_RESET = "password_reset", _("réinitialisation du mot de passe")
        PASSWORD_CHANGE = "password_change", _("changement de mot de passe")
        EMAIL_CHANGE = "email_change", _("changement d'adresse e-mail")
        LOCKOUT = "lockout", _("blocage après échecs de connexion")
        SECOND_FACTOR = "second_factor", _("second facteur")
        HOUSEHOLD_LINK = "household_link", _("rattachement au foyer")
        CHANGE_REQUEST = "change_request", _("demande de modification")
        CHANGE_DECISION = "change_decision", _("décision sur une demande de modification")
        PAPER_MODE = "paper_mode", _("passage en mode papier ou retour en ligne")
        DATA_EXPORT = "data_export", _("export des données")
        GDPR_REQUEST = "gdpr_request", _("demande RGPD")
        ACCOUNT_CLOSED = "account_closed", _("fermeture du compte")
        WAITING_LIST = "waiting_list", _("liste d'attente")
        ATTENDANCE = "attendance", _("pointage")
        ABSENCE_JUSTIFICATION = "absence_justification", _("justificatif d'absence")
        HALL_REQUEST = "hall_request", _("demande de location de salle")
        HALL_DECISION = "hall_decision", _("décision sur une location de salle")
        INVOICE = "invoice", _("facture")
        CREDIT_NOTE = "credit_note", _("avoir")
        DOCUMENT_VALIDATION = "document_validation", _("validation de document")
        DOCUMENT_DOWNLOAD = "document_download", _("téléchargement de document")
        DOCUMENT_DELETION = "document_deletion", _("suppression de document")
        ASSISTANCE_REQUEST = "assistance_request", _("demande d'assistance")
        STAFF_EXPORT = "staff_export", _("export par le personnel")
        API_TOKEN = "api_token", _("jeton d'accès à l'API")

    class Channel(models.TextChoices):
        WEB = "web", _("portail")
        API = "api", _("API des familles")
        ADMIN = "admin", _("administration")
        SYSTEM = "system", _("traitement automatique")

    occurred_at = models.DateTimeField(_("date et heure"), default=timezone.now, db_index=True)
    action = models.CharField(_("opération"), max_length=32, choices=Action.choices, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("auteur"), null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+",
    )
    actor_label = models.CharField(_("auteur (libellé)"), max_length=254, blank=True)
    household = models.ForeignKey(
        "accounts.Household", verbose_name=_("pour le foyer"), null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+",
    )
    child = models.ForeignKey(
        "accounts.Child", verbose_name=_("enfant concerné"), null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+",
        help_text=_("L'historique d'un parent ne montre que les enfants sur lesquels il a des droits."),
    )
    guardian = models.ForeignKey(
        "accounts.Guardian", verbose_name=_("responsable concerné"), null=True, blank=True,
        on_delete=models.DO_NOTHING, db_constraint=False, related_name="+",
        help_text=_("Pour les opérations d'un seul payeur (factures, paiements) : les autres responsables "
                    "du foyer ne les voient pas dans leur historique."),
    )
    acting_for_family = models.BooleanField(
        _("agent agissant pour la famille"), default=False,
        help_text=_("Vrai quand un agent fait l'opération au nom du foyer."),
    )
    object_type = models.CharField(_("type d'objet"), max_length=100, blank=True)
    object_id = models.CharField(_("identifiant de l'objet"), max_length=64, blank=True)
    summary = models.CharField(_("résumé"), max_length=255, blank=True)
    before = models.JSONField(_("avant"), null=True, blank=True)
    after = models.JSONField(_("après"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    request_id = models.CharField(_("identifiant de requête"), max_length=64, blank=True)
    channel = models.CharField(
        _("canal"), max_length=10, choices=Channel.choices, default=Channel.SYSTEM, db_index=True,
        help_text=_("Par où l'opération est arrivée : le portail, l'API des familles, l'administration, "
                    "ou un traitement automatique (tâche planifiée, commande)."),
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement du journal")
        verbose_name_plural = _("journal des opérations")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["household", "-occurred_at"], name="audit_household_time")]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.actor_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AuditTrailIsAppendOnly("Le journal des opérations ne peut pas être modifié.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly("Le journal des opérations ne peut pas être effacé.")


# --- Account security: throttles, rate limits, second factor -------------------------


class LoginThrottle(models.Model):
    """Failed-login counter for one key (an account, a trusted device of an account, an IP
    address, a second-factor check). See ``accounts.throttle`` for the rules."""

    key = models.CharField(max_length=200, unique=True)
    failures = models.PositiveIntegerField(default=0)
    day_started_at = models.DateTimeField(null=True, blank=True)
    day_failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    blocked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("compteur d'échecs de connexion")
        verbose_name_plural = _("compteurs d'échecs de connexion")

    def __str__(self):
        return self.key


class RateCounter(models.Model):
    """Hits of one key in a fixed window (``accounts.ratelimit``)."""

    key = models.CharField(max_length=200, unique=True)
    window_started_at = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("compteur de limite de débit")
        verbose_name_plural = _("compteurs de limite de débit")

    def __str__(self):
        return self.key


class SecondFactor(models.Model):
    """A staff member's TOTP authenticator (RFC 6238, 30-second steps, 6 digits)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="second_factor",
                                verbose_name=_("agent"))
    secret = models.CharField(_("secret"), max_length=64)
    confirmed_at = models.DateTimeField(_("activé le"), null=True, blank=True)
    last_used_step = models.BigIntegerField(_("dernier pas de temps utilisé"), default=0)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("second facteur")
        verbose_name_plural = _("seconds facteurs")

    def __str__(self):
        return str(self.user)


class RecoveryCode(models.Model):
    """A single-use recovery code, stored hashed (shown once at enrolment)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=128)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("code de secours")
        verbose_name_plural = _("codes de secours")


class EmailPreference(models.Model):
    """A parent's choice for one kind of optional e-mail (``accounts.preferences``)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_preferences")
    kind = models.CharField(max_length=40)
    enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("préférence d'e-mail")
        verbose_name_plural = _("préférences d'e-mail")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="accounts_email_preference_unique")]


# --- Requests that staff answer ----------------------------------------------------------


class ChangeRequest(models.Model):
    """A change to a field the commune checks (address, family quotient, family situation:
    ``settings.PORTAL_CHECKED_HOUSEHOLD_FIELDS``), accepted or refused by an agent.

    ``changes`` maps each field to ``{"before": ..., "after": ...}``: the old value is
    kept whatever the decision."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        ACCEPTED = "accepted", _("acceptée")
        REFUSED = "refused", _("refusée")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="change_requests",
                                  verbose_name=_("foyer"))
    requested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                     verbose_name=_("demandée par"))
    requested_by_label = models.CharField(_("demandée par (libellé)"), max_length=254, blank=True)
    created_at = models.DateTimeField(_("demandée le"), default=timezone.now)
    changes = models.JSONField(_("modifications"))
    comment = models.TextField(_("commentaire du parent"), blank=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    decided_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("décidée par"))
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    reason = models.TextField(_("motif de la décision"), blank=True)

    class Meta:
        verbose_name = _("demande de modification")
        verbose_name_plural = _("demandes de modification")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.household} — {', '.join(self.field_labels())}"

    def field_labels(self):
        labels = []
        for name in self.changes or {}:
            try:
                labels.append(str(Household._meta.get_field(name).verbose_name))
            except Exception:  # a field removed since
                labels.append(name)
        return labels


def one_month_after(day):
    """The same day of the next month (the last day when the next month is shorter)."""
    import calendar

    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class GdprRequest(models.Model):
    """A request exercising a right of Article 5.3/5.4, answered within one month."""

    class Kind(models.TextChoices):
        RECTIFICATION = "rectification", _("Rectification")
        OPPOSITION = "opposition", _("Opposition (démarches papier)")
        ERASURE = "erasure", _("Effacement")
        RESTRICTION = "restriction", _("Limitation")
        OTHER = "other", _("Autre question sur mes données")

    class Status(models.TextChoices):
        OPEN = "open", _("ouverte")
        ANSWERED = "answered", _("répondue")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="gdpr_requests",
                                  verbose_name=_("foyer"))
    requested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                     verbose_name=_("demandée par"))
    requested_by_label = models.CharField(_("demandée par (libellé)"), max_length=254, blank=True)
    kind = models.CharField(_("droit exercé"), max_length=20, choices=Kind.choices)
    message = models.TextField(_("demande"))
    created_at = models.DateTimeField(_("reçue le"), default=timezone.now)
    due_on = models.DateField(_("réponse due le"))
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    answer = models.TextField(_("réponse"), blank=True)
    answered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                    verbose_name=_("répondue par"))
    answered_at = models.DateTimeField(_("répondue le"), null=True, blank=True)

    class Meta:
        verbose_name = _("demande RGPD")
        verbose_name_plural = _("demandes RGPD")
        ordering = ["status", "due_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.household}"

    def save(self, *args, **kwargs):
        if not self.due_on:
            self.due_on = one_month_after(timezone.localtime(self.created_at).date())
        super().save(*args, **kwargs)

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.status == self.Status.OPEN and self.due_on < today

    def deadline_label(self):
        """For the staff list: said in words, not by colour alone."""
        if self.status != self.Status.OPEN:
            return _("répondue")
        return _("EN RETARD") if self.is_overdue() else _("dans les délais")

    deadline_label.short_description = _("délai")
