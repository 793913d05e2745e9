"""The regulation acceptance gate (Article III), shared by every gated action.

Contract used by the other apps (bookings, payments, family-record changes, documents):

    acceptance_refusal(user) -> str | None

returns None when the user may act (no regulation in force, or its current version
accepted), otherwise a message (in the active language) telling why the action is
refused. Domain functions call it on the server before any write.

    accept_current(user, request=None) -> RegulationAcceptance | None

records that ``user`` accepts the version in force (None when no regulation is in
force); idempotent. Tests of the other areas call it to put their parents past the gate.

    regulation_accepted_required(view)

a view decorator: a GET (or HEAD) from a user who has not accepted the version in force
is sent to the acceptance screen (``home:accept_regulation``) with ``next``; any other
method is refused (403) with the message. Anonymous users are sent to the login page.

The version in force is the latest version of the live regulation page in the language
of reference (French, ``settings.LANGUAGE_CODE``); translations are for reading.

Staff (``is_staff``) are not parents: the gate lets them through. An agent who acts for
a family (a paper-only household, a booking made at the desk) is never blocked by their
own acceptance; the household's acceptance is not asked either, since the family gave
its consent to the agent (paper mode, Article 5.4) or accepts online for itself. A staff
member who is also a parent uses a separate parent account for their own family.
"""

import functools

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from accounts.audit import client_ip, record
from accounts.models import AuditEvent

from .models import LegalTextVersion, RegulationAcceptance
from .versions import reference_language, text_hash

_REQUEST_CACHE = "_portal_regulation_status"


def current_version():
    """The version of the regulation in force, or None."""
    return (
        LegalTextVersion.objects.filter(
            kind=LegalTextVersion.Kind.REGULATION,
            language_code=reference_language(),
            page__live=True,
            page__locale__language_code=reference_language(),
        )
        .order_by("-published_at", "-number")
        .first()
    )


def status(user):
    """(version in force or None, whether ``user`` accepted it): one query."""
    acceptances = RegulationAcceptance.objects.filter(user_id=user.pk, version=OuterRef("pk"))
    version = (
        LegalTextVersion.objects.filter(
            kind=LegalTextVersion.Kind.REGULATION,
            language_code=reference_language(),
            page__live=True,
            page__locale__language_code=reference_language(),
        )
        .annotate(accepted=Exists(acceptances))
        .order_by("-published_at", "-number")
        .first()
    )
    if version is None:
        return None, True
    return version, version.accepted


def is_exempt(user):
    """Staff act for families and are not asked to accept the regulation themselves."""
    return bool(user.is_staff)


def acceptance_refusal(user):
    """None when ``user`` may act, else the reason (a message in the active language)."""
    if user is None or not user.is_authenticated:
        return _("Connectez-vous à votre espace famille pour faire cette démarche.")
    if is_exempt(user):
        return None
    version, accepted = status(user)
    if accepted:
        return None
    return _(
        "Vous devez d'abord accepter le règlement d'utilisation du Portail Famille en vigueur (version "
        "%(number)s) : aucune inscription, réservation, annulation, paiement ou modification de votre fiche "
        "famille n'est possible avant."
    ) % {"number": version.number}


def pending_version(user):
    """The version ``user`` still has to accept, or None (cached on the request when given)."""
    if user is None or not user.is_authenticated or is_exempt(user):
        return None
    version, accepted = status(user)
    return None if accepted else version


def pending_version_for_request(request):
    """``pending_version(request.user)``, computed once per request."""
    if not hasattr(request, _REQUEST_CACHE):
        setattr(request, _REQUEST_CACHE, pending_version(getattr(request, "user", None)))
    return getattr(request, _REQUEST_CACHE)


def last_accepted_version(user):
    """The latest regulation version ``user`` accepted, or None."""
    acceptance = (
        RegulationAcceptance.objects.filter(user_id=user.pk, version__kind=LegalTextVersion.Kind.REGULATION)
        .select_related("version")
        .order_by("-version__published_at", "-version__number")
        .first()
    )
    return acceptance.version if acceptance else None


class VersionChanged(Exception):
    """The version shown to the parent is no longer the one in force."""


def accept_current(user, request=None, *, version_number=None):
    """Record that ``user`` accepts the version in force, with the hash of its text, the
    time and the client's address; one audit event. Idempotent (an existing acceptance
    of that version is returned). With ``version_number``, refuses (VersionChanged) when
    the version in force is another one: the parent accepts only the text they saw."""
    version = current_version()
    if version is None:
        return None
    if version_number is not None and int(version_number) != version.number:
        raise VersionChanged(version)
    existing = RegulationAcceptance.objects.filter(user_id=user.pk, version=version).first()
    if existing is not None:
        return existing
    digest = text_hash(version.content)
    if digest != version.text_hash:  # the stored text no longer matches its hash
        raise RuntimeError(f"Le texte de la version {version.number} ne correspond plus à son empreinte.")
    try:
        with transaction.atomic():
            acceptance = RegulationAcceptance.objects.create(
                user=user,
                user_label=user.email,
                version=version,
                text_hash=digest,
                ip_address=client_ip(request),
                user_agent=(request.META.get("HTTP_USER_AGENT", "")[:255] if request is not None else ""),
            )
            record(
                AuditEvent.Action.REGULATION_ACCEPTANCE,
                actor=user,
                request=request,
                obj=acceptance,
                acting_for_family=False,
                summary=f"Acceptation du règlement d'utilisation, version {version.number}",
                after={"version": version.number, "text_hash": digest},
            )
    except IntegrityError:  # accepted at the same moment in another tab
        return RegulationAcceptance.objects.get(user_id=user.pk, version=version)
    if request is not None and hasattr(request, _REQUEST_CACHE):
        delattr(request, _REQUEST_CACHE)
    return acceptance


def regulation_accepted_required(view):
    """View decorator: the regulation in force must be accepted (see the module doc)."""
    from django.contrib.auth.views import redirect_to_login
    from django.shortcuts import redirect, render
    from django.urls import reverse
    from django.utils.http import urlencode

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        refusal = acceptance_refusal(user)
        if refusal is None:
            return view(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            return redirect(f"{reverse('home:accept_regulation')}?{urlencode({'next': request.get_full_path()})}")
        return render(request, "home/acceptance_required.html", {"refusal": refusal}, status=403)

    return wrapped
