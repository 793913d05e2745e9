from django import template
from django.urls import translate_url
from wagtail.models import Locale, Page

from home.models import AssistancePage, PrivacyNoticePage, RegulationPage, StandardPage

register = template.Library()


def _in_locale(model, locale):
    page = model.objects.live().filter(locale=locale).first()
    if page is None:
        page = model.objects.live().filter(locale__language_code="fr").first()
    return page


@register.inclusion_tag("includes/footer_links.html", takes_context=True)
def footer_links(context):
    try:
        locale = Locale.get_active()
    except Locale.DoesNotExist:
        locale = None
    return {
        "regulation": _in_locale(RegulationPage, locale),
        "privacy": _in_locale(PrivacyNoticePage, locale),
        "assistance": _in_locale(AssistancePage, locale),
        "accessibility": StandardPage.objects.live().filter(locale=locale, slug__startswith="accessibilite").first()
        or StandardPage.objects.live().filter(slug__startswith="accessibilite").first(),
    }


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
