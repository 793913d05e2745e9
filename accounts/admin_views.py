"""Staff screens of the accounts area beyond plain model editing: decisions on change
requests, answers to GDPR requests, the audit trail (read-only, filtered, exported)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.permission_policies import ModelPermissionPolicy

from . import family, gdpr, history
from .audit import record
from .models import AuditEvent, ChangeRequest, GdprRequest


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Nobody adds, changes or deletes these records through the admin (the audit trail)."""

    denied = ("add", "change", "delete")

    def user_has_permission(self, user, action):
        if action in self.denied:
            return False
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


class AnswerOnlyPolicy(ReadOnlyPolicy):
    """Requests from families: staff answer them (change), never create or delete them."""

    denied = ("add", "delete")


class AuditIndexView(generic.IndexView):
    def as_spreadsheet(self, queryset, spreadsheet_format):
        record(AuditEvent.Action.STAFF_EXPORT, request=self.request, acting_for_family=False,
               summary=f"Export du journal des opérations ({spreadsheet_format}, {queryset.count()} lignes)",
               after={"format": spreadsheet_format,
                      "filters": {k: v for k, v in self.request.GET.items() if k != "export"}})
        return super().as_spreadsheet(queryset, spreadsheet_format)


class DecisionForm(forms.ModelForm):
    decision = forms.ChoiceField(label=_("Décision"), widget=forms.RadioSelect,
                                 choices=[("accept", _("Accepter : la fiche prend les nouvelles valeurs")),
                                          ("refuse", _("Refuser : les valeurs actuelles restent"))])

    class Meta:
        model = ChangeRequest
        fields = ["reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"reason": _("Obligatoire pour un refus ; le parent le reçoit par e-mail.")}

    def __init__(self, *args, **kwargs):
        kwargs.pop("for_user", None)
        super().__init__(*args, **kwargs)
        rows = [(history.field_label(name), history.value_label(name, data.get("before")),
                 history.value_label(name, data.get("after"))) for name, data in (self.instance.changes or {}).items()]
        self.fields["decision"].help_text = format_html_join(
            "; ", "{} : {} → {}", rows) if rows else ""


class ChangeDecisionView(generic.EditView):
    """The edit view of a change request: accept or refuse it, with a reason."""

    success_message = _("Décision enregistrée ; le parent est prévenu.")
    produced_error_message = None

    def get_panel(self):
        return None

    def get_form_class(self):
        return DecisionForm

    def form_valid(self, form):
        try:
            self.object = family.decide_change_request(
                self.request.user, self.object, accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data.get("reason", ""), request=self.request)
        except family.FamilyRefused as refused:
            form.add_error("reason", refused.message)  # shown beside the field by the admin's form
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())


class GdprAnswerForm(forms.ModelForm):
    class Meta:
        model = GdprRequest
        fields = ["answer"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"answer": _("Envoyée au demandeur par e-mail. Pour une opposition, passez aussi le foyer en "
                                  "démarches papier (fiche du foyer).")}

    def __init__(self, *args, **kwargs):
        kwargs.pop("for_user", None)
        super().__init__(*args, **kwargs)
        self.fields["answer"].required = True


class GdprAnswerView(generic.EditView):
    success_message = _("Réponse enregistrée et envoyée.")
    produced_error_message = None

    def get_panel(self):
        return None

    def get_form_class(self):
        return GdprAnswerForm

    def form_valid(self, form):
        try:
            self.object = gdpr.answer_request(self.request.user, self.object, form.cleaned_data["answer"],
                                              request=self.request)
        except gdpr.GdprRefused as refused:
            form.add_error("answer", refused.message)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())
