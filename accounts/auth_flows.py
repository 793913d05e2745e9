"""Registration with e-mail verification, password reset and change, e-mail change.

Rules (quality bar, issue 4):

- a new account stays inactive until the link e-mailed to its address is followed;
  the link is signed and valid 48 hours (``VERIFY_MAX_AGE``);
- registering with an address that already has an account gives the same answer as a
  new registration; the owner of the address is told by e-mail instead (no enumeration);
- password reset: the view always does the same thing, whatever the address: count it
  against the rate limits and enqueue ``send_password_reset``; the task (the worker, in
  production) looks the account up and e-mails a link valid 1 hour and usable once
  (Django's token generator: it changes with the password; ``PASSWORD_RESET_TIMEOUT``);
- password and e-mail changes need the current password; a notice goes to the (old)
  address; a password change ends the account's other sessions (Django checks each
  session against the password hash);
- every step is traced.
"""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from portal.notifications import notify

from . import throttle
from .audit import record
from .models import AuditEvent, User, normalize_email_address

VERIFY_MAX_AGE = datetime.timedelta(hours=48)
EMAIL_CHANGE_MAX_AGE = datetime.timedelta(hours=48)
_VERIFY_SALT = "accounts.verify-email"
_EMAIL_CHANGE_SALT = "accounts.change-email"


class InvalidLink(Exception):
    """A link that is forged, expired or already used."""


def absolute_url(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _url(name, language, **kwargs):
    with translation.override(language or settings.LANGUAGE_CODE):
        return absolute_url(reverse(name, kwargs=kwargs))


def _timestamp(now):
    return int(now.timestamp())


def _load(token, salt, max_age, now):
    try:
        data = signing.loads(token, salt=salt)
    except signing.BadSignature as error:
        raise InvalidLink("signature") from error
    issued = datetime.datetime.fromtimestamp(data.get("t", 0), tz=datetime.timezone.utc)
    if now - issued > max_age or issued - now > datetime.timedelta(minutes=5):
        raise InvalidLink("expired")
    return data


# --- registration -----------------------------------------------------------------------


def verification_token(user, now=None):
    now = now or timezone.now()
    return signing.dumps({"u": user.pk, "e": user.email, "t": _timestamp(now)}, salt=_VERIFY_SALT)


def send_verification(user, now=None):
    link = _url("auth:verify_email", user.preferred_language, token=verification_token(user, now))
    notify(user.email, "accounts_verify_email", {"user": user, "link": link, "hours": 48},
           language=user.preferred_language)


def register(*, email, password, first_name, last_name, preferred_language="fr", request=None, now=None):
    """Create an inactive account and e-mail its verification link; for an address that
    already has an account, e-mail its owner instead. Returns the new user or None."""
    now = now or timezone.now()
    email = normalize_email_address(email)
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        notify(email, "accounts_already_registered",
               {"user": existing, "login": _url("accounts:login", existing.preferred_language),
                "reset": _url("auth:password_reset", existing.preferred_language)},
               language=existing.preferred_language)
        return None
    try:
        with transaction.atomic():
            user = User(email=email, first_name=first_name.strip(), last_name=last_name.strip(),
                        preferred_language=preferred_language, is_active=False, email_verified_at=None)
            user.set_password(password)
            user.save()
            record(AuditEvent.Action.REGISTRATION, actor=user, obj=user, request=request, acting_for_family=False,
                   summary="Création du compte (en attente de vérification de l'adresse)",
                   after={"email": email})
    except IntegrityError:  # the same address registered at the same moment
        return None
    send_verification(user, now)
    return user


def verify_email(token, *, request=None, now=None):
    """Activate the account of a verification link; returns the user. A link followed
    again after success changes nothing and is accepted."""
    now = now or timezone.now()
    data = _load(token, _VERIFY_SALT, VERIFY_MAX_AGE, now)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=data.get("u"), email=data.get("e"),
                                                       closed_at__isnull=True).first()
        if user is None:
            raise InvalidLink("unknown")
        if user.email_verified_at is None:
            user.email_verified_at = now
            user.is_active = True
            user.save(update_fields=["email_verified_at", "is_active"])
            record(AuditEvent.Action.EMAIL_VERIFIED, actor=user, obj=user, request=request, acting_for_family=False,
                   summary="Adresse e-mail vérifiée : compte activé")
    return user


