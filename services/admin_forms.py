"""Forms of the agents' screens (``services.admin_views``): they only read and clean
what the agent typed; the rules are checked by the domain functions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Attendance, CalendarPeriod, SchoolYear


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Motif (la famille le lira)"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=2000,
                             error_messages={"required": _("Indiquez le motif : la famille le lira.")})

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Indiquez le motif : la famille le lira."))
        return reason


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Message à la famille (facultatif)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class SchoolRegistrationForm(forms.Form):
    school = forms.CharField(label=_("École d'affectation"), required=False, max_length=150)
    derogation_granted = forms.TypedChoiceField(
        label=_("Dérogation"), required=False, coerce=lambda value: value == "yes", empty_value=None,
        choices=[("", _("sans objet")), ("yes", _("accordée : l'école demandée")), ("no", _("refusée"))],
    )
    note = forms.CharField(label=_("Message à la famille (facultatif)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, enrolment=None, **kwargs):
        super().__init__(*args, **kwargs)
        if enrolment is None or not enrolment.derogation_reason:
            del self.fields["derogation_granted"]
        else:
            self.fields["derogation_granted"].choices = [("yes", _("accordée : l'école demandée")),
                                                         ("no", _("refusée"))]
            self.fields["derogation_granted"].required = True


class PrepaymentForm(forms.Form):
    reference = forms.CharField(label=_("Référence du paiement (reçu, PayFiP…)"), max_length=100)


class EnrolmentFilterForm(forms.Form):
    STATES = [
        ("todo", _("à traiter (en attente de validation ou d'admission)")),
        ("pending", _("en attente de validation")),
        ("registered", _("inscrits par la commune, en attente d'admission")),
        ("waiting", _("sur liste d'attente")),
        ("active", _("inscrits")),
        ("refused", _("refusées")),
        ("withdrawn", _("annulées")),
        ("all", _("toutes")),
    ]
    state = forms.ChoiceField(label=_("État"), choices=STATES, required=False)
    service = forms.ModelChoiceField(label=_("Service"), queryset=None, required=False,
                                     empty_label=_("tous les services"))
    activity = forms.ModelChoiceField(label=_("Activité"), queryset=None, required=False,
                                      empty_label=_("toutes les activités"))
    q = forms.CharField(label=_("Enfant ou foyer (nom, code)"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        from .models import Activity, Service

        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.order_by("order", "name")
        self.fields["activity"].queryset = Activity.objects.exclude(shape=Activity.Shape.HALL_SLOT).select_related(
            "service").order_by("service__order", "name")


class AbsenceFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("État"), required=False, choices=[
        ("pending", _("en attente de décision")), ("accepted", _("acceptés")), ("refused", _("refusés")),
        ("all", _("tous"))])


class MarkForm(forms.Form):
    ACTIONS = [("present", _("présent")), ("absent", _("absent")), ("unmark", _("effacer le pointage"))]
    action = forms.ChoiceField(choices=ACTIONS)
    child = forms.IntegerField()
    reason = forms.ChoiceField(required=False, choices=[("", "")] + list(Attendance.AbsenceReason.choices))


class CapacityForm(forms.Form):
    MODES = [("set", _("fixer le nombre de places de ces jours")),
             ("reset", _("revenir au nombre de places de l'activité"))]
    start = forms.DateField(label=_("Du"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Au (inclus)"), widget=forms.DateInput(attrs={"type": "date"}))
    mode = forms.ChoiceField(label=_("Opération"), choices=MODES, widget=forms.RadioSelect, initial="set")
    capacity = forms.IntegerField(label=_("Places"), min_value=0, max_value=100000, required=False,
                                  help_text=_("Vide : sans limite."))
    label = forms.CharField(label=_("Intitulé de la séance (facultatif)"), required=False, max_length=150,
                            help_text=_("Par exemple « Sortie patinoire » ; vide : inchangé."))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Le dernier jour doit être égal ou postérieur au premier jour."))
        return data


class IcsImportForm(forms.Form):
    file = forms.FileField(label=_("Fichier iCalendar (.ics)"))
    kind = forms.ChoiceField(label=_("Les événements du fichier sont des"), choices=CalendarPeriod.Kind.choices)
    school_year = forms.ModelChoiceField(label=_("Année scolaire"), queryset=SchoolYear.objects.all(),
                                         required=False, empty_label=_("aucune"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith((".ics", ".ical", ".ifb", ".icalendar")):
            raise forms.ValidationError(_("Choisissez un fichier iCalendar (.ics)."))
        return uploaded


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(label=_("Nom ou code du foyer, prénom ou nom d'un enfant"), required=False, max_length=100)
