"""Second factor for staff (TOTP, RFC 6238) before the Wagtail admin.

- Whoever may enter the admin (staff, superusers, anyone with ``wagtailadmin.access_admin``)
  must, once per session, give a code of their authenticator (or a recovery code) before
  any page below ``/admin/`` (``portal.middleware.StaffSecondFactorMiddleware``).
- At the first admin access the authenticator is enrolled: a QR code (inline SVG, no
  script) and the secret in text, then a first code confirms it and ten single-use
  recovery codes are shown once (stored hashed).
- A code is accepted in a window of one 30-second step either side, and never twice
  (``last_used_step``, updated with a conditional UPDATE so that two requests cannot
  spend the same code). Failures go through the login counters of ``accounts.throttle``
  (key ``otp:<user id>``).
- Everything is traced (``SECOND_FACTOR``); the secret and codes never are.
- A lost authenticator: ``manage.py reset_second_factor <e-mail>`` (traced); the next
  admin access enrols a new one.
"""

import hashlib
import secrets
import time

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import throttle
from .audit import record
from .models import AuditEvent, RecoveryCode, SecondFactor

SESSION_KEY = "_portal_second_factor"
RECOVERY_CODES = 10
VALID_WINDOW = 1  # steps accepted either side of the current one (clock drift)


def needs_second_factor(user):
    """Whether ``user`` must give a second factor to enter the admin."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin"))


def is_verified(request):
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated
                and request.session.get(SESSION_KEY, {}).get("uid") == user.pk)


def mark_verified(request, now=None):
    request.session[SESSION_KEY] = {"uid": request.user.pk, "at": (now or time.time())}


def confirmed_factor(user):
    return SecondFactor.objects.filter(user=user, confirmed_at__isnull=False).first()


def pending_factor(user):
    """The authenticator being enrolled (created on first call, kept across reloads)."""
    factor, _ = SecondFactor.objects.get_or_create(user=user, defaults={"secret": pyotp.random_base32(32)})
    return factor


def provisioning_uri(factor):
    return pyotp.TOTP(factor.secret).provisioning_uri(name=factor.user.email, issuer_name=issuer_name())


def issuer_name():
    return f"{settings.WAGTAIL_SITE_NAME} {settings.PORTAL_COMMUNE_NAME}".strip()


def qr_svg(factor):
    """The provisioning URI as an inline SVG QR code (no script, allowed by the CSP)."""
    return segno.make(provisioning_uri(factor), error="m").svg_inline(
        scale=4, title="QR code", svgclass="qr-code", lineclass="qr-line"
    )


def grouped_secret(factor):
    return " ".join(factor.secret[i:i + 4] for i in range(0, len(factor.secret), 4))


def _step(now):
    return int(now // 30)


def _matching_step(factor, code, now):
    code = "".join(ch for ch in str(code) if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(factor.secret)
    current = _step(now)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if secrets.compare_digest(totp.at(step * 30), code):
            return step
    return None


def check_totp(factor, code, now=None):
    """True when ``code`` is valid now and not used before (the step is then spent)."""
    now = now if now is not None else time.time()
    step = _matching_step(factor, code, now)
    if step is None or step <= factor.last_used_step:
        return False
    spent = SecondFactor.objects.filter(pk=factor.pk, last_used_step__lt=step).update(last_used_step=step)
    return spent == 1


def _hash_code(code):
    normalised = "".join(ch for ch in str(code).lower() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def new_recovery_codes(user):
    """Replace the user's recovery codes; returns the new ones (shown once)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    codes = ["-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(2))
             for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=_hash_code(c)) for c in codes])
    return codes


def use_recovery_code(user, code):
    spent = RecoveryCode.objects.filter(user=user, code_hash=_hash_code(code), used_at__isnull=True).update(
        used_at=timezone.now()
    )
    return spent == 1


class SecondFactorRefused(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code  # "invalid" or "throttled"
        self.until = None


def _throttle_key(user):
    return f"otp:{user.pk}"


def _check_not_throttled(user):
    until = throttle.blocked_until([_throttle_key(user)])
    if until is not None:
        error = SecondFactorRefused("throttled")
        error.until = until
        raise error


def _failure(user, request, what):
    throttle.register_failure([_throttle_key(user)])
    record(AuditEvent.Action.SECOND_FACTOR, actor=user, request=request, acting_for_family=False,
           summary=f"Second facteur refusé ({what})")
    raise SecondFactorRefused("invalid")


def confirm_enrolment(request, code, now=None):
    """Activate the pending authenticator with a first code; returns the recovery codes."""
    user = request.user
    _check_not_throttled(user)
    factor = pending_factor(user)
    if factor.confirmed_at is not None:
        raise SecondFactorRefused("invalid")
    if not check_totp(factor, code, now):
        _failure(user, request, "code d'activation")  # outside any transaction: the count stays
    with transaction.atomic():
        SecondFactor.objects.filter(pk=factor.pk).update(confirmed_at=timezone.now())
        codes = new_recovery_codes(user)
        record(AuditEvent.Action.SECOND_FACTOR, actor=user, obj=factor, request=request, acting_for_family=False,
               summary="Second facteur activé (application d'authentification), codes de secours créés")
    throttle.register_success([_throttle_key(user)])
    mark_verified(request)
    return codes


def verify(request, code, now=None):
    """Check a TOTP code or a recovery code for this session."""
    user = request.user
    _check_not_throttled(user)
    factor = confirmed_factor(user)
    if factor is None:
        raise SecondFactorRefused("invalid")
    code = (code or "").strip()
    if "-" in code or any(ch.isalpha() for ch in code):
        if not use_recovery_code(user, code):
            _failure(user, request, "code de secours")
        left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
        summary = f"Second facteur vérifié avec un code de secours ({left} restants)"
    else:
        if not check_totp(factor, code, now):
            _failure(user, request, "code")
        summary = "Second facteur vérifié"
    throttle.register_success([_throttle_key(user)])
    record(AuditEvent.Action.SECOND_FACTOR, actor=user, request=request, acting_for_family=False, summary=summary)
    mark_verified(request)


def reset(user, *, by=None, request=None):
    """Remove a staff member's authenticator and recovery codes (lost phone)."""
    with transaction.atomic():
        SecondFactor.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        record(AuditEvent.Action.SECOND_FACTOR, actor=by, request=request, acting_for_family=False,
               summary=f"Second facteur réinitialisé pour {user.email}", after={"user": user.email})


def set_secret(user, secret, *, confirmed=True):
    """Give ``user`` an authenticator with a known secret (demo data and tests only)."""
    factor, _ = SecondFactor.objects.update_or_create(
        user=user, defaults={"secret": secret, "confirmed_at": timezone.now() if confirmed else None}
    )
    return factor
