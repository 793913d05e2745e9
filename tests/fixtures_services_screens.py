"""Shared fixtures of the services' parent screens (services.views, registered in conftest.py).

- ``screens_clock``: ``screens_clock.set(moment)`` fixes the screens' "now" (``services.clock.now``).
- ``service_pages``: live ServicePages of the demo canteen and leisure centre (on the
  ``catalogue``), as ``{service code: page}``, without the whole demo.
- ``screen(page_or_code, name, **kwargs)``: the path of an embedded screen.
- ``booking_family``: the DUPONT household (one parent, Emma), enrolled in the canteen
  Jules Ferry and the Wednesday-morning leisure centre for the school year.

The screens are also registered in the access matrix (tests/access_matrix.py) below.
"""

import datetime as dt

import pytest


@pytest.fixture
def screens_clock(monkeypatch):
    from services import clock as services_clock

    class Clock:
        moment = None

        def set(self, moment):
            self.moment = moment

    clock = Clock()
    original = services_clock.now
    monkeypatch.setattr(services_clock, "now", lambda: clock.moment or original())
    return clock


def make_service_pages(codes=("restauration-scolaire", "centre-de-loisirs")):
    from wagtail.models import Locale, Site

    from home.models import ServicePage
    from services.models import Service

    root = Site.objects.get(is_default_site=True).root_page
    pages = {}
    for code in codes:
        existing = ServicePage.objects.filter(service__code=code, locale__language_code="fr").first()
        if existing is not None:
            pages[code] = existing
            continue
        service = Service.objects.get(code=code)
        page = ServicePage(title=service.name, slug=code, service=service, locale=Locale.objects.get(language_code="fr"))
        root.add_child(instance=page)
        page.save_revision().publish()
        pages[code] = page
    return pages


@pytest.fixture
def service_pages(catalogue):
    return make_service_pages()


@pytest.fixture
def screen(service_pages):
    from django.urls import reverse

    def url(page, name, **kwargs):
        if isinstance(page, str):
            page = service_pages[page]
        path = reverse(name, urlconf="services.urls_embedded", kwargs=kwargs).lstrip("/")
        return page.url + page.reverse_subpage("screens", kwargs={"screen_path": path})

    return url


@pytest.fixture
def booking_family(make_family, enrol, catalogue):
    household = make_family("DUPONT")
    enrol(household.kids[0], catalogue["cantine-jules-ferry"])
    enrol(household.kids[0], catalogue["centre-mercredi-matin"])
    return household


# --- the parent screens of the services in the access matrix (tests/access_matrix.py) ----

def _matrix_child_screen(world):
    """The victim's child on the canteen page (the service and the enrolment do not matter:
    another household's child is a 404 before anything else)."""
    from services import demo

    if not world.service_page("restauration-scolaire"):
        demo.load()
        make_service_pages(("restauration-scolaire",))
    return world.service_page("restauration-scolaire"), {"child_id": world.victim_child.pk}


def _register_matrix():
    from tests.access_matrix import screen_url

    post_data = {"etape": "confirmer", "jours": ["0", "1"], "du": "2026-11-16", "au": "2026-11-30",
                 "reservation": "1:2026-11-16", "activite": "1"}
    for name in ("child_calendar", "pattern", "sick"):
        screen_url("default", name, post_data=post_data)(_matrix_child_screen)


_register_matrix()
