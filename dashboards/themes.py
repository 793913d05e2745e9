"""The three statistics pages (themes) and the figures each one shows; the summary each
theme puts on the admin home page. Every figure goes through ``privacy.protect``."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import figures
from .access import BILLING, PORTAL, SERVICES
from .periods import current_period
from .privacy import protect


@dataclass
class Context:
    period: object  # dashboards.periods.Period
    day: object  # the day of the attendance figure
    today: object


@dataclass(frozen=True)
class Theme:
    slug: str
    title: str
    intro: str
    builders: tuple  # (figure key, function(context) -> Figure)
    uses_day: bool = False

    def figure_keys(self):
        return [key for key, _builder in self.builders]

    def build(self, context, key=None):
        """The protected figures of the theme (or only the one named ``key``)."""
        built = []
        for figure_key, builder in self.builders:
            if key is None or key == figure_key:
                figure = builder(context)
                assert figure.key == figure_key, figure.key
                built.append(protect(figure))
        return built


THEMES = {
    SERVICES: Theme(
        SERVICES,
        _("Services : fréquentation et demandes"),
        _("Pointage du jour, occupation des activités, listes d'attente et demandes en attente."),
        (
            ("pointage-du-jour", lambda c: figures.attendance_day(c.day)),
            ("occupation-par-semaine", lambda c: figures.occupancy(c.period)),
            ("listes-d-attente", lambda c: figures.waiting_lists(c.period)),
            ("demandes-en-attente", lambda c: figures.pending_requests()),
        ),
        uses_day=True,
    ),
    BILLING: Theme(
        BILLING,
        _("Facturation : impayés, montants facturés, paiements"),
        _("Reste à payer, montants facturés par mois et par service, paiements en ligne et au guichet."),
        (
            ("impayes", lambda c: figures.unpaid(c.today)),
            ("montants-factures", lambda c: figures.revenue(c.period)),
            ("paiements-en-ligne-et-guichet", lambda c: figures.payments(c.period)),
        ),
    ),
    PORTAL: Theme(
        PORTAL,
        _("Usage du portail par les foyers"),
        _("Part des foyers qui utilisent le portail, ont un compte sans l'utiliser, n'en ont pas, ou ont choisi "
          "les démarches papier."),
        (("usage-du-portail", lambda c: figures.portal_use(c.period)),),
    ),
}


def home_context():
    today = timezone.localdate()
    return Context(period=current_period(today), day=today, today=today)


def summary(theme):
    """What the theme's panel on the admin home shows: ``[(label, text)]``, protected
    like the full page (the same cells, the same totals)."""
    from .tables import display

    context = home_context()
    items = []

    def total(figure, key, label):
        series = next(s for s in figure.series if s.key == key)
        items.append((label, display(figure.totals[key], series, figure.threshold)))

    if theme.slug == SERVICES:
        attendance, pending = theme.build(context, "pointage-du-jour")[0], theme.build(context, "demandes-en-attente")[0]
        total(attendance, "booked", _("Enfants réservés aujourd'hui"))
        total(attendance, "present", _("Pointés présents aujourd'hui"))
        total(attendance, "absent", _("Pointés absents aujourd'hui"))
        series = pending.series[0]
        for row in pending.rows:
            items.append((row.label, display(row.cells[series.key], series, pending.threshold)))
    elif theme.slug == BILLING:
        unpaid = theme.build(context, "impayes")[0]
        paid = theme.build(context, "paiements-en-ligne-et-guichet")[0]
        total(unpaid, "amount", _("Reste à payer"))
        total(unpaid, "invoices", _("Factures à payer"))
        total(paid, "online", _("Payé en ligne ce mois-ci"))
        total(paid, "desk", _("Payé au guichet ce mois-ci"))
        total(paid, "share", _("Part payée en ligne ce mois-ci"))
    elif theme.slug == PORTAL:
        use = theme.build(context, "usage-du-portail")[0]
        share = next(s for s in use.series if s.key == "share")
        for row in use.rows:
            items.append((row.label, display(row.cells["share"], share, use.threshold)))
    return items
