from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from portal.hooks import SPACE_LINKS, collect

from .models import Guardian
from .selectors import space_context
from .views_auth import LoginView, LogoutView  # noqa: F401 (the login and logout of accounts.urls)


@never_cache
@login_required
def space(request):
    """The parent's space: the household file and the children the user holds rights on,
    and the way into every area's screens (the ``portal_space_links`` hook)."""
    context = space_context(request.user)
    context["space_links"] = space_links(request)
    context["pending_links"] = Guardian.objects.filter(user=request.user, rights_confirmed=False).select_related(
        "household")
    return render(request, "accounts/space.html", context)


def space_links(request):
    """Entries of the parent's space menu, from every app's ``portal_space_links`` hook.

    A hook is called with the request and returns a list of dicts with ``label``,
    ``url``, optional ``description`` and ``order`` (smaller first)."""
    links = []
    for entries in collect(SPACE_LINKS, request):
        links.extend(entries or [])
    return sorted(links, key=lambda link: (link.get("order", 100), str(link["label"])))
