"""The statistics pages of the Wagtail admin (one per theme, with the period filter) and
the CSV/XLSX export of each figure. The numbers come from ``dashboards.figures``, the
hiding of small groups from ``dashboards.privacy``; these views only read the query
string, check the role and render. Exports reuse Wagtail's spreadsheet export (the one
every listing of the admin uses) and are traced in the audit trail."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from accounts.audit import record
from accounts.models import AuditEvent

from .access import can_see, themes_for
from .charts import bar_chart
from .periods import parse_day, parse_period, period_choices
from .privacy import min_group
from .tables import display, export_value
from .themes import THEMES, Context


def _context_from(request):
    today = timezone.localdate()
    return Context(period=parse_period(request.GET.get("periode"), today),
                   day=parse_day(request.GET.get("jour"), today), today=today)


def _theme_or_deny(request, slug):
    theme = THEMES.get(slug)
    if theme is None:
        raise Http404
    if not can_see(request.user, slug):
        raise PermissionDenied
    return theme


@method_decorator(never_cache, name="dispatch")
class StatisticsIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "dashboards/index.html"
    page_title = gettext_lazy("Statistiques")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not themes_for(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["themes"] = [THEMES[slug] for slug in themes_for(self.request.user)]
        context["threshold"] = min_group()
        return context


@method_decorator(never_cache, name="dispatch")
class ThemeView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "dashboards/theme.html"
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        self.theme = _theme_or_deny(request, kwargs["theme"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.theme.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("dashboards:index"), "label": _("Statistiques")},
            {"url": "", "label": self.theme.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stats = _context_from(self.request)
        query = {"periode": stats.period.key}
        if self.theme.uses_day:
            query["jour"] = stats.day.isoformat()
        shown = []
        for figure in self.theme.build(stats):
            export_url = reverse("dashboards:export", args=[self.theme.slug, figure.key])
            shown.append({
                "figure": figure,
                "chart": bar_chart(figure, f"graphique-{figure.key}"),
                "rows": [(row.label, [display(row.cells[s.key], s, figure.threshold) for s in figure.series])
                         for row in figure.rows],
                "totals": [display(figure.totals[s.key], s, figure.threshold) if s.key in figure.totals else ""
                           for s in figure.series] if figure.totals else None,
                "csv_url": f"{export_url}?{urlencode({**query, 'export': 'csv'})}",
                "xlsx_url": f"{export_url}?{urlencode({**query, 'export': 'xlsx'})}",
            })
        context.update(theme=self.theme, stats=stats, figures=shown, period_choices=period_choices(stats.today),
                       threshold=shown[0]["figure"].threshold if shown else None,
                       other_themes=[THEMES[slug] for slug in themes_for(self.request.user)
                                     if slug != self.theme.slug])
        return context


@method_decorator(never_cache, name="dispatch")
class FigureExportView(SpreadsheetExportMixin, View):
    """``?export=csv`` or ``?export=xlsx``: one figure, hidden cells as on the page."""

    def get(self, request, theme, figure):
        theme = _theme_or_deny(request, theme)
        if figure not in theme.figure_keys() or not self.is_export:
            raise Http404
        stats = _context_from(request)
        built = theme.build(stats, figure)[0]
        self.list_export = ["label"] + [series.key for series in built.series]
        self.export_headings = {"label": built.row_heading, **{s.key: s.label for s in built.series}}
        self.export_filename = f"statistiques-{built.key}-{stats.period.key}"
        rows = []
        for row in built.rows:
            rows.append({"label": row.label, **{s.key: export_value(row.cells[s.key], s, built.threshold)
                                                for s in built.series}})
        if built.totals:
            rows.append({"label": _("Total"), **{
                s.key: export_value(built.totals[s.key], s, built.threshold) if s.key in built.totals else ""
                for s in built.series}})
        fmt = request.GET["export"]
        after = {"figure": built.key, "periode": stats.period.key, "format": fmt}
        if theme.uses_day:
            after["jour"] = stats.day.isoformat()
        record(AuditEvent.Action.STAFF_EXPORT, request=request, acting_for_family=False,
               summary=f"Export {fmt} des statistiques : {built.title}", after=after)
        return self.as_spreadsheet(rows, fmt)
