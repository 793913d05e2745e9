"""Serving a private file, once the caller has checked the right.

Every answer is ``Cache-Control: no-store`` (never kept by a browser or a proxy),
``X-Content-Type-Options: nosniff``, with the content type the checks established and a
``Content-Disposition`` whose name is cleaned (``attachment`` for the families;
``inline`` only for the agents' preview in the admin). Behind nginx
(``PORTAL_DOCUMENTS_ACCEL_REDIRECT_PREFIX``), the body is left to nginx through
``X-Accel-Redirect`` to an ``internal`` location aliased to ``PRIVATE_MEDIA_ROOT``.
Each download writes a ``DOCUMENT_DOWNLOAD`` audit event.
"""

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import add_never_cache_headers

from accounts import audit
from accounts.models import AuditEvent

from .checks import content_disposition


def file_response(request, document_file, *, inline=False):
    storage = document_file.file.storage
    name = document_file.file.name
    if not name or not storage.exists(name):
        raise Http404("file missing")
    prefix = settings.PORTAL_DOCUMENTS_ACCEL_REDIRECT_PREFIX
    if prefix:
        response = HttpResponse(content_type=document_file.content_type)
        response["X-Accel-Redirect"] = prefix + quote(name)
    else:
        response = FileResponse(storage.open(name, "rb"), content_type=document_file.content_type)
        response["Content-Length"] = str(document_file.size)
    response["Content-Disposition"] = content_disposition(document_file.original_name, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    if inline:
        # Shown inside the admin's review page (same origin). Chromium's PDF viewer does
        # not start under default-src 'none'; the PDF was checked free of active content.
        if document_file.is_pdf:
            response["Content-Security-Policy"] = "default-src 'self'; frame-ancestors 'self'"
        else:
            response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; " \
                                                  "frame-ancestors 'self'"
        response["X-Frame-Options"] = "SAMEORIGIN"
    else:
        response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    add_never_cache_headers(response)
    return response


def record_download(request, document_file):
    document = document_file.document
    audit.record(
        AuditEvent.Action.DOCUMENT_DOWNLOAD,
        request=request,
        household=document.household,
        obj=document,
        summary=f"Pièce consultée : {document.document_type.name} ({document.child or document.household}), "
                f"fichier {document_file.position}",
        after={"file": document_file.pk, "position": document_file.position},
    )
