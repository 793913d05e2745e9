"""The scheduler's lease rows: one per periodic job (see ``ops.scheduler``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicJob(models.Model):
    """The state of one periodic job, shared by every scheduler process.

    A scheduler runs a job for a time slot only after winning a conditional UPDATE on
    this row (``last_slot`` older than the slot, no live lease): two schedulers never
    run one job for the same slot, nor run it twice at the same time."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("réussi")
        FAILURE = "failure", _("échec")
        RUNNING = "running", _("en cours")

    name = models.CharField(_("nom"), max_length=100, unique=True)
    last_slot = models.DateTimeField(_("dernier créneau pris"), null=True, blank=True)
    locked_until = models.DateTimeField(_("verrou jusqu'à"), null=True, blank=True)
    locked_by = models.CharField(_("pris par"), max_length=100, blank=True)
    last_started_at = models.DateTimeField(_("dernier démarrage"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("dernière fin"), null=True, blank=True)
    last_outcome = models.CharField(_("dernier résultat"), max_length=10, choices=Outcome.choices, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    last_duration_ms = models.PositiveIntegerField(_("durée (ms)"), null=True, blank=True)
    runs = models.PositiveIntegerField(_("exécutions"), default=0)
    failures = models.PositiveIntegerField(_("échecs"), default=0)

    class Meta:
        verbose_name = _("tâche périodique")
        verbose_name_plural = _("tâches périodiques")
        ordering = ["name"]

    def __str__(self):
        return self.name
