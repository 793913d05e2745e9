"""Sending and deleting supporting documents: the domain functions the parent screens
and the admin call (views stay thin).

    upload_document(user, household=..., document_type=..., files=[...], child=None,
                    issued_on=None, now=None, request=None, accept=False, valid_until=None)

A parent sends a document for their household or for a child they hold the "view" right
on, once the regulation in force is accepted (``home.acceptance``); a household that
chose paper sends nothing online. An agent (``documents.add_supportingdocument``) may
send one for any household, e.g. the scan of a paper document, and validate it at once.

Limits (settings): ``PORTAL_DOCUMENTS_MAX_FILES`` files per document,
``PORTAL_DOCUMENTS_MAX_FILE_SIZE`` bytes per file, ``PORTAL_DOCUMENTS_HOUSEHOLD_QUOTA``
bytes per household, ``PORTAL_DOCUMENTS_UPLOADS_PER_HOUR`` uploads per household and
hour. One document of a type per child (or household) waits for validation at a time.
Every file is scanned (``antivirus``, when on) and checked by content (``checks``) before
anything is stored; the document, its files and the audit event are written in one
transaction, and the stored files are removed again if that transaction fails.
"""

import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.households import VIEW, households_for, user_can
from accounts.models import AuditEvent, Household
from home.acceptance import acceptance_refusal

from . import antivirus
from .access import ADD_PERMISSION, DELETE_PERMISSION, documents_visible_to, is_document_staff
from .checks import FileRefused, check_file, clean_filename
from .models import DocumentFile, DocumentType, SupportingDocument

logger = logging.getLogger("portal.documents")


class UploadRefused(Exception):
    """The upload (or deletion) is refused; ``messages`` say why, ``field`` the form field,
    ``code`` a stable word for machines (the family API answers it)."""

    def __init__(self, messages, field=None, code="upload_refused"):
        self.messages = [str(m) for m in (messages if isinstance(messages, (list, tuple)) else [messages])]
        self.field = field
        self.code = code
        super().__init__("; ".join(self.messages))


class NotVisible(LookupError):
    """The household, child or document is not the user's: the screens answer 404."""


@dataclass
class IncomingFile:
    name: str
    data: bytes


def read_files(files):
    """``IncomingFile``s from Django's uploaded files (or ``IncomingFile``s)."""
    incoming = []
    for item in files:
        if isinstance(item, IncomingFile):
            incoming.append(item)
            continue
        item.seek(0)
        incoming.append(IncomingFile(name=getattr(item, "name", "") or "", data=item.read()))
    return incoming


def household_usage(household):
    """Bytes stored for ``household``."""
    total = DocumentFile.objects.filter(document__household=household).aggregate(total=Sum("size"))["total"]
    return total or 0


def _check_limits(files):
    errors = []
    max_files = settings.PORTAL_DOCUMENTS_MAX_FILES
    max_size = settings.PORTAL_DOCUMENTS_MAX_FILE_SIZE
    if not files:
        raise UploadRefused(_("Ajoutez au moins un fichier : une photo ou un PDF du document."), field="files",
                            code="file_refused")
    if len(files) > max_files:
        raise UploadRefused(
            _("%(max)d fichiers au plus par pièce : vous en avez choisi %(count)d.") % {"max": max_files,
                                                                                       "count": len(files)},
            field="files", code="too_many_files",
        )
    for item in files:
        if len(item.data) > max_size:
            errors.append(
                _("« %(name)s » est trop lourd (%(size)s) : %(max)s au plus par fichier.")
                % {"name": clean_filename(item.name), "size": filesizeformat(len(item.data)),
                   "max": filesizeformat(max_size)}
            )
    if errors:
        raise UploadRefused(errors, field="files", code="file_refused")


