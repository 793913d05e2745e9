"""Serving a private file (a family's document) once the caller's right is checked.

    private_file_response(relative_path, *, filename, content_type, inline=False)

``relative_path`` is relative to ``PRIVATE_MEDIA_ROOT``. Behind nginx
(``PRIVATE_MEDIA_X_ACCEL_PREFIX`` set, e.g. ``/_private/``) the answer is empty with an
``X-Accel-Redirect`` to that internal location, and nginx sends the file
(``deploy/nginx/portal.conf``); otherwise Django streams it. Either way the answer is
``Cache-Control: no-store``, ``nosniff``, and the download name is cleaned (no path, no
quote, no control character) before it reaches ``Content-Disposition``.

The view that calls this checks the right first (and answers 404 otherwise): this
function checks only that the path stays inside the private folder.
"""

import mimetypes
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import add_never_cache_headers

_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/;:*?<>|]+')


def clean_filename(name, default="document"):
    """A download name safe for Content-Disposition: the base name only, no control
    character, quote, slash or separator; at most 120 characters; extension kept."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" ._")
    if not name:
        return default
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 120 - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else name[:120]
    return name


def _content_disposition(filename, inline):
    kind = "inline" if inline else "attachment"
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode() or "document"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def resolve_private_path(relative_path):
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    full = (root / str(relative_path)).resolve()
    if root != full and root not in full.parents:
        raise Http404("outside the private folder")
    return root, full


def private_file_response(relative_path, *, filename, content_type=None, inline=False):
    root, full = resolve_private_path(relative_path)
    if not full.is_file():
        raise Http404("no such file")
    filename = clean_filename(filename)
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    prefix = settings.PRIVATE_MEDIA_X_ACCEL_PREFIX
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(full.relative_to(root).as_posix())
    else:
        response = FileResponse(full.open("rb"), content_type=content_type)
    response["Content-Disposition"] = _content_disposition(filename, inline)
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, private, max-age=0"
    return response
