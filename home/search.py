"""Search across the site's pages (Wagtail search: on PostgreSQL, French full-text with
stemming through the database backend's ``SEARCH_CONFIG``)."""

from django.core.paginator import Paginator
from wagtail.models import Page

PER_PAGE = 10


def searchable_pages(language):
    """Live, public pages of one language (never a draft or a private page)."""
    from wagtail.models import Locale

    locale = Locale.objects.filter(language_code=language).first() or Locale.get_default()
    return Page.objects.live().public().filter(locale=locale, depth__gt=1)


def search_pages(query, *, language="fr", page_number=None):
    """A page of results (Django Paginator page of specific pages) for ``query``."""
    results = searchable_pages(language).specific().search(query)
    return Paginator(results, PER_PAGE).get_page(page_number)
