"""Forms of the parent screens and of the agents' screens (presentation only: the rules
are in ``uploads`` and ``review``)."""

from django import forms
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from accounts.models import Child, Household

from .models import DocumentType

ACCEPT = "image/jpeg,image/png,application/pdf"


class LimitedUploadHandler(FileUploadHandler):
    """Stops receiving a file as soon as it exceeds ``PORTAL_DOCUMENTS_MAX_FILE_SIZE``: the
    file is skipped (never written to a temporary file) and its name kept on the request
    (``request.oversize_files``) so that the screen says which file was too heavy."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = settings.PORTAL_DOCUMENTS_MAX_FILE_SIZE
        self.received = 0
        if request is not None and not hasattr(request, "oversize_files"):
            request.oversize_files = []

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                self.request.oversize_files.append(self.file_name or "")
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the pages of a document)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT, "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if not items:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class AccessibleFormMixin:
    """Ties each input to its help text and errors (``aria-describedby``, ``aria-invalid``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._describe()

    def full_clean(self):
        super().full_clean()
        self._describe()

    def add_error(self, field, error):
        super().add_error(field, error)
        self._describe()

    def _input_id(self, name):
        html_name = self.add_prefix(name)
        if self.auto_id and "%s" in str(self.auto_id):
            return str(self.auto_id) % html_name
        return html_name

    def _describe(self):
        errors = self._errors or {}
        for name, field in self.fields.items():
            bound_id = self._input_id(name)
            ids = []
            if field.help_text:
                ids.append(f"{bound_id}-aide")
            if name in errors:
                ids.append(f"{bound_id}-erreurs")
                field.widget.attrs["aria-invalid"] = "true"
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)


class ChildChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, several_households=False, **kwargs):
        self.several_households = several_households
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        if self.several_households:
            return f"{obj.first_name} {obj.last_name} ({obj.household.name})"
        return f"{obj.first_name} {obj.last_name}"


class UploadForm(AccessibleFormMixin, forms.Form):
    type = forms.ModelChoiceField(
        label=_("Type de pièce"),
        queryset=DocumentType.objects.none(),
        to_field_name="code",
        empty_label=_("— Choisissez —"),
        error_messages={"required": _("Choisissez le type de pièce."),
                        "invalid_choice": _("Choisissez un type de pièce de la liste.")},
    )
    child = ChildChoiceField(
        label=_("Pièce concernant"),
        queryset=Child.objects.none(),
        required=False,
        empty_label=_("Le foyer (pièce commune à la famille)"),
        help_text=_("Pour un certificat médical, un carnet de vaccinations ou un PAI, choisissez l'enfant."),
    )
    household = forms.ModelChoiceField(
        label=_("Foyer"), queryset=Household.objects.none(), required=False, empty_label=None,
    )
    issued_on = forms.DateField(
        label=_("Date du document (facultatif)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("La date portée sur le document, par exemple celle d'une facture servant de justificatif "
                    "de domicile."),
        error_messages={"invalid": _("Saisissez une date valide.")},
    )
    files = MultipleFileField(
        label=_("Fichiers"),
        error_messages={"required": _("Ajoutez au moins un fichier : une photo ou un PDF du document."),
                        "empty": _("Ce fichier est vide.")},
    )

    def __init__(self, *args, document_types, children, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = document_types
        several = len(households) > 1
        self.fields["child"] = ChildChoiceField(
            label=self.fields["child"].label,
            queryset=children,
            required=False,
            empty_label=self.fields["child"].empty_label,
            help_text=self.fields["child"].help_text,
            several_households=several,
        )
        if several:
            self.fields["household"].queryset = Household.objects.filter(pk__in=[h.pk for h in households])
            self.fields["household"].help_text = _("Pour une pièce commune à la famille.")
        else:
            del self.fields["household"]
        self.fields["files"].help_text = _(
            "Photos (JPEG, PNG) ou PDF, %(size)s au plus par fichier, %(count)d fichiers au plus : une photo par "
            "page. Sur un téléphone, vous pouvez prendre la photo directement."
        ) % {"size": filesizeformat(settings.PORTAL_DOCUMENTS_MAX_FILE_SIZE),
             "count": settings.PORTAL_DOCUMENTS_MAX_FILES}
        self._describe()


class AcceptForm(AccessibleFormMixin, forms.Form):
    valid_until = forms.DateField(
        label=_("Valable jusqu'au"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Proposée d'après le type de pièce ; vide : sans limite de validité."),
        error_messages={"invalid": _("Saisissez une date valide.")},
    )


class RejectForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("La famille lira ce motif : dites ce qui manque ou ce qu'il faut envoyer."),
        error_messages={"required": _("Indiquez le motif du refus : la famille le lira.")},
    )


class StaffUploadForm(AccessibleFormMixin, forms.Form):
    household = forms.ModelChoiceField(label=_("Foyer"), queryset=Household.objects.order_by("name", "code"))
    child = forms.ModelChoiceField(
        label=_("Enfant"), queryset=Child.objects.select_related("household").order_by("household__name",
                                                                                          "first_name"),
        required=False, empty_label=_("— Aucun (pièce du foyer) —"),
    )
    type = forms.ModelChoiceField(label=_("Type de pièce"), queryset=DocumentType.objects.filter(is_active=True))
    issued_on = forms.DateField(label=_("Date du document"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    files = MultipleFileField(label=_("Fichiers (scans ou photos)"), widget=MultipleFileInput(
        attrs={"accept": ACCEPT, "multiple": True}))
    accept = forms.BooleanField(label=_("Valider la pièce tout de suite"), required=False)
    valid_until = forms.DateField(
        label=_("Valable jusqu'au"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Si la pièce est validée ; vide : la durée du type de pièce."),
    )

    def __init__(self, *args, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        if household is not None:
            # The children of the chosen household only (a commune has thousands of them).
            self.fields["child"].queryset = self.fields["child"].queryset.filter(household=household)
            self.fields["child"].label_from_instance = lambda child: f"{child.first_name} {child.last_name}"
