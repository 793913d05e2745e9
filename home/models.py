"""Editorial pages managed in Wagtail, and the commune's site settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, re_path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page, PagePermissionTester


@register_setting(icon="site")
class CommuneSettings(BaseSiteSetting):
    """Per-commune settings, edited in Settings → Commune."""

    commune_name = models.CharField(_("nom de la commune"), max_length=120, default="")
    address = models.TextField(_("adresse de la mairie"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    assistance_email = models.EmailField(_("adresse e-mail d'assistance"), blank=True)
    dpo_email = models.EmailField(_("adresse e-mail du délégué à la protection des données"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("logo"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [
        FieldPanel("commune_name"),
        FieldPanel("address"),
        FieldPanel("phone"),
        FieldPanel("assistance_email"),
        FieldPanel("dpo_email"),
        FieldPanel("logo"),
    ]

    class Meta:
        verbose_name = _("commune")


class HomePage(Page):
    """The portal's home page: introduction, services, the way into the parent's space."""

    intro = RichTextField(_("introduction"), blank=True)
    alert = models.CharField(
        _("message d'alerte"), max_length=255, blank=True, help_text=_("Affiché en haut de l'accueil s'il est rempli.")
    )

    content_panels = Page.content_panels + [FieldPanel("alert"), FieldPanel("intro")]
    max_count_per_parent = 1
    subpage_types = ["home.ServicePage", "home.StandardPage", "home.RegulationPage", "home.PrivacyNoticePage",
                     "home.AssistancePage"]

    class Meta:
        verbose_name = _("page d'accueil")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["service_pages"] = (
            ServicePage.objects.child_of(self).live().public().select_related("service").order_by("path")
        )
        return context


class StandardPage(Page):
    body = RichTextField(_("contenu"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("body")]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("page simple")


class ServicePage(RoutablePageMixin, Page):
    """One page per municipal service: practical information, and (for a logged-in
    parent) the way into enrolment and booking.

    The parent screens of the service (enrolment, month calendar, hall requests...) are
    embedded below the page's URL, at ``<page url>espace/<screen path>``: the app that
    owns the screens keeps them in its own URLconf (``settings.PORTAL_SERVICE_SCREENS``
    maps a service shape to it, ``services.urls_embedded`` by default) and each view is
    called with the keyword argument ``service_page`` (this page). A view builds links
    to other screens with ``service_page.screen_url(request, name, *args, **kwargs)``.
    """

    service = models.ForeignKey(
        "services.Service",
        verbose_name=_("service municipal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(_("résumé"), blank=True)
    body = RichTextField(_("présentation"), blank=True)
    hours = RichTextField(_("horaires"), blank=True)
    prices = RichTextField(_("tarifs"), blank=True)
    documents_to_provide = RichTextField(_("pièces à fournir"), blank=True)
    internal_rules = RichTextField(_("règlement intérieur de l'activité"), blank=True)
    contact = RichTextField(_("contacts"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("service"),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("hours"), FieldPanel("prices"), FieldPanel("documents_to_provide")],
            heading=_("Informations pratiques"),
        ),
        FieldPanel("internal_rules"),
        FieldPanel("contact"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("page de service")

    def screens_urlconf(self):
        from django.conf import settings

        screens = settings.PORTAL_SERVICE_SCREENS
        shape = self.service.shape if self.service_id else None
        return screens.get(shape, screens["default"])

    @re_path(r"^espace/(?P<screen_path>.*)$", name="screens")
    def screens(self, request, screen_path):
        """Resolve ``screen_path`` against the owning app's URLconf and call that view."""
        from django.http import Http404
        from django.urls import Resolver404, resolve

        if not self.service_id:
            raise Http404("Aucun service n'est relié à cette page.")
        try:
            match = resolve("/" + screen_path, urlconf=self.screens_urlconf())
        except Resolver404 as error:
            raise Http404("Écran introuvable.") from error
        return match.func(request, *match.args, service_page=self, **match.kwargs)

    def screen_url(self, request, name, *args, **kwargs):
        """The URL of the embedded screen ``name`` (a name in the screens URLconf)."""
        from django.urls import reverse

        screen_path = reverse(name, urlconf=self.screens_urlconf(), args=args, kwargs=kwargs).lstrip("/")
        return self.get_url(request) + self.reverse_subpage("screens", kwargs={"screen_path": screen_path})


class LegalPagePermissionTester(PagePermissionTester):
    """On a legal page only the permissions granted on that page itself count: the
    communication group's rights on the whole site tree do not reach it."""

    def __init__(self, user, page):
        super().__init__(user, page)
        if self.user.is_active and not self.user.is_superuser:
            self.permissions = {
                perm.permission.codename.rsplit("_", maxsplit=1)[0]
                for perm in self.permission_policy.get_cached_permissions_for_user(user)
                if self.page.path.startswith(perm.page.path) and issubclass(perm.page.specific_class, LegalPageMixin)
            }


class LegalPageMixin:
    """Pages only the legal group edits and publishes (the regulation, the privacy notice)."""

    def permissions_for_user(self, user):
        return LegalPagePermissionTester(user, self)


class RegulationPage(LegalPageMixin, Page):
    """The portal's usage regulation; every published revision is a version (issue 3)."""

    introduction = RichTextField(_("préambule"), blank=True)
    body = RichTextField(_("articles"))

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("règlement d'utilisation")


class PrivacyNoticePage(LegalPageMixin, Page):
    """The summary document on personal data (Article 5.3), with the controller's and
    the DPO's contacts and how to exercise each right."""

    body = RichTextField(_("contenu"))
    controller = models.TextField(_("responsable du traitement"), blank=True)
    dpo_contact = models.TextField(_("contact du délégué à la protection des données"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("controller"), FieldPanel("dpo_contact"), FieldPanel("body")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("notice sur les données personnelles")


class AssistancePage(Page):
    """Article X: how to reach the commune when something goes wrong."""

    body = RichTextField(_("contenu"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("body")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("page d'assistance")


LEGAL_PAGE_MODELS = (RegulationPage, PrivacyNoticePage)


def legal_pages():
    """Every regulation and privacy-notice page, in every language."""
    for model in LEGAL_PAGE_MODELS:
        yield from model.objects.all()