# --- password reset -----------------------------------------------------------------


@task()
def send_password_reset(email, language="fr"):
    """Background half of a reset request: the link to the account of ``email``, if any
    (active, or waiting for its verification). Nothing is sent for an unknown address."""
    user = User.objects.filter(email=normalize_email_address(email), closed_at__isnull=True).first()
    if user is None or not (user.is_active or user.is_pending_verification):
        return False  # unknown, or disabled by the commune: nothing to send
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = _url("auth:password_reset_confirm", user.preferred_language or language, uidb64=uid,
                token=default_token_generator.make_token(user))
    notify(user.email, "accounts_password_reset", {"user": user, "link": link, "minutes": 60},
           language=user.preferred_language or language)
    return True


def request_password_reset(email, *, language="fr"):
    """The request half: identical work for every address (see the module docstring)."""
    send_password_reset.enqueue(normalize_email_address(email), language)


def password_was_reset(user, *, request=None):
    """After a completed reset: the account is usable (the mailbox is proven), its login
    counter starts afresh, the owner is told."""
    if user.is_pending_verification:
        user.is_active = True
        user.email_verified_at = timezone.now()
        user.save(update_fields=["is_active", "email_verified_at"])
    throttle.clear_account(user.email)
    record(AuditEvent.Action.PASSWORD_RESET, actor=user, obj=user, request=request, acting_for_family=False,
           summary="Mot de passe réinitialisé par lien e-mail")
    notify(user.email, "accounts_password_changed", {"user": user, "reset": True},
           language=user.preferred_language)


def password_was_changed(user, *, request=None):
    record(AuditEvent.Action.PASSWORD_CHANGE, actor=user, obj=user, request=request, acting_for_family=False,
           summary="Mot de passe changé (les autres sessions sont fermées)")
    notify(user.email, "accounts_password_changed", {"user": user, "reset": False},
           language=user.preferred_language)


# --- e-mail change --------------------------------------------------------------------


def email_change_token(user, new_email, now=None):
    now = now or timezone.now()
    return signing.dumps({"u": user.pk, "o": user.email, "n": normalize_email_address(new_email),
                          "t": _timestamp(now), "r": secrets.token_hex(4)}, salt=_EMAIL_CHANGE_SALT)


def start_email_change(user, new_email, *, request=None, now=None):
    """Send the confirmation link to the new address and a notice to the current one."""
    new_email = normalize_email_address(new_email)
    link = _url("auth:email_change_confirm", user.preferred_language, token=email_change_token(user, new_email, now))
    notify(new_email, "accounts_email_change_confirm", {"user": user, "link": link, "new_email": new_email,
                                                        "hours": 48}, language=user.preferred_language)
    notify(user.email, "accounts_email_change_notice", {"user": user, "new_email": new_email, "done": False},
           language=user.preferred_language)
    record(AuditEvent.Action.EMAIL_CHANGE, actor=user, obj=user, request=request, acting_for_family=False,
           summary="Changement d'adresse e-mail demandé (lien envoyé à la nouvelle adresse)",
           before={"email": user.email}, after={"email": new_email, "confirmed": False})


def confirm_email_change(token, *, request=None, now=None):
    """Apply a confirmed e-mail change; the link is usable once (the account's address
    must still be the old one). Returns the user."""
    now = now or timezone.now()
    data = _load(token, _EMAIL_CHANGE_SALT, EMAIL_CHANGE_MAX_AGE, now)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=data.get("u"), email=data.get("o"),
                                                       closed_at__isnull=True).first()
        if user is None:
            raise InvalidLink("used")
        if User.objects.filter(email=data["n"]).exclude(pk=user.pk).exists():
            raise InvalidLink("taken")
        old = user.email
        user.email = data["n"]
        user.email_verified_at = now
        user.save(update_fields=["email", "email_verified_at"])
        record(AuditEvent.Action.EMAIL_CHANGE, actor=user, obj=user, request=request, acting_for_family=False,
               summary="Adresse e-mail du compte changée", before={"email": old}, after={"email": user.email})
    notify(old, "accounts_email_change_notice", {"user": user, "new_email": user.email, "done": True},
           language=user.preferred_language)
    return user
