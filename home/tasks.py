"""Background work of the home app (django_tasks)."""

from django.conf import settings
from django_tasks import task

CHUNK_SIZE = 500


def parents_to_tell():
    """Active parent accounts (not staff), streamed from the database in chunks."""
    from accounts.models import User

    return (
        User.objects.filter(is_active=True, is_staff=False)
        .order_by("pk")
        .only("pk", "email", "first_name", "last_name", "preferred_language")
        .iterator(chunk_size=CHUNK_SIZE)
    )


def _absolute(base, url):
    return url if url.startswith(("http://", "https://")) else base + url


@task()
def announce_new_regulation_version(version_id):
    """Tell every parent that a new version of the regulation is in force: one e-mail
    (one ``send_email`` task) per parent, users streamed in chunks, never all in memory.
    Not optional (accounts.preferences): the parent must accept the new version."""
    from portal.notifications import notify

    from .models import LegalTextVersion, RegulationPage

    version = LegalTextVersion.objects.get(pk=version_id)
    page = RegulationPage.objects.filter(pk=version.page_id).first()
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    sent = 0
    for user in parents_to_tell():
        language = user.preferred_language or settings.LANGUAGE_CODE
        context = {
            "user": user,
            "version": version,
            "accept_url": f"{base}/{language}/portail/reglement/accepter/",
            "regulation_url": _absolute(base, page.url) if page is not None else "",
        }
        notify(user.email, "home_regulation_new_version", context, language=language)
        sent += 1
    return sent
