"""A Wagtail ``SENDFILE_BACKEND`` for editorial documents behind nginx: the document view
(which checks the collection's privacy) answers with ``X-Accel-Redirect`` to
``SENDFILE_URL`` + the path below ``SENDFILE_ROOT`` (MEDIA_ROOT), an ``internal`` nginx
location; nginx itself refuses ``/media/documents/``. Enabled by
``PORTAL_MEDIA_ACCEL_REDIRECT_PREFIX`` (see the README)."""

import os
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse


def sendfile(request, filename, **kwargs):
    root = os.path.abspath(settings.SENDFILE_ROOT)
    path = os.path.abspath(filename)
    relative = os.path.relpath(path, root)
    if relative.startswith(".."):
        raise ValueError("the file is not below SENDFILE_ROOT")
    response = HttpResponse()
    response["X-Accel-Redirect"] = settings.SENDFILE_URL.rstrip("/") + "/" + quote(relative.replace(os.sep, "/"))
    return response
