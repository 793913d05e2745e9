"""Charts drawn on the server as inline SVG: no JavaScript, nothing from another site.

Horizontal bars, one group per row of the figure and one bar per charted series. They
are readable without colour: one dark ink on white, each series with its own pattern
(plain, hatched, dotted...), and every bar carries its value written beside it (with the
series' name when there are several). A hidden cell draws no bar and says ``< 5`` or
``masqué``. The SVG has a ``<title>`` and a ``<desc>`` (``role="img"``); the page puts the
same numbers in a table next to it."""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .tables import PERCENT, display

INK = "#1d3557"
WIDTH = 720
LEFT = 12
BAR_MAX = 380
BAR_HEIGHT = 16
LINE = 20
LABEL_HEIGHT = 20
GROUP_GAP = 10
FONT = 'font-family="sans-serif" font-size="13"'


def _pattern(prefix, index):
    """The fill of the ``index``-th series: plain ink, then patterns of the same ink."""
    pid = f"{prefix}-p{index}"
    shapes = [
        None,
        f'<path d="M0 6 L6 0 M-1 1 L1 -1 M5 7 L7 5" stroke="{INK}" stroke-width="1.6"/>',
        f'<circle cx="3" cy="3" r="1.4" fill="{INK}"/>',
        f'<path d="M0 3 H6" stroke="{INK}" stroke-width="1.6"/>',
        f'<path d="M3 0 V6" stroke="{INK}" stroke-width="1.6"/>',
        f'<path d="M0 0 L6 6 M6 0 L0 6" stroke="{INK}" stroke-width="1.2"/>',
    ]
    shape = shapes[index % len(shapes)]
    if shape is None:
        return INK, ""
    definition = (f'<pattern id="{pid}" patternUnits="userSpaceOnUse" width="6" height="6">'
                  f'<rect width="6" height="6" fill="#ffffff"/>{shape}</pattern>')
    return f"url(#{pid})", definition


def bar_chart(figure, chart_id):
    """The SVG of ``figure`` (protected by ``dashboards.privacy.protect``), as safe markup."""
    series = figure.chart_series
    threshold = figure.threshold
    fills, definitions = [], []
    for index in range(len(series)):
        fill, definition = _pattern(chart_id, index)
        fills.append(fill)
        definitions.append(definition)
    visible = [row.cells[s.key].value for row in figure.rows for s in series
               if not row.cells[s.key].is_hidden and row.cells[s.key].value is not None]
    top = max([float(value) for value in visible] + [0])
    if any(s.kind == PERCENT for s in series):
        top = max(top, 100.0)
    top = top or 1.0
    several = len(series) > 1
    parts = []
    y = 8
    if several:  # the legend: each pattern with its series' name
        for index, item in enumerate(series):
            parts.append(f'<rect x="{LEFT}" y="{y}" width="28" height="{BAR_HEIGHT - 2}" fill="{fills[index]}" '
                         f'stroke="{INK}"/>')
            parts.append(f'<text x="{LEFT + 36}" y="{y + 12}" {FONT} fill="#000000">{escape(item.label)}</text>')
            y += LINE
        y += GROUP_GAP
    for row in figure.rows:
        parts.append(f'<text x="{LEFT}" y="{y + 14}" {FONT} font-weight="bold" fill="#000000">'
                     f'{escape(row.label)}</text>')
        y += LABEL_HEIGHT
        for index, item in enumerate(series):
            cell = row.cells[item.key]
            text = display(cell, item, threshold)
            width = 0
            if not cell.is_hidden and cell.value is not None and float(cell.value) > 0:
                width = max(round(float(cell.value) / top * BAR_MAX, 1), 1)
                parts.append(f'<rect x="{LEFT}" y="{y}" width="{width}" height="{BAR_HEIGHT}" '
                             f'fill="{fills[index]}" stroke="{INK}"/>')
            label = f"{item.label} : {text}" if several else text
            parts.append(f'<text x="{LEFT + width + 6}" y="{y + 13}" {FONT} fill="#000000">{escape(label)}</text>')
            y += LINE
        y += GROUP_GAP
    if not figure.rows:
        parts.append(f'<text x="{LEFT}" y="{y + 14}" {FONT} fill="#000000">{escape(_("Aucune donnée"))}</text>')
        y += LINE + GROUP_GAP
    title = escape(figure.title)
    desc = escape(chart_description(figure))
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {WIDTH} {y}" width="100%" class="dashboards-chart" focusable="false">'
        f'<title id="{chart_id}-title">{title}</title><desc id="{chart_id}-desc">{desc}</desc>'
        f'<defs>{"".join(definitions)}</defs><rect width="{WIDTH}" height="{y}" fill="#ffffff"/>'
        f'{"".join(parts)}</svg>'
    )
    return mark_safe(svg)


def chart_description(figure):
    """The text alternative: what the bars show, and where the numbers are."""
    names = ", ".join(item.label for item in figure.chart_series)
    text = _("Diagramme en barres horizontales, une barre par ligne du tableau (%(series)s) ; "
             "chaque barre porte sa valeur. %(description)s Les mêmes nombres sont dans le tableau qui suit.") % {
        "series": names, "description": figure.description}
    if figure.has_hidden:
        text += " " + _("« < %(n)s » : moins de %(n)s personnes ; « masqué » : caché pour qu'on ne puisse pas "
                        "retrouver un petit groupe.") % {"n": figure.threshold}
    return text
