"""Supporting documents: the list, the types, the upload (multipart, the same checks by
content as the site: ``documents.uploads.upload_document``), a file's download (the
checked, traced download of the site) and the deletion of a document not yet validated."""

import datetime as dt
import functools
from typing import List, Optional

from django.conf import settings
from django.db.models import Prefetch
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Router, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from accounts.households import households_for
from documents.access import documents_visible_to
from documents.checks import clean_filename
from documents.downloads import file_response, record_download
from documents.forms import LimitedUploadHandler
from documents.models import DocumentFile, DocumentType
from documents.uploads import NotVisible, UploadRefused, delete_document, upload_document

from . import clock
from .common import MAX_ID, LimitParam, OffsetParam, check_day, paginate, responses, visible_child
from .errors import ApiError, not_found
from .schemas import DocumentOut, DocumentTypeOut, Error, Page

router = Router(tags=["justificatifs"])

FILE_RESPONSE = {"responses": {200: {"description": "Le fichier (PDF, JPEG ou PNG).", "content": {
    kind: {"schema": {"type": "string", "format": "binary"}} for kind in ("application/pdf", "image/jpeg",
                                                                          "image/png")}}}}


def _document(document, today):
    return {"id": document.pk, "household_id": document.household_id, "child_id": document.child_id,
            "type": document.document_type.code, "type_name": document.document_type.name,
            "status": document.status, "state": document.state_text(today), "uploaded_at": document.uploaded_at,
            "issued_on": document.issued_on, "valid_until": document.valid_until,
            "rejection_reason": document.rejection_reason,
            "files": [{"id": f.pk, "position": f.position, "name": f.original_name, "content_type": f.content_type,
                       "size": f.size} for f in document.files.all()]}


def _visible(user):
    files = Prefetch("files", queryset=DocumentFile.objects.order_by("position", "id"))
    return documents_visible_to(user).select_related("document_type").prefetch_related(files)


@router.get("/document-types", response=responses(Page[DocumentTypeOut]), url_name="document_types",
            summary="Les types de pièces")
def document_types(request, limit: int = LimitParam(), offset: int = OffsetParam()):
    queryset = DocumentType.objects.filter(is_active=True).order_by("name", "pk")
    return paginate(queryset, limit, offset, lambda t: {"code": t.code, "name": t.name, "scope": t.scope})


@router.get("/documents", response=responses(Page[DocumentOut]), url_name="documents", summary="Mes justificatifs")
def documents(request, limit: int = LimitParam(), offset: int = OffsetParam()):
    """Les pièces du foyer et des enfants sur lesquels l'appelant a des droits, avec leur
    état (en attente, validée jusqu'au…, refusée et pourquoi)."""
    today = timezone.localdate(clock.now())
    queryset = _visible(request.user).order_by("-uploaded_at", "-id")
    return paginate(queryset, limit, offset, lambda d: _document(d, today))


def _limited_upload(run):
    """Files larger than the limit are stopped while the body is read (as on the site)."""

    @functools.wraps(run)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST":
            request.upload_handlers.insert(0, LimitedUploadHandler(request))
        return run(request, *args, **kwargs)

    return wrapped


@router.post("/documents", response=responses(DocumentOut, status=201, extra={503: Error}),
             url_name="document_upload", summary="Envoyer un justificatif")
@decorate_view(_limited_upload)
def document_upload(request, type: str = Form(..., max_length=60, pattern=r"^[-a-zA-Z0-9_]+$",
                                              description="Code du type de pièce (voir /document-types)."),
                    child_id: Optional[int] = Form(None, ge=1, le=MAX_ID,
                                                   description="L'enfant concerné (pièce d'un enfant)."),
                    household_id: Optional[int] = Form(None, ge=1, le=MAX_ID,
                                                       description="Le foyer (pièce du foyer, plusieurs foyers)."),
                    issued_on: Optional[dt.date] = Form(None, description="Date portée sur le document."),
                    files: List[UploadedFile] = File(None, description="Les pages : PDF, JPEG ou PNG.")):
    """Multipart/form-data. Les fichiers sont contrôlés par leur contenu comme sur le site
    (PDF sans contenu actif, images décodées et réécrites, polyglottes refusés), avec les
    mêmes limites de taille, de nombre, de quota et par heure."""
    user = request.user
    oversize = getattr(request, "oversize_files", [])
    if oversize:
        raise ApiError("file_refused", " ".join(
            _("« %(name)s » est trop lourd : %(max)s au plus par fichier.")
            % {"name": clean_filename(name), "max": filesizeformat(settings.PORTAL_DOCUMENTS_MAX_FILE_SIZE)}
            for name in oversize))
    check_day(issued_on, "form.issued_on")
    child = visible_child(user, child_id) if child_id is not None else None
    households = households_for(user).order_by("name", "code")
    if child is not None:
        household = child.household
    elif household_id is not None:
        household = households.filter(pk=household_id).first()
        if household is None:
            raise not_found()
    else:
        household = households.first()
        if household is None:
            raise not_found()
    document_type = DocumentType.objects.filter(code=type, is_active=True).first()
    try:
        document = upload_document(user, household=household, document_type=document_type, files=files or [],
                                   child=child, issued_on=issued_on, now=clock.now(), request=request)
    except NotVisible:
        raise not_found() from None
    except UploadRefused as refused:
        raise ApiError(refused.code, " ".join(refused.messages)) from None
    return Status(201, _document(_visible(user).get(pk=document.pk), timezone.localdate(clock.now())))


@router.get("/documents/files/{int:file_id}", response=responses(None), url_name="document_file",
            summary="Télécharger un fichier", openapi_extra=FILE_RESPONSE)
def document_file(request, file_id: int = Path(..., ge=1, le=MAX_ID)):
    """Le fichier, tel que le site le sert : ``Content-Disposition: attachment``,
    ``no-store``, ``nosniff`` ; chaque téléchargement est tracé."""
    found = (DocumentFile.objects.filter(document__in=documents_visible_to(request.user))
             .select_related("document__document_type", "document__household", "document__child")
             .filter(pk=file_id).first())
    if found is None:
        raise not_found()
    response = file_response(request, found)
    record_download(request, found)
    return response


@router.delete("/documents/{int:document_id}", response=responses(None, status=204), url_name="document_delete",
               summary="Supprimer un justificatif")
def document_delete(request, document_id: int = Path(..., ge=1, le=MAX_ID)):
    """Une pièce en attente ou refusée (jamais une pièce validée : ``not_deletable``)."""
    found = _visible(request.user).filter(pk=document_id).first()
    if found is None:
        raise not_found()
    try:
        delete_document(request.user, found, request=request)
    except NotVisible:
        raise not_found() from None
    except UploadRefused as refused:
        raise ApiError(refused.code, " ".join(refused.messages)) from None
    return Status(204, None)
