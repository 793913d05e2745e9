"""Forms of the hall-hire screens. They check the shape of what is posted; the rules
(dates, residence, documents, availability) are checked by ``halls.hire``."""

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from accounts.households import households_for
from accounts.models import Guardian

from .hire import RequesterDetails
from .identifiers import is_valid_association_number, normalize_association_number
from .models import HallRequest


class HouseholdChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        residence = _("résident de la commune") if obj.is_resident else _("non résident")
        return f"{obj.name} ({obj.code}) — {residence}"


class HallRequestForm(forms.Form):
    """The request for one hall. Only these fields are read: a posted price, status or
    household of someone else changes nothing."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           help_text=_("Le jour où commence le créneau."))
    slot = forms.ModelChoiceField(label=_("Créneau"), queryset=None, empty_label=None, widget=forms.RadioSelect)
    requester_kind = forms.ChoiceField(
        label=_("La demande est faite pour"),
        choices=HallRequest.RequesterKind.choices,
        initial=HallRequest.RequesterKind.PERSON,
        widget=forms.RadioSelect,
    )
    household = HouseholdChoiceField(
        label=_("Foyer"), queryset=None, required=False, empty_label=None,
        help_text=_("Le tarif suit la résidence du foyer enregistrée par la commune."),
    )
    association_name = forms.CharField(label=_("Nom de l'association"), max_length=200, required=False)
    association_number = forms.CharField(
        label=_("Numéro SIRET ou RNA"), max_length=20, required=False,
        help_text=_("14 chiffres (SIRET) ou W suivi de 9 caractères (RNA)."),
    )
    association_seat_in_commune = forms.BooleanField(
        label=_("Le siège de l'association est dans la commune"), required=False,
        help_text=_("Tarif résident ; vérifié par la commune avant d'accepter la demande."),
    )
    contact_name = forms.CharField(label=_("Personne à contacter"), max_length=150)
    contact_phone = forms.CharField(label=_("Téléphone"), max_length=30,
                                    widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    contact_email = forms.EmailField(label=_("Adresse e-mail"),
                                     widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    event_description = forms.CharField(
        label=_("Nature de l'événement"), max_length=200,
        help_text=_("Par exemple : anniversaire, repas associatif, assemblée générale."),
    )
    expected_guests = forms.IntegerField(label=_("Nombre de personnes attendues"), min_value=1)

    def __init__(self, *args, hall, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.hall = hall
        self.user = user
        self.fields["slot"].queryset = hall.hire_slots.filter(is_active=True).order_by("order", "start_time", "name")
        self.fields["expected_guests"].validators.append(MaxValueValidator(
            hall.capacity, message=_("La salle accueille au plus %(limit_value)s personnes.")))
        self.fields["expected_guests"].widget.attrs["max"] = hall.capacity
        self.fields["expected_guests"].help_text = _("Au plus %(capacity)s personnes.") % {"capacity": hall.capacity}
        households = households_for(user).order_by("name", "code")
        self.fields["household"].queryset = households
        self.has_households = households.exists()
        if not self.has_households:
            del self.fields["household"]
        if not self.is_bound:
            self.initial.setdefault("contact_name", user.get_full_name())
            self.initial.setdefault("contact_email", user.email)
            guardian = Guardian.objects.filter(user=user).exclude(phone_mobile="").first()
            if guardian is not None:
                self.initial.setdefault("contact_phone", guardian.phone_mobile)
            if self.has_households:
                self.initial.setdefault("household", households.first())

    def clean_association_number(self):
        return normalize_association_number(self.cleaned_data.get("association_number"))

    def clean(self):
        data = super().clean()
        kind = data.get("requester_kind")
        if kind == HallRequest.RequesterKind.ASSOCIATION:
            if not data.get("association_name", "").strip():
                self.add_error("association_name", _("Indiquez le nom de l'association."))
            number = data.get("association_number", "")
            if not number:
                self.add_error("association_number", _("Indiquez le numéro SIRET ou RNA de l'association."))
            elif not is_valid_association_number(number):
                self.add_error("association_number",
                               _("Ce numéro n'est ni un SIRET (14 chiffres, clé valide) ni un RNA (W suivi de 9 "
                                 "caractères)."))
        elif kind == HallRequest.RequesterKind.PERSON and self.has_households and not data.get("household"):
            self.add_error("household", _("Choisissez le foyer pour lequel vous demandez la salle."))
        return data

    def details(self):
        data = self.cleaned_data
        kind = data["requester_kind"]
        association = kind == HallRequest.RequesterKind.ASSOCIATION
        return RequesterDetails(
            kind=kind,
            household=None if association else data.get("household"),
            association_name=data.get("association_name", "") if association else "",
            association_number=data.get("association_number", "") if association else "",
            association_seat_in_commune=bool(data.get("association_seat_in_commune")) if association else False,
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
            contact_email=data["contact_email"],
            event_description=data["event_description"],
            expected_guests=data["expected_guests"],
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Motif"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note (facultative)"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           max_length=2000)


class DepositKeptForm(forms.Form):
    amount = forms.DecimalField(label=_("Montant retenu (€)"), max_digits=8, decimal_places=2,
                                min_value=Decimal("0.01"))
    note = forms.CharField(label=_("Motif de la retenue"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
