from django import template
from django.db.models import Q
from django.urls import translate_url
from wagtail.models import Page

from home.models import AssistancePage, NewsIndexPage, PrivacyNoticePage, RegulationPage, StandardPage

register = template.Library()


ACCESSIBILITY_SLUG = "accessibilite"
_CACHE_ATTR = "_portal_site_links"


def site_links(context):
    """The legal and help pages of the footer and the news index of the menu, in the
    active language when translated, in French otherwise: one query for all of them
    (cached on the request, for the menu and the footer)."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils.translation import get_language

    request = context.get("request") if hasattr(context, "get") else None
    language = (get_language() or "fr").split("-")[0]
    cached = getattr(request, _CACHE_ATTR, None) if request is not None else None
    if cached is not None and cached[0] == language:
        return cached[1]
    types = ContentType.objects.get_for_models(RegulationPage, PrivacyNoticePage, AssistancePage, StandardPage,
                                               NewsIndexPage)
    kinds = {types[RegulationPage].pk: "regulation", types[PrivacyNoticePage].pk: "privacy",
             types[AssistancePage].pk: "assistance", types[NewsIndexPage].pk: "news"}
    candidates = (
        Page.objects.live()
        .filter(locale__language_code__in={language, "fr"})
        .filter(
            Q(content_type_id__in=kinds)
            | Q(content_type_id=types[StandardPage].pk, slug__startswith=ACCESSIBILITY_SLUG)
        )
        .select_related("locale")
        .order_by("path")
    )
    links = {}
    for page in candidates:
        kind = kinds.get(page.content_type_id, "accessibility")
        if kind not in links or page.locale.language_code == language:
            links[kind] = page
    if request is not None:
        setattr(request, _CACHE_ATTR, (language, links))
    return links


@register.inclusion_tag("includes/footer_links.html", takes_context=True)
def footer_links(context):
    links = site_links(context)
    return {kind: page for kind, page in links.items() if kind != "news"}


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    from django.utils.translation import get_language

    request = context.get("request")
    links = site_links(context)
    return {
        "home_url": f"/{(get_language() or 'fr').split('-')[0]}/",
        "news": links.get("news"),
        "assistance": links.get("assistance"),
        "current_path": request.path if request is not None else "",
    }


@register.inclusion_tag("includes/regulation_notice.html", takes_context=True)
def regulation_notice(context):
    """For a parent who has a version of the regulation to accept: a notice with the way
    to the acceptance screen (not on that screen itself)."""
    from django.urls import reverse

    from home.acceptance import pending_version_for_request

    request = context.get("request")
    if request is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    accept_url = reverse("home:accept_regulation")
    if request.path == accept_url:
        return {}
    version = pending_version_for_request(request)
    return {"version": version, "accept_url": accept_url, "next": request.get_full_path()}


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to the same page in the other languages: the page's translation when it
    exists, otherwise the same URL with the other language prefix."""
    request = context["request"]
    page = context.get("page")
    links = []
    from django.conf import settings
    from django.utils.translation import get_language

    current = get_language()
    for code, name in settings.LANGUAGES:
        url = None
        if isinstance(page, Page):
            translation = page.get_translations(inclusive=True).live().filter(locale__language_code=code).first()
            if translation is not None:
                url = translation.url
                # An embedded screen below a page (a service's espace/...): the same screen.
                from home.models import LegalPageMixin

                page_url = page.url or ""
                if (url and page_url and request.path.startswith(page_url) and request.path != page_url
                        and not isinstance(page.specific_deferred, LegalPageMixin)):
                    url += request.path[len(page_url):]
        if url is None:
            url = translate_url(request.get_full_path(), code)
            if url == request.get_full_path() and code != current:
                url = f"/{code}/"
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return {"links": links}


@register.filter
def diff_label(status):
    from django.utils.translation import gettext as _

    return {
        "changed": _("Passage modifié"),
        "added": _("Passage ajouté"),
        "removed": _("Passage supprimé"),
    }.get(status, "")
