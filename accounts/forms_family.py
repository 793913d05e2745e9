"""Forms of the parent's family-file screens. Each lists only the fields a parent may
change: anything else posted (household, status, rights, staff flags) is ignored."""

from django import forms
from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _

from . import family, preferences
from .forms import AccessibleFormMixin
from .models import Authorisation, AuthorisedPerson, Child, GdprRequest, Guardian, Household


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def household_form_class(fields):
    return modelform_factory(Household, form=type("HouseholdBase", (AccessibleFormMixin, forms.ModelForm), {}),
                             fields=fields)


def household_direct_form(*args, **kwargs):
    return household_form_class(family.direct_household_fields())(*args, **kwargs)


class ChangeRequestFormMixin:
    comment = forms.CharField(label=_("Commentaire pour la commune"), required=False, widget=forms.Textarea(
        attrs={"rows": 3}), help_text=_("Par exemple la date du déménagement ou le justificatif que vous apportez."))


def change_request_form(*args, **kwargs):
    base = household_form_class(family.checked_household_fields())
    form_class = type("ChangeRequestForm", (base,), {"comment": ChangeRequestFormMixin.comment})
    form = form_class(*args, **kwargs)
    for field in form.fields.values():
        field.required = False
    return form


class GuardianForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Guardian
        fields = family.GUARDIAN_FIELDS


class ChildForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Child
        fields = family.CHILD_FIELDS
        widgets = {"allergies": forms.Textarea(attrs={"rows": 3})}


class AuthorisedPersonForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = AuthorisedPerson
        fields = family.AUTHORISED_PERSON_FIELDS
        widgets = {"valid_from": DateInput(), "valid_until": DateInput()}
        help_texts = {"valid_until": _("Vide : sans date de fin.")}

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("La fin de validité doit suivre le début."))
        return data


YES_NO = [("yes", _("Oui")), ("no", _("Non"))]


class AuthorisationsForm(AccessibleFormMixin, forms.Form):
    """One yes/no question per kind of authorisation."""

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        for kind, label in Authorisation.Kind.choices:
            initial = None if kind not in current else ("yes" if current[kind] else "no")
            self.fields[kind] = forms.ChoiceField(label=label, choices=YES_NO, widget=forms.RadioSelect,
                                                  initial=initial, required=False)
        self._describe()

    def answers(self):
        return {kind: value == "yes" for kind, value in self.cleaned_data.items() if value in ("yes", "no")}


class HouseholdLinkForm(AccessibleFormMixin, forms.Form):
    code = forms.CharField(label=_("Code famille"), max_length=20,
                           help_text=_("Imprimé sur vos factures, par exemple F-000123."))
    birth_date = forms.DateField(label=_("Date de naissance d'un de vos enfants"), widget=DateInput())


class GdprRequestForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = GdprRequest
        fields = ["kind", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"message": _("Par exemple : ce qui est inexact et la bonne valeur.")}


class EmailPreferencesForm(AccessibleFormMixin, forms.Form):
    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        for kind, label in preferences.OPTIONAL_KINDS.items():
            self.fields[kind] = forms.BooleanField(label=label, required=False, initial=current.get(kind, True))
        self._describe()
