"""Supporting documents families upload (issue 7).

``DocumentType`` and ``SupportingDocument`` are the core models other areas point at (an
absence justification points at its medical certificate). A document holds one or more
files (``DocumentFile``: the pages, photos or PDFs) kept in the private storage
(``documents.storage``), never under a public URL.

The rules live beside the models: checks on the files (``checks``), upload and deletion
(``uploads``), validation by agents (``review``), what an enrolment or a booking needs
(``rules``), who may see what (``access``), expiry reminders and retention (``jobs``).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext, gettext_lazy as _

from .storage import private_file_name, private_storage


class DocumentType(models.Model):
    """A kind of supporting document staff define: proof of address, CAF certificate,
    vaccination record, insurance certificate, medical plan, medical certificate..."""

    class Scope(models.TextChoices):
        HOUSEHOLD = "household", _("pour le foyer")
        CHILD = "child", _("pour un enfant")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=150)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Montrée aux familles sur l'écran de dépôt.")
    )
    scope = models.CharField(_("concerne"), max_length=20, choices=Scope.choices, default=Scope.HOUSEHOLD)
    validity_days = models.PositiveIntegerField(
        _("durée de validité (jours)"),
        null=True,
        blank=True,
        help_text=_(
            "Comptée depuis la date du document (ou depuis la validation si la famille ne l'indique pas) ; "
            "l'agent peut corriger la date de fin. Vide : sans limite de validité."
        ),
    )
    required_for_activities = models.ManyToManyField(
        "services.Activity",
        verbose_name=_("exigée pour les activités"),
        blank=True,
        related_name="required_document_types",
    )
    required_for_hall_hire = models.BooleanField(_("exigée pour louer une salle"), default=False)
    pending_is_enough = models.BooleanField(
        _("une pièce en attente de validation suffit"),
        default=False,
        help_text=_(
            "Coché : une pièce déposée et pas encore examinée ne bloque pas l'inscription ni la réservation. "
            "Décoché (par défaut) : seule une pièce validée et valable à la date demandée compte."
        ),
    )
    retention_days = models.PositiveIntegerField(
        _("durée de conservation (jours)"),
        null=True,
        blank=True,
        help_text=_(
            "Durée pendant laquelle la pièce est gardée après la fin de sa validité, après son refus ou après "
            "son remplacement par une pièce plus récente ; elle est ensuite effacée avec ses fichiers. "
            "Vide : la durée fixée pour toute la commune."
        ),
    )
    is_active = models.BooleanField(_("en usage"), default=True)

    class Meta:
        verbose_name = _("type de pièce justificative")
        verbose_name_plural = _("types de pièces justificatives")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.required_for_hall_hire and self.scope == self.Scope.CHILD:
            raise ValidationError(
                {"required_for_hall_hire": _("Une pièce exigée pour louer une salle doit concerner le foyer.")}
            )

    @property
    def effective_retention_days(self):
        if self.retention_days is not None:
            return self.retention_days
        return settings.PORTAL_DOCUMENTS_RETENTION_DAYS

    def default_valid_until(self, issued_on=None, *, today=None):
        """The end of validity proposed to the agent: the document's date (or today) plus
        the validity period; None for a type without limit."""
        if self.validity_days is None:
            return None
        start = issued_on or today or timezone.localdate()
        return start + datetime.timedelta(days=self.validity_days)


class SupportingDocument(models.Model):
    """One document a family sent, for the household or for one child."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente de validation")
        ACCEPTED = "accepted", _("validée")
        REJECTED = "rejected", _("refusée")

    household = models.ForeignKey(
        "accounts.Household", verbose_name=_("foyer"), on_delete=models.CASCADE, related_name="documents"
    )
    child = models.ForeignKey(
        "accounts.Child",
        verbose_name=_("enfant"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
    )
    document_type = models.ForeignKey(
        DocumentType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="documents"
    )
    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.PENDING)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déposée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("déposée le"), default=timezone.now)
    issued_on = models.DateField(
        _("date du document"), null=True, blank=True, help_text=_("La date portée sur le document, si la famille l'indique.")
    )
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("examinée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("examinée le"), null=True, blank=True)
    rejection_reason = models.TextField(_("motif du refus"), blank=True)
    expiry_reminded_at = models.DateTimeField(_("rappel d'expiration envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("pièce justificative")
        verbose_name_plural = _("pièces justificatives")
        ordering = ["-uploaded_at", "-id"]
        permissions = [("review_supportingdocument", _("Peut valider ou refuser une pièce justificative"))]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="documents_rejection_has_reason",
                violation_error_message=_("Un refus doit être motivé."),
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(reviewed_at__isnull=False),
                name="documents_reviewed_has_date",
                violation_error_message=_("Une pièce examinée doit avoir une date d'examen."),
            ),
        ]
        indexes = [
            models.Index(fields=["household", "document_type", "status"]),
            models.Index(fields=["status", "uploaded_at"], name="documents_queue"),
            models.Index(fields=["status", "valid_until"], name="documents_expiry"),
        ]

    def __str__(self):
        return f"{self.document_type} — {self.child or self.household}"

    @property
    def concerns(self):
        """Who the document is for: the child, or the household."""
        return self.child or self.household

    @property
    def concerns_label(self):
        """"Léa Martin", or "foyer MARTIN" (in the active language)."""
        if self.child_id:
            return str(self.child)
        return gettext("foyer %(name)s") % {"name": self.household.name}

    def is_valid_on(self, day):
        return self.status == self.Status.ACCEPTED and (self.valid_until is None or self.valid_until >= day)

    def is_expired_on(self, day):
        return self.status == self.Status.ACCEPTED and self.valid_until is not None and self.valid_until < day

    def state_text(self, today=None):
        """The state as a family reads it on ``today``."""
        today = today or timezone.localdate()
        if self.status == self.Status.PENDING:
            return gettext("En attente de validation")
        if self.status == self.Status.REJECTED:
            return gettext("Refusée")
        if self.valid_until is None:
            return gettext("Validée, sans limite de validité")
        date = formats.date_format(self.valid_until, "j F Y")
        if self.valid_until < today:
            return gettext("Expirée : elle était valable jusqu'au %(date)s") % {"date": date}
        return gettext("Validée, valable jusqu'au %(date)s") % {"date": date}

    @property
    def parent_may_delete(self):
        """A parent may delete a document that is not (or no longer) validated."""
        return self.status in (self.Status.PENDING, self.Status.REJECTED)


class DocumentFile(models.Model):
    """One file (a page, a photo, a PDF) of a supporting document, in the private storage.

    The stored name is generated by the server; the name the family's file had is kept,
    cleaned, only to name the download."""

    document = models.ForeignKey(
        SupportingDocument, verbose_name=_("pièce"), on_delete=models.CASCADE, related_name="files"
    )
    position = models.PositiveSmallIntegerField(_("rang"), default=1)
    file = models.FileField(_("fichier"), storage=private_storage, upload_to=private_file_name, max_length=200)
    original_name = models.CharField(_("nom d'origine"), max_length=150)
    content_type = models.CharField(_("type de contenu"), max_length=50)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("ajouté le"), default=timezone.now)

    class Meta:
        verbose_name = _("fichier d'une pièce")
        verbose_name_plural = _("fichiers des pièces")
        ordering = ["document", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="documents_file_unique_position"),
        ]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self):
        return self.content_type.startswith("image/")

    @property
    def is_pdf(self):
        return self.content_type == "application/pdf"
