"""Forms of the family screens of the services (``services.views_family``).

They only read and type the input; every rule (rights, regulation, paper households,
eligibility, documents, places, delays) is checked by the domain functions the views
call. Choices are limited to what the user may see: a child, a certificate or a feed
that is not theirs never reaches a form (the view answers 404 first)."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CLASS_LEVEL_CHOICES, Enrolment

MAX_COMMENT = 1000


def child_choices(children):
    return [(str(child.pk), f"{child.first_name} {child.last_name}") for child in children]


class EnrolForm(forms.Form):
    """The enrolment request: child, activity of the service, period; for a school
    enrolment, the class asked for, the school wished and the derogation reason."""

    child = forms.ChoiceField(label=_("Enfant"))
    activity = forms.ChoiceField(label=_("Activité"))
    period = forms.ChoiceField(label=_("Période"))
    requested_level = forms.ChoiceField(label=_("Classe demandée"), required=False,
                                        choices=[("", _("— choisir —")), *CLASS_LEVEL_CHOICES])
    requested_school = forms.CharField(
        label=_("École souhaitée (pour une dérogation)"), required=False, max_length=150,
        help_text=_("Seulement si vous demandez une école hors de votre secteur."))
    derogation_reason = forms.ChoiceField(label=_("Motif de dérogation"), required=False,
                                          choices=[("", _("sans dérogation")), *Enrolment.Derogation.choices])
    derogation_details = forms.CharField(label=_("Précisions sur la dérogation"), required=False,
                                         max_length=MAX_COMMENT, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, children, activities, periods, is_school, **kwargs):
        super().__init__(*args, **kwargs)
        self.activities = {str(activity.pk): activity for activity in activities}
        self.periods = periods  # {activity_pk: [Period, ...]}
        self.is_school = is_school
        self.fields["child"].choices = child_choices(children)
        self.fields["activity"].choices = [(key, activity.name) for key, activity in self.activities.items()]
        labels = {}
        for activity_periods in periods.values():
            for period in activity_periods:
                labels.setdefault(period.start.isoformat(), period.label)
        self.fields["period"].choices = sorted(labels.items())
        if not is_school:
            for name in ("requested_level", "requested_school", "derogation_reason", "derogation_details"):
                del self.fields[name]
        else:
            self.fields["requested_level"].required = True

    def clean(self):
        data = super().clean()
        activity = self.activities.get(data.get("activity") or "")
        period = data.get("period")
        if activity is not None and period:
            starts = {p.start.isoformat() for p in self.periods.get(activity.pk, [])}
            if period not in starts:
                self.add_error("period", _("Cette période n'est pas ouverte pour cette activité."))
        if self.is_school and data.get("derogation_reason") and not (data.get("requested_school") or "").strip():
            self.add_error("requested_school", _("Indiquez l'école demandée pour la dérogation."))
        return data

    @property
    def chosen_activity(self):
        return self.activities[self.cleaned_data["activity"]]

    @property
    def period_start(self):
        return dt.date.fromisoformat(self.cleaned_data["period"])


class AbsenceForm(forms.Form):
    """An absence of a child, from the first to the last day, with a medical certificate."""

    child = forms.ChoiceField(label=_("Enfant"))
    first_day = forms.DateField(label=_("Premier jour d'absence"), widget=forms.DateInput(attrs={"type": "date"}),
                                help_text=_("Le premier jour où l'enfant n'est pas venu."))
    last_day = forms.DateField(label=_("Dernier jour d'absence"), widget=forms.DateInput(attrs={"type": "date"}),
                               help_text=_("Le même jour pour une absence d'une journée."))
    document = forms.ChoiceField(label=_("Certificat médical"),
                                 help_text=_("Un certificat déjà envoyé dans vos justificatifs."))
    comment = forms.CharField(label=_("Message pour le service (facultatif)"), required=False, max_length=MAX_COMMENT,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, children, certificates, **kwargs):
        super().__init__(*args, **kwargs)
        names = {child.pk: child.first_name for child in children}
        self.fields["child"].choices = child_choices(children)
        self.fields["document"].choices = [
            (str(document.pk), _("%(child)s — %(type)s, envoyé le %(day)s (%(status)s)") % {
                "child": names.get(document.child_id, ""), "type": document.document_type.name,
                "day": document.uploaded_at.strftime("%d/%m/%Y"), "status": document.get_status_display()})
            for document in certificates
        ]
        self.certificates = {str(document.pk): document for document in certificates}

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("Le dernier jour d'absence doit suivre le premier."))
        return data

    @property
    def certificate(self):
        return self.certificates[self.cleaned_data["document"]]
