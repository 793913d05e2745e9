"""Supporting documents families upload (issue 7).

The two core models are fixed here so that other areas can point at them (an absence
justification points at its medical certificate); the documents area adds the files
(several pages per document), checks, validation, expiry and retention around them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentType(models.Model):
    """A kind of supporting document staff define: proof of address, CAF certificate,
    vaccination record, insurance certificate, medical plan, medical certificate..."""

    class Scope(models.TextChoices):
        HOUSEHOLD = "household", _("pour le foyer")
        CHILD = "child", _("pour un enfant")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    scope = models.CharField(_("concerne"), max_length=20, choices=Scope.choices, default=Scope.HOUSEHOLD)
    validity_days = models.PositiveIntegerField(
        _("durée de validité (jours)"), null=True, blank=True, help_text=_("Vide : sans limite de validité.")
    )
    required_for_activities = models.ManyToManyField(
        "services.Activity",
        verbose_name=_("exigée pour les activités"),
        blank=True,
        related_name="required_document_types",
    )
    required_for_hall_hire = models.BooleanField(_("exigée pour louer une salle"), default=False)
    is_active = models.BooleanField(_("en usage"), default=True)

    class Meta:
        verbose_name = _("type de pièce justificative")
        verbose_name_plural = _("types de pièces justificatives")
        ordering = ["name"]

    def __str__(self):
        return self.name


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

    class Meta:
        verbose_name = _("pièce justificative")
        verbose_name_plural = _("pièces justificatives")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="documents_rejection_has_reason",
                violation_error_message=_("Un refus doit être motivé."),
            ),
        ]
        indexes = [models.Index(fields=["household", "document_type", "status"])]

    def __str__(self):
        return f"{self.document_type} — {self.child or self.household}"
