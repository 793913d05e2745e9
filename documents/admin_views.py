"""The agents' screens in the Wagtail admin (menu "Pièces justificatives"):

- the queue of documents to check (and every document, by state, type or family);
- the review of one document: its files shown (images, PDFs) through the checked file
  view, the proposed end of validity, accept or refuse with a reason;
- sending a document for a household (a paper document scanned at the desk), validated
  at once if the agent says so;
- deleting a document.

Rights: ``documents.view_supportingdocument`` to see, ``review_supportingdocument`` to
decide, ``add_`` to send, ``delete_`` to delete (the "Agents" group holds them all).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.models import Household

from .access import ADD_PERMISSION, DELETE_PERMISSION, REVIEW_PERMISSION, VIEW_PERMISSION, is_document_staff
from .downloads import file_response, record_download
from .forms import AcceptForm, RejectForm, StaffUploadForm
from .models import DocumentFile, DocumentType, SupportingDocument
from .review import ReviewRefused, accept_document, proposed_valid_until, reject_document
from .uploads import NotVisible, UploadRefused, remove_document, upload_document

NAMESPACE = "documents_admin"


def admin_url(name, *args):
    return reverse(f"{NAMESPACE}:{name}", args=args)


@method_decorator(never_cache, name="dispatch")
class DocumentsAdminView(WagtailAdminTemplateMixin, View):
    permission = VIEW_PERMISSION
    header_icon = "doc-full-inverse"

    def dispatch(self, request, *args, **kwargs):
        if not is_document_staff(request.user, self.permission):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": admin_url("index"), "label": gettext_lazy("Pièces justificatives")}]


class QueueView(DocumentsAdminView):
    """Documents by state (those awaiting validation first, oldest first)."""

    template_name = "documents/admin/queue.html"
    page_title = gettext_lazy("Pièces justificatives")
    per_page = 50

    def get_page_subtitle(self):
        return dict(self.status_choices).get(self.status, "")

    @cached_property
    def status(self):
        value = self.request.GET.get("status", SupportingDocument.Status.PENDING)
        return value if value in dict(self.status_choices) else SupportingDocument.Status.PENDING

    @property
    def status_choices(self):
        return [*SupportingDocument.Status.choices, ("all", _("toutes"))]

    def get(self, request):
        documents = (
            SupportingDocument.objects.select_related("document_type", "household", "child", "uploaded_by")
            .annotate(file_count=Count("files"))
        )
        if self.status != "all":
            documents = documents.filter(status=self.status)
        document_type = DocumentType.objects.filter(code=request.GET.get("type", "")).first()
        if document_type:
            documents = documents.filter(document_type=document_type)
        query = " ".join(request.GET.get("q", "").split())[:100]
        if query:
            documents = documents.filter(
                Q(household__name__icontains=query) | Q(household__code__icontains=query)
                | Q(child__first_name__icontains=query) | Q(child__last_name__icontains=query)
            )
        if self.status == SupportingDocument.Status.PENDING:
            documents = documents.order_by("uploaded_at", "id")
        else:
            documents = documents.order_by("-uploaded_at", "-id")
        page = Paginator(documents, self.per_page).get_page(request.GET.get("p"))
        today = timezone.localdate()
        for document in page.object_list:
            document.state_label = document.state_text(today)
        context = self.get_context_data(
            page=page,
            status=self.status,
            status_choices=self.status_choices,
            document_types=DocumentType.objects.order_by("name"),
            selected_type=document_type,
            query=query,
            can_add=is_document_staff(request.user, ADD_PERMISSION),
        )
        return self.render_to_response(context)


class DocumentMixin:
    def get_document(self, pk):
        return get_object_or_404(
            SupportingDocument.objects.select_related(
                "document_type", "household", "child", "uploaded_by", "reviewed_by"
            ),
            pk=pk,
        )


class ReviewView(DocumentMixin, DocumentsAdminView):
    template_name = "documents/admin/review.html"
    page_title = gettext_lazy("Examiner une pièce")

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": str(self.document.document_type)}]

    def get(self, request, pk):
        self.document = self.get_document(pk)
        return self.render_page(AcceptForm(initial={"valid_until": proposed_valid_until(self.document)}), RejectForm())

    def post(self, request, pk):
        self.document = self.get_document(pk)
        if not is_document_staff(request.user, REVIEW_PERMISSION):
            return permission_denied(request)
        action = request.POST.get("action")
        accept_form = AcceptForm(request.POST if action == "accept" else None,
                                 initial={"valid_until": proposed_valid_until(self.document)})
        reject_form = RejectForm(request.POST if action == "reject" else None)
        form = accept_form if action == "accept" else reject_form if action == "reject" else None
        if form is None:
            messages.error(request, _("Choisissez de valider ou de refuser la pièce."))
            return redirect(admin_url("edit", self.document.pk))
        if form.is_valid():
            try:
                if action == "accept":
                    accept_document(self.document, request.user, valid_until=form.cleaned_data["valid_until"],
                                    request=request)
                    messages.success(request, _("Pièce validée : la famille est prévenue par e-mail."))
                else:
                    reject_document(self.document, request.user, form.cleaned_data["reason"], request=request)
                    messages.success(request, _("Pièce refusée : la famille est prévenue par e-mail, avec le motif."))
            except ReviewRefused as refusal:
                form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
            else:
                return redirect(admin_url("index"))
        return self.render_page(accept_form, reject_form, status=400)

    def render_page(self, accept_form, reject_form, status=200):
        document = self.document
        files = list(document.files.order_by("position", "id"))
        others = (
            SupportingDocument.objects.filter(household=document.household, document_type=document.document_type,
                                              child=document.child)
            .exclude(pk=document.pk)
            .order_by("-uploaded_at")[:10]
        )
        today = timezone.localdate()
        document.state_label = document.state_text(today)
        others = list(others)
        for other in others:
            other.state_label = other.state_text(today)
        context = self.get_context_data(
            document=document,
            files=files,
            others=others,
            accept_form=accept_form,
            reject_form=reject_form,
            can_review=is_document_staff(self.request.user, REVIEW_PERMISSION),
            can_delete=is_document_staff(self.request.user, DELETE_PERMISSION),
            required_for=document.document_type.required_for_activities.order_by("name"),
        )
        response = self.render_to_response(context)
        response.status_code = status
        return response


class FileView(DocumentsAdminView):
    """A file of a document, for the preview (inline) or to download (``?telecharger=1``)."""

    def get(self, request, pk, file_pk):
        document_file = (
            DocumentFile.objects.select_related("document__document_type", "document__household", "document__child")
            .filter(pk=file_pk, document_id=pk)
            .first()
        )
        if document_file is None:
            raise Http404("file")
        response = file_response(request, document_file, inline="telecharger" not in request.GET)
        record_download(request, document_file)
        return response


class StaffUploadView(DocumentsAdminView):
    permission = ADD_PERMISSION
    template_name = "documents/admin/upload.html"
    page_title = gettext_lazy("Déposer une pièce pour une famille")

    @staticmethod
    def chosen_household(data):
        value = data.get("household", "")
        return Household.objects.filter(pk=value).first() if value.isdigit() else None

    def get(self, request):
        household = self.chosen_household(request.GET)
        form = StaffUploadForm(initial={"household": household.pk} if household else {}, household=household)
        return self.render_to_response(self.get_context_data(form=form, household=household))

    def post(self, request):
        household = self.chosen_household(request.POST)
        form = StaffUploadForm(request.POST, request.FILES, household=household)
        if form.is_valid():
            data = form.cleaned_data
            accept = data["accept"] and is_document_staff(request.user, REVIEW_PERMISSION)
            try:
                document = upload_document(
                    request.user, household=data["household"], document_type=data["type"], files=data["files"],
                    child=data["child"], issued_on=data["issued_on"], request=request, accept=accept,
                    valid_until=data["valid_until"] or proposed_valid_until(
                        SupportingDocument(document_type=data["type"], issued_on=data["issued_on"])
                    ),
                )
            except NotVisible:
                form.add_error("child", _("Cet enfant n'appartient pas à ce foyer."))
            except (UploadRefused, ReviewRefused) as refusal:
                for message in getattr(refusal, "messages", [getattr(refusal, "message", str(refusal))]):
                    form.add_error(refusal.field if refusal.field in form.fields else None, message)
            else:
                messages.success(request, _("Pièce enregistrée pour le foyer %(name)s.") % {"name": data["household"].name})
                return redirect(admin_url("edit", document.pk))
        response = self.render_to_response(self.get_context_data(form=form, household=household))
        response.status_code = 400
        return response


class DeleteView(DocumentMixin, DocumentsAdminView):
    permission = DELETE_PERMISSION
    template_name = "documents/admin/delete.html"
    page_title = gettext_lazy("Supprimer une pièce")

    def get(self, request, pk):
        return self.render_to_response(self.get_context_data(document=self.get_document(pk)))

    def post(self, request, pk):
        document = self.get_document(pk)
        remove_document(document, actor=request.user, request=request, reason="agent")
        messages.success(request, _("Pièce supprimée."))
        return redirect(admin_url("index"))
