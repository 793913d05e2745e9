from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from portal.hooks import ACCOUNT_CLOSED, HOUSEHOLD_EXPORT, SPACE_LINKS


@hooks.register(SPACE_LINKS)
def space_links(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_staff:
        return []
    return [{
        "label": _("Accès à l'API"),
        "url": reverse("api_tokens:list"),
        "description": _("jetons d'accès pour l'application mobile de la commune"),
        "order": 90,
    }]


@hooks.register(HOUSEHOLD_EXPORT)
def household_export(household, user):
    """The reader's API access tokens: name and dates, never the token nor its hash."""
    from accounts.audit import json_value

    from .models import AccessToken

    rows = [{"nom": t.name, "créé le": json_value(t.created_at), "dernière utilisation le": json_value(t.last_used_at),
             "expire le": json_value(t.expires_at), "révoqué le": json_value(t.revoked_at)}
            for t in AccessToken.objects.filter(user=user).order_by("created_at", "pk")]
    return str(_("Jetons d'accès à l'API")), rows


@hooks.register(ACCOUNT_CLOSED)
def delete_access_tokens(user):
    """A closed account keeps no API token."""
    from .models import AccessToken

    AccessToken.objects.filter(user=user).delete()
