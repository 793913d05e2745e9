"""Editorial documents (Wagtail documents: activity regulations, menus, the privacy notice
as PDF...). Staff file them in collections: a public collection's documents are public;
a collection with a "login" privacy (Wagtail's collection privacy, set in the admin or by
the demo) keeps its documents for logged-in users. Wagtail's own check sends anonymous
visitors to the login page; this module then serves those private documents with
``Cache-Control: no-store`` (never kept by a shared cache), ``nosniff`` and a closed CSP,
through X-Accel-Redirect behind nginx when ``PORTAL_MEDIA_ACCEL_REDIRECT_PREFIX`` is set."""

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from wagtail.documents.models import document_served


def is_restricted(document):
    return document.collection.get_view_restrictions().exists()


def serve_private_editorial_document(document, request):
    if not is_restricted(document):
        return None  # public: Wagtail serves it
    try:
        local_path = document.file.path
    except NotImplementedError:
        return None  # remote storage: Wagtail's own serving
    if getattr(settings, "SENDFILE_BACKEND", None) == "documents.sendfile_nginx":
        from .sendfile_nginx import sendfile

        response = sendfile(request, local_path)
        response["Content-Type"] = document.content_type
    else:
        # Wagtail only takes an HttpResponse from this hook (not a streaming one): editorial
        # documents are small (WAGTAILDOCS_MAX_UPLOAD_SIZE), read whole.
        with open(local_path, "rb") as handle:
            response = HttpResponse(handle.read(), content_type=document.content_type)
    response["Content-Disposition"] = document.content_disposition
    response["Content-Security-Policy"] = "default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    document_served.send(sender=type(document), instance=document, request=request)
    return response
