"""The family files in the Wagtail admin: a "Familles" menu with households, guardians,
children, rights, authorised persons and authorisations.

Access follows Django model permissions (Wagtail's ModelPermissionPolicy): agents and
cashiers read the files, agents also change them (see ``accounts.roles``); only users
with the ``add_*`` / ``delete_*`` permissions create or delete records.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from wagtail.permissions import register_permission_policy

from .admin_views import AnswerOnlyPolicy, AuditIndexView, ChangeDecisionView, GdprAnswerView, ReadOnlyPolicy
from .audit import record_family_change
from .models import (
    AuditEvent,
    Authorisation,
    AuthorisedPerson,
    ChangeRequest,
    Child,
    GdprRequest,
    Guardian,
    GuardianChildRight,
    Household,
)

register_permission_policy(AuditEvent, ReadOnlyPolicy(AuditEvent))
register_permission_policy(ChangeRequest, AnswerOnlyPolicy(ChangeRequest))
register_permission_policy(GdprRequest, AnswerOnlyPolicy(GdprRequest))


class AuditedCreateView(generic.CreateView):
    def save_instance(self):
        instance = super().save_instance()  # inside Wagtail's transaction: saved and traced together
        record_family_change(self.request, instance, self.form)
        return instance


class AuditedEditView(generic.EditView):
    def save_instance(self):
        instance = super().save_instance()
        record_family_change(self.request, instance, self.form)
        return instance


class AuditedDeleteView(generic.DeleteView):
    def delete_action(self):
        with transaction.atomic():
            record_family_change(self.request, self.object, deleted=True)
            super().delete_action()


class FamilyModelViewSet(ModelViewSet):
    """A model viewset whose listing follows ``list_select_related`` in one query."""

    list_select_related = ()
    copy_view_enabled = False
    # Every change an agent makes to a family file lands in the audit trail.
    add_view_class = AuditedCreateView
    edit_view_class = AuditedEditView
    delete_view_class = AuditedDeleteView
    search_backend_name = None  # plain database search (icontains), no search index

    def get_index_view_kwargs(self, **kwargs):
        if self.list_select_related:
            kwargs.setdefault("queryset", self.model._default_manager.select_related(*self.list_select_related))
        return super().get_index_view_kwargs(**kwargs)


class HouseholdViewSet(FamilyModelViewSet):
    model = Household
    name = "accounts_households"
    url_prefix = "familles/foyers"
    icon = "home"
    menu_label = _("Foyers")
    list_display = ["code", "name", "city", "is_resident", "paper_only"]
    list_filter = ["is_resident", "paper_only", "family_situation", "family_quotient_source"]
    search_fields = ["name", "code", "city", "email"]
    ordering = ["name", "code"]
    inspect_view_enabled = True
    form_fields = [
        "code",
        "name",
        "address_line1",
        "address_line2",
        "postcode",
        "city",
        "phone_home",
        "phone_mobile",
        "email",
        "family_situation",
        "is_resident",
        "family_quotient",
        "family_quotient_source",
        "family_quotient_valid_until",
        "paper_only",
    ]


class GuardianViewSet(FamilyModelViewSet):
    model = Guardian
    name = "accounts_guardians"
    url_prefix = "familles/responsables"
    icon = "user"
    menu_label = _("Responsables légaux")
    list_display = ["__str__", "household", "relationship", "user", "is_payer", "rights_confirmed"]
    # "Rattachement confirmé: non" lists the links made online that an agent must confirm.
    list_filter = ["rights_confirmed", "is_payer"]
    search_fields = ["first_name", "last_name", "email", "household__name", "household__code"]
    inspect_view_enabled = True
    form_fields = [
        "household",
        "user",
        "first_name",
        "last_name",
        "relationship",
        "email",
        "phone_home",
        "phone_mobile",
        "phone_work",
        "is_payer",
        "rights_confirmed",
    ]

    list_select_related = ("household", "user")


class ChildViewSet(FamilyModelViewSet):
    model = Child
    name = "accounts_children"
    url_prefix = "familles/enfants"
    icon = "group"
    menu_label = _("Enfants")
    list_display = ["first_name", "last_name", "household", "birth_date", "school", "class_level", "has_medical_plan"]
    list_filter = ["class_level", "diet", "has_medical_plan"]
    search_fields = ["first_name", "last_name", "school", "household__name", "household__code"]
    inspect_view_enabled = True
    form_fields = [
        "household",
        "first_name",
        "last_name",
        "birth_date",
        "sex",
        "school",
        "class_level",
        "diet",
        "allergies",
        "has_medical_plan",
        "doctor_name",
        "doctor_phone",
    ]

    list_select_related = ("household",)


class GuardianChildRightViewSet(FamilyModelViewSet):
    model = GuardianChildRight
    name = "accounts_child_rights"
    url_prefix = "familles/droits"
    icon = "key"
    menu_label = _("Droits sur les enfants")
    list_display = ["guardian", "child", "can_view", "can_book", "can_pay"]
    list_filter = ["can_view", "can_book", "can_pay"]
    search_fields = ["guardian__last_name", "child__first_name", "child__household__code"]
    form_fields = ["guardian", "child", "can_view", "can_book", "can_pay"]

    list_select_related = ("guardian", "child")


class AuthorisedPersonViewSet(FamilyModelViewSet):
    model = AuthorisedPerson
    name = "accounts_authorised_persons"
    url_prefix = "familles/personnes-autorisees"
    icon = "user"
    menu_label = _("Personnes autorisées")
    list_display = ["__str__", "child", "relationship", "phone", "valid_from", "valid_until"]
    search_fields = ["first_name", "last_name", "child__first_name", "child__last_name"]
    form_fields = ["child", "first_name", "last_name", "relationship", "phone", "valid_from", "valid_until"]

    list_select_related = ("child",)


class AuthorisationViewSet(FamilyModelViewSet):
    model = Authorisation
    name = "accounts_authorisations"
    url_prefix = "familles/autorisations"
    icon = "tick-inverse"
    menu_label = _("Autorisations")
    list_display = ["child", "kind", "granted", "given_by", "given_at"]
    list_filter = ["kind", "granted"]
    search_fields = ["child__first_name", "child__last_name"]
    form_fields = ["child", "kind", "granted", "given_by", "given_at"]

    list_select_related = ("child", "given_by")


class ChangeRequestViewSet(ModelViewSet):
    model = ChangeRequest
    name = "accounts_change_requests"
    url_prefix = "familles/demandes-de-modification"
    icon = "edit"
    menu_label = _("Demandes de modification")
    list_display = ["household", "field_labels", "created_at", "status", "decided_at"]
    list_filter = ["status"]
    search_fields = ["household__name", "household__code", "requested_by_label"]
    ordering = ["status", "created_at"]
    inspect_view_enabled = True
    copy_view_enabled = False
    edit_view_class = ChangeDecisionView
    search_backend_name = None
    form_fields = ["reason"]

    def get_index_view_kwargs(self, **kwargs):
        kwargs.setdefault("queryset", ChangeRequest.objects.select_related("household"))
        return super().get_index_view_kwargs(**kwargs)


class GdprRequestViewSet(ModelViewSet):
    """Open requests first, by due date (one month after receipt)."""

    model = GdprRequest
    name = "accounts_gdpr_requests"
    url_prefix = "familles/demandes-rgpd"
    icon = "info-circle"
    menu_label = _("Demandes RGPD")
    list_display = ["household", "kind", "created_at", "due_on", "deadline_label", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["household__name", "household__code", "requested_by_label", "message"]
    ordering = ["status", "due_on"]
    inspect_view_enabled = True
    copy_view_enabled = False
    edit_view_class = GdprAnswerView
    search_backend_name = None
    form_fields = ["answer"]

    def get_index_view_kwargs(self, **kwargs):
        kwargs.setdefault("queryset", GdprRequest.objects.select_related("household"))
        return super().get_index_view_kwargs(**kwargs)


class AuditEventViewSet(ModelViewSet):
    """The audit trail: read-only, filtered, searched, exported (CSV/XLSX, traced)."""

    model = AuditEvent
    name = "accounts_audit"
    url_prefix = "familles/journal"
    icon = "history"
    menu_label = _("Journal des opérations")
    index_view_class = AuditIndexView
    list_display = ["occurred_at", "action", "actor_label", "household", "acting_for_family", "channel", "summary"]
    list_filter = ["action", "channel", "acting_for_family", "occurred_at"]
    list_export = ["occurred_at", "action", "channel", "actor_label", "household_id", "acting_for_family", "object_type",
                   "object_id", "summary", "before", "after", "ip_address", "request_id"]
    export_filename = "journal-des-operations"
    search_fields = ["summary", "actor_label", "household__code", "household__name"]
    ordering = ["-occurred_at", "-id"]
    inspect_view_enabled = True
    copy_view_enabled = False
    search_backend_name = None
    form_fields = ["summary"]
    list_per_page = 50

    def get_index_view_kwargs(self, **kwargs):
        kwargs.setdefault("queryset", AuditEvent.objects.select_related("household"))
        return super().get_index_view_kwargs(**kwargs)


class FamiliesViewSetGroup(ModelViewSetGroup):
    menu_label = _("Familles")
    menu_icon = "group"
    menu_order = 250
    items = (
        HouseholdViewSet,
        GuardianViewSet,
        ChildViewSet,
        GuardianChildRightViewSet,
        AuthorisedPersonViewSet,
        AuthorisationViewSet,
        ChangeRequestViewSet,
        GdprRequestViewSet,
        AuditEventViewSet,
    )


@hooks.register("register_admin_viewset")
def register_families_viewsets():
    return FamiliesViewSetGroup()


# The family-file viewsets (the request and journal viewsets have no add view).
VIEWSETS = FamiliesViewSetGroup.items[:6]
STAFF_VIEWSETS = FamiliesViewSetGroup.items


@hooks.register("portal_periodic_jobs")
def accounts_periodic_jobs():
    import datetime

    from .maintenance import purge

    return [{"name": "accounts_purge", "every": datetime.timedelta(hours=1), "run": purge}]
