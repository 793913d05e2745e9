"""Creating, revoking and checking the family API's access tokens.

    create_token(user, *, name, expires_in_days=None, now, request=None) -> (AccessToken, str)
    revoke_token(user, token, *, now, request=None) -> AccessToken
    token_for(raw, *, now) -> AccessToken | None

A token is ``pf_`` followed by 43 random URL-safe characters (256 bits); only its SHA-256
is stored. Parents only: staff accounts get no token (the API is the families' own,
agents act for families in the admin). Creating and revoking are traced in the audit
trail (action ``api_token``), never with the token itself.
"""

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import record
from accounts.models import AuditEvent
from services.rules import Refusal

from .models import AccessToken

PREFIX = "pf_"
MAX_LIVE_TOKENS = 10
MAX_NAME_LENGTH = 100
EXPIRY_CHOICES = (30, 90, 365)
# last_used_at is written at most once a minute per token (not one write per request).
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def hash_token(raw):
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def may_hold_tokens(user):
    """Parents only: an active account that is not staff."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active
                and not user.is_staff)


def live_tokens(user, now):
    from django.db.models import Q

    return AccessToken.objects.filter(user=user, revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def create_token(user, *, name, expires_in_days=None, now, request=None):
    """A new token for ``user``; returns ``(AccessToken, raw token)``; the raw token is not kept."""
    if not may_hold_tokens(user):
        raise Refusal("staff_not_allowed", _("Les comptes du personnel de la commune n'ont pas d'accès à l'API "
                                             "famille."))
    name = " ".join((name or "").split())
    if not name:
        raise Refusal("name_required", _("Donnez un nom au jeton, par exemple celui de l'appareil."))
    if len(name) > MAX_NAME_LENGTH:
        raise Refusal("name_too_long", _("Le nom du jeton ne peut pas dépasser %(max)d caractères.")
                      % {"max": MAX_NAME_LENGTH})
    if expires_in_days is not None and int(expires_in_days) not in EXPIRY_CHOICES:
        raise Refusal("invalid_expiry", _("Durée de validité inconnue."))
    if live_tokens(user, now).count() >= MAX_LIVE_TOKENS:
        raise Refusal("too_many_tokens", _("Vous avez déjà %(max)d jetons actifs : révoquez-en un d'abord.")
                      % {"max": MAX_LIVE_TOKENS})
    raw = PREFIX + secrets.token_urlsafe(32)
    expires_at = now + dt.timedelta(days=int(expires_in_days)) if expires_in_days else None
    with transaction.atomic():
        token = AccessToken.objects.create(user=user, name=name, token_hash=hash_token(raw), created_at=now,
                                        expires_at=expires_at)
        record(AuditEvent.Action.API_TOKEN, actor=user, obj=token, request=request, acting_for_family=False,
               summary=_("Jeton d'accès à l'API créé : « %(name)s »") % {"name": name},
               after={"name": name, "expires_at": expires_at.isoformat() if expires_at else None})
    return token, raw


def revoke_token(user, token, *, now, request=None):
    """Revoke one of ``user``'s tokens (idempotent)."""
    if token.user_id != user.pk:
        raise Refusal("not_allowed", _("Ce jeton ne vous appartient pas."))
    with transaction.atomic():
        updated = AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
        if updated:
            token.revoked_at = now
            record(AuditEvent.Action.API_TOKEN, actor=user, obj=token, request=request, acting_for_family=False,
                   summary=_("Jeton d'accès à l'API révoqué : « %(name)s »") % {"name": token.name},
                   before={"name": token.name})
    token.refresh_from_db()
    return token


def token_for(raw, *, now):
    """The live token ``raw`` designates (None when unknown, revoked, expired, or when its
    account may no longer hold one); notes its use."""
    if not raw or not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    token = AccessToken.objects.filter(token_hash=hash_token(raw)).select_related("user").first()
    if token is None or not token.is_live(now) or not may_hold_tokens(token.user):
        return None
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_PRECISION:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def token_state(raw, *, now):
    """Why ``raw`` is refused: ``"expired"``, ``"revoked"`` or ``"invalid"`` (for the error message)."""
    if raw and raw.startswith(PREFIX) and len(raw) <= 100:
        token = AccessToken.objects.filter(token_hash=hash_token(raw)).first()
        if token is not None:
            if token.revoked_at is not None:
                return "revoked"
            if token.expires_at is not None and token.expires_at <= now:
                return "expired"
    return "invalid"