def _scan_and_check(files):
    """The checked files, or ``UploadRefused`` naming each refused file."""
    checked, errors = [], []
    for item in files:
        label = clean_filename(item.name) or _("fichier")
        if antivirus.enabled():
            try:
                result = antivirus.scan_bytes(item.data)
            except antivirus.AntivirusUnavailable as exc:
                logger.error("antivirus unavailable, upload refused: %s", exc)
                raise UploadRefused(
                    _("Le contrôle antivirus est momentanément indisponible : votre document n'a pas été "
                      "enregistré. Réessayez dans quelques minutes."),
                    field="files", code="antivirus_unavailable",
                ) from exc
            if result.infected:
                logger.warning("infected upload refused (%s)", result.signature)
                errors.append(_("« %(name)s » contient un virus (%(signature)s) : il est refusé.")
                              % {"name": label, "signature": result.signature})
                continue
        try:
            checked.append((item, check_file(item.data)))
        except FileRefused as refusal:
            errors.append(f"« {label} » : {refusal.message}")
    if errors:
        raise UploadRefused(errors, field="files", code="file_refused")
    return checked


def _check_rate(household, now):
    limit = settings.PORTAL_DOCUMENTS_UPLOADS_PER_HOUR
    recent = AuditEvent.objects.filter(
        action=AuditEvent.Action.DOCUMENT, household_id=household.pk, occurred_at__gte=now - datetime.timedelta(hours=1)
    ).count()
    if recent >= limit:
        raise UploadRefused(
            _("Vous avez déjà envoyé %(count)d documents dans l'heure : réessayez plus tard.") % {"count": recent},
            code="too_many_uploads",
        )


def _check_pending(household, child, document_type):
    if SupportingDocument.objects.filter(
        household=household, child=child, document_type=document_type, status=SupportingDocument.Status.PENDING
    ).exists():
        raise UploadRefused(
            _("Une pièce « %(type)s » attend déjà d'être examinée pour %(who)s : supprimez-la pour en envoyer une "
              "autre, ou attendez la réponse de la commune.") % {"type": document_type.name, "who": child or household},
            field="document_type", code="document_pending",
        )


def _check_quota(household, adding):
    quota = settings.PORTAL_DOCUMENTS_HOUSEHOLD_QUOTA
    used = household_usage(household)
    if used + adding > quota:
        raise UploadRefused(
            _("L'espace réservé à votre foyer est plein (%(used)s utilisés sur %(quota)s) : supprimez une pièce "
              "refusée ou en attente, ou envoyez des fichiers plus légers.")
            % {"used": filesizeformat(used), "quota": filesizeformat(quota)},
            field="files", code="quota_exceeded",
        )


def store_checked_files(document, checked, *, now, stored):
    """Write the checked files of ``document`` (pairs of ``IncomingFile`` and
    ``CheckedFile``) under server-generated names; their names go to ``stored``."""
    for position, (item, result) in enumerate(checked, start=1):
        row = DocumentFile(
            document=document,
            position=position,
            original_name=clean_filename(item.name, result.extension),
            content_type=result.content_type,
            size=len(result.content),
            sha256=hashlib.sha256(result.content).hexdigest(),
            created_at=now,
        )
        row.file.save("upload", ContentFile(result.content), save=False)
        stored.append(row.file.name)
        row.save()


