from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from portal.hooks import SPACE_LINKS


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
