"""The statistics in the Wagtail admin: the "Statistiques" menu entry, the pages and
exports (``register_admin_urls``), and one panel per theme on the admin home page."""

from django.urls import include, path, re_path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import views
from .access import themes_for
from .themes import THEMES, summary

THEME_SLUGS = "|".join(THEMES)
urlpatterns = [
    path("", views.StatisticsIndexView.as_view(), name="index"),
    re_path(rf"^(?P<theme>{THEME_SLUGS})/$", views.ThemeView.as_view(), name="theme"),
    re_path(rf"^(?P<theme>{THEME_SLUGS})/(?P<figure>[-a-z]+)/export/$", views.FigureExportView.as_view(),
            name="export"),
]


@hooks.register("register_admin_urls")
def register_dashboards_urls():
    return [path("statistiques/", include((urlpatterns, "dashboards"), namespace="dashboards"))]


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(themes_for(request.user))


@hooks.register("register_admin_menu_item")
def statistics_menu_item():
    return StatisticsMenuItem(_("Statistiques"), reverse("dashboards:index"), icon_name="table", order=280)


class ThemePanel(Component):
    """A theme's key numbers on the admin home, with the way to the full page."""

    template_name = "dashboards/panel.html"

    def __init__(self, theme, order):
        self.theme = theme
        self.name = f"dashboards_{theme.slug}"
        self.order = order

    def get_context_data(self, parent_context):
        return {"theme": self.theme, "items": summary(self.theme),
                "url": reverse("dashboards:theme", args=[self.theme.slug])}


@hooks.register("construct_homepage_panels")
def add_statistics_panels(request, panels):
    for index, slug in enumerate(themes_for(request.user)):
        panels.append(ThemePanel(THEMES[slug], order=300 + index))