def upload_document(user, *, household, document_type, files, child=None, issued_on=None, now=None, request=None,
                    accept=False, valid_until=None):
    """Store a new document with its files; returns the ``SupportingDocument``.

    Raises ``UploadRefused`` (with the reasons, in French) or ``NotVisible``."""
    now = now or timezone.now()
    staff = is_document_staff(user, ADD_PERMISSION)
    if not staff:
        refusal = acceptance_refusal(user)
        if refusal:
            raise UploadRefused(refusal, code="regulation_not_accepted")
        if household is None or not households_for(user).filter(pk=household.pk).exists():
            raise NotVisible("household")
        if household.paper_only:
            raise UploadRefused(
                _("Ce foyer a choisi les démarches papier : remettez vos justificatifs au service concerné."),
                code="paper_only",
            )
        if accept:
            raise UploadRefused(_("Seul un agent de la commune peut valider une pièce."), code="not_allowed")
    if document_type is None or not document_type.is_active:
        raise UploadRefused(_("Choisissez le type de pièce."), field="document_type", code="invalid_document_type")
    if document_type.scope == DocumentType.Scope.CHILD:
        if child is None:
            raise UploadRefused(_("Choisissez l'enfant concerné par cette pièce."), field="child", code="child_required")
        if child.household_id != household.pk or (not staff and not user_can(user, child, VIEW)):
            raise NotVisible("child")
    else:
        child = None
    if issued_on is not None and issued_on > timezone.localdate(now):
        raise UploadRefused(_("La date du document ne peut pas être dans le futur."), field="issued_on",
                            code="invalid_date")

    files = read_files(files)
    _check_limits(files)
    if not staff:
        _check_rate(household, now)
    _check_pending(household, child, document_type)
    checked = _scan_and_check(files)
    _check_quota(household, sum(len(result.content) for _item, result in checked))

    stored = []
    try:
        with transaction.atomic():
            locked = Household.objects.select_for_update().get(pk=household.pk)
            # Checked again under the household's lock: two parallel uploads cannot both pass.
            if not staff:
                _check_rate(locked, now)
            _check_pending(locked, child, document_type)
            _check_quota(locked, sum(len(result.content) for _item, result in checked))
            document = SupportingDocument.objects.create(
                household=locked, child=child, document_type=document_type, uploaded_by=user, uploaded_at=now,
                issued_on=issued_on,
            )
            store_checked_files(document, checked, now=now, stored=stored)
            audit.record(
                AuditEvent.Action.DOCUMENT,
                actor=user,
                request=request,
                household=locked,
                obj=document,
                summary=f"Pièce déposée : {document_type.name} ({child or locked})",
                after={"type": document_type.code, "child": child.pk if child else None, "files": len(checked),
                       "bytes": sum(len(result.content) for _item, result in checked)},
            )
            if accept:
                from .review import accept_document

                accept_document(document, user, valid_until=valid_until, now=now, request=request)
                document.refresh_from_db()
    except BaseException:
        for name in stored:
            DocumentFile.file.field.storage.delete(name)
        raise
    return document


def delete_document(user, document, *, request=None):
    """Delete ``document`` and its files. A parent deletes only a document of theirs that
    is not validated (pending or refused); staff need ``documents.delete_supportingdocument``."""
    staff = is_document_staff(user, DELETE_PERMISSION)
    if not staff and not documents_visible_to(user).filter(pk=document.pk).exists():
        raise NotVisible("document")
    with transaction.atomic():
        try:
            locked = SupportingDocument.objects.select_for_update().select_related("document_type").get(pk=document.pk)
        except SupportingDocument.DoesNotExist:
            raise NotVisible("document") from None
        if not staff and not locked.parent_may_delete:
            raise UploadRefused(
                _("Une pièce validée ne peut pas être supprimée en ligne : adressez-vous au service concerné."),
                code="not_deletable",
            )
        remove_document(locked, actor=user, request=request, reason="parent" if not staff else "agent")


def remove_document(document, *, actor=None, request=None, reason):
    """Trace and delete ``document`` (its files go once the transaction commits)."""
    with transaction.atomic():
        files = list(document.files.values_list("original_name", flat=True))
        audit.record(
            AuditEvent.Action.DOCUMENT_DELETION,
            actor=actor,
            request=request,
            household=document.household,
            obj=document,
            acting_for_family=bool(actor is not None and actor.is_staff),
            summary=f"Pièce supprimée ({reason}) : {document.document_type.name} ({document.child or document.household})",
            before={"type": document.document_type.code, "child": document.child_id, "status": document.status,
                    "valid_until": document.valid_until.isoformat() if document.valid_until else None,
                    "files": len(files)},
            after={"reason": reason},
        )
        document.delete()
