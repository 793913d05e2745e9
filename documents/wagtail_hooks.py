"""The documents area in Wagtail: the agents' menu "Pièces justificatives" (documents to
check, every document, document types), a panel on the admin home page, and the
contributions to the shared hooks (the parent's space, the GDPR export, the periodic
jobs), plus the serving of editorial documents of a restricted collection."""

import datetime

from django.db.models import Prefetch
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from portal.hooks import HOUSEHOLD_EXPORT, PERIODIC_JOBS, SPACE_LINKS

from . import admin_views
from .access import VIEW_PERMISSION, is_document_staff, parent_document_filter
from .models import DocumentFile, DocumentType, SupportingDocument


class DocumentsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_document_staff(request.user, VIEW_PERMISSION)


class SupportingDocumentsViewSet(ViewSet):
    """The agents' screens on the documents families sent (custom views)."""

    name = admin_views.NAMESPACE
    url_prefix = "justificatifs"
    icon = "doc-full-inverse"
    menu_label = _("Pièces déposées")
    menu_item_class = DocumentsMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.QueueView.as_view(), name="index"),
            path("deposer/", admin_views.StaffUploadView.as_view(), name="add"),
            path("<int:pk>/", admin_views.ReviewView.as_view(), name="edit"),
            path("<int:pk>/fichiers/<int:file_pk>/", admin_views.FileView.as_view(), name="file"),
            path("<int:pk>/supprimer/", admin_views.DeleteView.as_view(), name="delete"),
        ]


class DocumentTypeViewSet(ModelViewSet):
    model = DocumentType
    name = "documents_types"
    url_prefix = "justificatifs/types"
    icon = "tag"
    menu_label = _("Types de pièces")
    form_fields = [
        "name",
        "code",
        "description",
        "scope",
        "validity_days",
        "required_for_activities",
        "required_for_hall_hire",
        "pending_is_enough",
        "retention_days",
        "is_active",
    ]
    list_display = ["name", "code", "scope", "validity_days", "required_for_hall_hire", "pending_is_enough",
                    "is_active"]
    list_filter = ["scope", "required_for_hall_hire", "is_active"]
    search_fields = ["name", "code"]
    search_backend_name = None
    copy_view_enabled = False


class DocumentsViewSetGroup(ViewSetGroup):
    menu_label = _("Pièces justificatives")
    menu_icon = "doc-full-inverse"
    menu_order = 260
    items = (SupportingDocumentsViewSet(), DocumentTypeViewSet())


@hooks.register("register_admin_viewset")
def register_documents_viewsets():
    return DocumentsViewSetGroup()


class PendingDocumentsPanel(Component):
    name = "pending_documents"
    order = 150
    template_name = "documents/admin/home_panel.html"

    def get_context_data(self, parent_context):
        pending = SupportingDocument.objects.filter(status=SupportingDocument.Status.PENDING)
        oldest = pending.order_by("uploaded_at").values_list("uploaded_at", flat=True).first()
        return {"count": pending.count(), "oldest": oldest, "url": reverse(f"{admin_views.NAMESPACE}:index")}


@hooks.register("construct_homepage_panels")
def add_pending_documents_panel(request, panels):
    if is_document_staff(request.user, VIEW_PERMISSION):
        panels.append(PendingDocumentsPanel())


# --- Shared hooks ----------------------------------------------------------------------------


@hooks.register(SPACE_LINKS)
def space_links(request):
    return [{
        "label": _("Mes justificatifs"),
        "url": reverse("documents:list"),
        "description": _("envoyer une pièce justificative, suivre sa validation"),
        "order": 40,
    }]


@hooks.register(HOUSEHOLD_EXPORT)
def household_export(household, user):
    """The household's documents the user may see: what, for whom, state, dates, the files'
    names, types and sizes (not their content)."""
    files = Prefetch("files", queryset=DocumentFile.objects.order_by("position", "id"))
    documents = (
        SupportingDocument.objects.filter(parent_document_filter(user), household=household)
        .select_related("document_type", "child")
        .prefetch_related(files)
        .order_by("uploaded_at", "id")
    )
    rows = []
    for document in documents:
        rows.append({
            "type": document.document_type.name,
            "concerne": str(document.child) if document.child_id else household.name,
            "etat": document.get_status_display(),
            "deposee_le": document.uploaded_at.isoformat(),
            "date_du_document": document.issued_on.isoformat() if document.issued_on else None,
            "valable_jusqu_au": document.valid_until.isoformat() if document.valid_until else None,
            "examinee_le": document.reviewed_at.isoformat() if document.reviewed_at else None,
            "motif_du_refus": document.rejection_reason,
            "fichiers": [
                {"nom": f.original_name, "type": f.content_type, "taille": f.size, "sha256": f.sha256}
                for f in document.files.all()
            ],
        })
    return (str(_("Pièces justificatives")), rows)


@hooks.register(PERIODIC_JOBS)
def periodic_jobs():
    from .jobs import purge_expired, remind_expiring

    return [
        {"name": "documents.remind_expiring", "every": datetime.timedelta(hours=6), "run": remind_expiring},
        {"name": "documents.purge_expired", "every": datetime.timedelta(hours=24), "run": purge_expired},
    ]


# --- Editorial documents (Wagtail) -----------------------------------------------------------


@hooks.register("before_serve_document", order=100)
def serve_restricted_document(document, request):
    """Runs after Wagtail's own privacy check (order 0), which has already sent anonymous
    visitors of a restricted collection to the login page: a document of a restricted
    collection is then served with ``Cache-Control: no-store`` (a shared cache must never
    keep it); public ones are left to Wagtail."""
    from .editorial import serve_private_editorial_document

    return serve_private_editorial_document(document, request)
