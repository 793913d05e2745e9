"""The audit trail (Article 4.1): one event per traced operation, never a secret.

Call ``record(...)`` inside the same transaction as the operation it traces, so that
an operation and its event are written together or not at all."""

from portal.request_log import request_id_var

from .models import AuditEvent

# Keys whose values never reach the trail, whatever the caller passes.
SECRET_KEY_PARTS = ("password", "token", "secret", "otp", "key", "iban", "card")
REDACTED = "[masqué]"


def scrub(value):
    """A copy of ``value`` with every secret-looking key's value masked."""
    if isinstance(value, dict):
        return {
            k: (REDACTED if any(part in str(k).lower() for part in SECRET_KEY_PARTS) else scrub(v))
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [scrub(v) for v in value]
    return value


def client_ip(request):
    """The client's address as seen by the application (the proxy sets REMOTE_ADDR
    through gunicorn's forwarded-allow-ips; X-Forwarded-For is not trusted here)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _current_request_id(request):
    request_id = getattr(request, "request_id", None) or request_id_var.get()
    return "" if request_id == "-" else request_id


def _derived(obj, name, model_name):
    """``obj`` itself when it is a ``model_name``, else its ``name`` attribute when that is one."""
    if obj is None:
        return None
    if obj._meta.label_lower == f"accounts.{model_name}":
        return obj
    related = getattr(obj, name, None)
    if related is not None and getattr(related, "_meta", None) is not None \
            and related._meta.label_lower == f"accounts.{model_name}":
        return related
    return None


def channel_of(request):
    """Where an operation came from, by the path of its request: the family API
    (``/api/``), the Wagtail admin (``/admin/``), the portal; no request: a background
    job or a command."""
    if request is None:
        return AuditEvent.Channel.SYSTEM
    path = getattr(request, "path_info", None) or getattr(request, "path", "") or ""
    if path.startswith("/api/"):
        return AuditEvent.Channel.API
    if path.startswith("/admin/"):
        return AuditEvent.Channel.ADMIN
    return AuditEvent.Channel.WEB


def record(action, *, actor=None, household=None, obj=None, summary="", before=None, after=None,
           request=None, acting_for_family=None, child=None, guardian=None):
    """Write one audit event and return it.

    ``child``: the child the operation concerns (derived from ``obj`` when it is a child or
    has a ``child`` attribute); a parent's history shows only the children they hold rights
    on. ``guardian``: the one guardian an operation concerns (a guardian record itself, an
    invoice or payment of one payer: derived from ``obj`` or ``obj.payer``); the other
    guardians of the household do not see it in their history."""
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    if acting_for_family is None:
        acting_for_family = bool(actor is not None and actor.is_staff and household is not None)
    if child is None:
        child = _derived(obj, "child", "child")
    if guardian is None:
        guardian = _derived(obj, "payer", "guardian")
    return AuditEvent.objects.create(
        child=child,
        guardian=guardian,
        action=action,
        actor=actor,
        actor_label=(actor.email if actor is not None else ""),
        household=household,
        acting_for_family=acting_for_family,
        object_type=(obj._meta.label_lower if obj is not None else ""),
        object_id=(str(obj.pk) if obj is not None and obj.pk is not None else ""),
        summary=summary[:255],
        before=scrub(before),
        after=scrub(after),
        ip_address=client_ip(request),
        request_id=_current_request_id(request),
        channel=channel_of(request),
    )


def on_login(sender, request, user, **kwargs):
    record(AuditEvent.Action.LOGIN, actor=user, request=request, acting_for_family=False,
           summary="Connexion réussie")


def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(AuditEvent.Action.LOGOUT, actor=user, request=request, acting_for_family=False,
               summary="Déconnexion")


def on_login_failed(sender, credentials, request=None, **kwargs):
    # Django already masks the password in ``credentials``; only the address is kept.
    attempted = str(credentials.get("username") or credentials.get("email") or "")[:200]
    record(AuditEvent.Action.LOGIN_FAILED, request=request, acting_for_family=False,
           summary=f"Échec de connexion pour {attempted}", after={"email": attempted})


def household_of(obj):
    """The household a family record belongs to (None for anything else)."""
    from .models import Household

    if isinstance(obj, Household):
        return obj
    for path in ("household", "child", "guardian"):
        related = getattr(obj, path, None)
        if related is not None:
            return household_of(related)
    return None


def json_value(value):
    """A JSON-friendly form of a form value (dates, decimals, records become text)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple, set)):
        return [json_value(v) for v in value]
    return str(value)


def form_changes(form):
    """(before, after) of the fields the form changed, for the trail."""
    before = {name: json_value(form.initial.get(name)) for name in form.changed_data}
    after = {name: json_value(form.cleaned_data.get(name)) for name in form.changed_data}
    return before, after


# Fields whose change is a change of contact details (Article 4.1 lists it apart).
CONTACT_FIELDS = {"address_line1", "address_line2", "postcode", "city", "phone_home", "phone_mobile",
                  "phone_work", "email"}


def record_family_change(request, instance, form=None, *, deleted=False):
    """Trace a change that staff made to a family record through the admin (an agent acting
    for the family): an authorisation, a switch to or from paper mode, a guardian's link to
    an account, a change of contact details, or another change of the family file."""
    if deleted:
        before, after, verb = {"record": str(instance)}, None, "supprimé"
    else:
        before, after = form_changes(form)
        verb = "créé" if not form.initial else "modifié"
        if not after and form.initial:
            return None  # saved without any change: nothing to trace
    changed = set((after or {}).keys())
    label = instance._meta.label_lower
    if label == "accounts.authorisation":
        action = AuditEvent.Action.AUTHORISATION
    elif "paper_only" in changed:
        action = AuditEvent.Action.PAPER_MODE
    elif label == "accounts.guardian" and changed & {"user", "rights_confirmed"}:
        action = AuditEvent.Action.HOUSEHOLD_LINK
    elif changed & CONTACT_FIELDS:
        action = AuditEvent.Action.CONTACT_CHANGE
    else:
        action = AuditEvent.Action.FAMILY_CHANGE
    return record(
        action,
        request=request,
        household=household_of(instance),
        obj=instance,
        summary=f"{instance._meta.verbose_name} {verb} : {instance}",
        before=before,
        after=after,
    )
