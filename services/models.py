"""The municipal services, their activities and the rules that govern them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
