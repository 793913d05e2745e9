from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AssistanceRequest


class AcceptRegulationForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    accept = forms.BooleanField(
        label=_("J'ai lu le règlement d'utilisation et je l'accepte."),
        error_messages={"required": _("Cochez la case pour accepter le règlement.")},
    )


class DescribedFieldsMixin:
    """Each input points (aria-describedby) at its help text and its error message, as
    rendered by home/includes/field.html (ids ``id_<name>_aide`` and ``id_<name>_erreur``)."""

    def _describe(self):
        for name, field in self.fields.items():
            ids = []
            if field.help_text:
                ids.append(f"id_{name}_aide")
            if self.is_bound and name in self.errors:
                ids.append(f"id_{name}_erreur")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def full_clean(self):
        super().full_clean()
        self._describe()


class AssistanceForm(DescribedFieldsMixin, forms.ModelForm):
    class Meta:
        model = AssistanceRequest
        fields = ["name", "email", "household_name", "topic", "message"]
        labels = {
            "name": _("Vos nom et prénom"),
            "email": _("Votre adresse e-mail"),
            "household_name": _("Nom du foyer (facultatif)"),
            "topic": _("Sujet"),
            "message": _("Votre message"),
        }
        help_texts = {
            "email": _("La réponse et l'accusé de réception sont envoyés à cette adresse."),
            "message": _("Précisez si possible le numéro de facture, la date ou l'enfant concernés (5 000 caractères au plus)."),
        }
        error_messages = {
            "name": {"required": _("Indiquez votre nom.")},
            "email": {"required": _("Indiquez votre adresse e-mail."),
                      "invalid": _("Indiquez une adresse e-mail valide, par exemple nom@exemple.fr.")},
            "topic": {"required": _("Choisissez un sujet."), "invalid_choice": _("Choisissez un sujet de la liste.")},
            "message": {"required": _("Écrivez votre message."),
                        "max_length": _("Le message dépasse 5 000 caractères.")},
        }
        widgets = {
            "message": forms.Textarea(attrs={"rows": 8, "maxlength": 5000}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("— Choisissez —"))] + list(AssistanceRequest.Topic.choices)
        self._describe()


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher sur le portail"), max_length=200, required=False)
