from django import template
from django.db.models import Q
from django.urls import translate_url
from wagtail.models import Page

from home.models import AssistancePage, PrivacyNoticePage, RegulationPage, StandardPage

register = template.Library()


ACCESSIBILITY_SLUG = "accessibilite"


@register.inclusion_tag("includes/footer_links.html", takes_context=True)
def footer_links(context):
    """The legal and help pages of the footer, in the active language when translated,
    in French otherwise: one query for all four."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils.translation import get_language

    types = ContentType.objects.get_for_models(RegulationPage, PrivacyNoticePage, AssistancePage, StandardPage)
    kinds = {types[RegulationPage].pk: "regulation", types[PrivacyNoticePage].pk: "privacy",
             types[AssistancePage].pk: "assistance"}
    language = (get_language() or "fr").split("-")[0]
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
    return links


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
        if url is None:
            url = translate_url(request.get_full_path(), code)
            if url == request.get_full_path() and code != current:
                url = f"/{code}/"
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return {"links": links}
