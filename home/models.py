"""Editorial pages managed in Wagtail, and the commune's site settings."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page, PagePermissionTester
from wagtail.search import index


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
    """The portal's home page: alerts, news, services, the way into the parent's space."""

    intro = RichTextField(_("introduction"), blank=True)
    alert = models.CharField(
        _("message d'alerte"), max_length=255, blank=True, help_text=_("Affiché en haut de l'accueil s'il est rempli.")
    )
    alert_until = models.DateTimeField(
        _("alerte affichée jusqu'au"), null=True, blank=True,
        help_text=_("Vide : l'alerte reste affichée tant que le message est rempli."),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("alert"), FieldPanel("alert_until")], heading=_("Alerte")),
        FieldPanel("intro"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro"), APIField("alert")]
    max_count_per_parent = 1
    subpage_types = ["home.ServicePage", "home.StandardPage", "home.RegulationPage", "home.PrivacyNoticePage",
                     "home.AssistancePage", "home.NewsIndexPage"]

    class Meta:
        verbose_name = _("page d'accueil")

    def active_alert(self, now=None):
        """The alert message while it is to be shown, else ''."""
        now = now or timezone.now()
        if self.alert and (self.alert_until is None or self.alert_until > now):
            return self.alert
        return ""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["service_pages"] = (
            ServicePage.objects.child_of(self).live().public().select_related("service").order_by("path")
        )
        context["news"] = NewsPage.objects.live().public().descendant_of(self).order_by("-date", "-pk")[:3]
        context["news_index"] = NewsIndexPage.objects.child_of(self).live().public().first()
        context["active_alert"] = self.active_alert()
        return context


class StandardPage(Page):
    """A plain page (the accessibility statement is one, slug ``accessibilite``)."""

    body = RichTextField(_("contenu"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    api_fields = [APIField("body")]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("page simple")


class NewsIndexPage(Page):
    """The list of news articles, newest first."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.NewsPage"]
    max_count_per_parent = 1
    api_fields = [APIField("intro")]
    PER_PAGE = 10

    class Meta:
        verbose_name = _("liste des actualités")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        articles = NewsPage.objects.child_of(self).live().public().order_by("-date", "-pk")
        context["articles"] = Paginator(articles, self.PER_PAGE).get_page(request.GET.get("page"))
        return context


def _today():
    return timezone.localdate()


class NewsPage(Page):
    """A news article with its publication date."""

    date = models.DateField(_("date de publication"), default=_today)
    intro = models.TextField(_("chapô"), blank=True, help_text=_("Une ou deux phrases affichées dans les listes."))
    body = RichTextField(_("article"))

    content_panels = Page.content_panels + [FieldPanel("date"), FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["home.NewsIndexPage"]
    subpage_types = []
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body"),
                                          index.FilterField("date")]
    api_fields = [APIField("date"), APIField("intro"), APIField("body")]

    class Meta:
        verbose_name = _("actualité")
        verbose_name_plural = _("actualités")


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
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("hours"),
        index.SearchField("prices"),
        index.SearchField("documents_to_provide"),
        index.SearchField("internal_rules"),
    ]
    api_fields = [
        APIField("service_code"),
        APIField("summary"),
        APIField("body"),
        APIField("hours"),
        APIField("prices"),
        APIField("documents_to_provide"),
        APIField("internal_rules"),
        APIField("contact"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("page de service")

    @property
    def service_code(self):
        return self.service.code if self.service_id else None

    def screens_urlconf(self):
        screens = settings.PORTAL_SERVICE_SCREENS
        shape = self.service.shape if self.service_id else None
        return screens.get(shape, screens["default"])

    @re_path(r"^espace/(?P<screen_path>.*)$", name="screens")
    def screens(self, request, screen_path):
        """Resolve ``screen_path`` against the owning app's URLconf and call that view."""
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


def may_publish_legal_page(user, page):
    """Whether ``user`` may put a revision of a legal page live: legal staff (the
    Juridique group, through their page permissions) and super-administrators."""
    if user is None:
        return True
    return bool(user.is_active and page.permissions_for_user(user).can_publish())


class LegalPageMixin:
    """Pages only the legal group edits and publishes (the regulation, the privacy notice).

    Every revision put live becomes a numbered :class:`LegalTextVersion` (see
    ``home.versions``); the versions are readable below the page's URL:
    ``versions/`` (the list), ``versions/<n>/`` (one version) and
    ``versions/<a>/comparer/<b>/`` (what changed from version a to version b).

    Publishing is refused, whatever the path (the page editor, a workflow, the Localize
    translation editor or its "update translations" screen), unless the user who
    publishes (or, for publications run without a user, the author of the revision) may
    publish legal pages."""

    version_kind = None  # LegalTextVersion.Kind
    versioned_fields = ()  # fields whose text makes a version (the title always does)

    def permissions_for_user(self, user):
        return LegalPagePermissionTester(user, self)

    def publish(self, revision, user=None, *args, **kwargs):
        author = user if user is not None else revision.user
        if not may_publish_legal_page(author, self):
            raise PermissionDenied("Seul le service juridique peut mettre en ligne ce texte.")
        return super().publish(revision, user, *args, **kwargs)

    # -- versions -------------------------------------------------------------
    def versioned_content(self):
        """The text of the page as a version keeps it (editor-only markup removed, so that
        saving the same text again from the editor is not a new version)."""
        import re

        return {name: re.sub(r'\s+data-block-key="[^"]*"', "", getattr(self, name) or "")
                for name in ("title", *self.versioned_fields)}

    @cached_property
    def current_version(self):
        return LegalTextVersion.objects.filter(page_id=self.pk).order_by("-number").first()

    def version_url(self, number):
        return self.url + self.reverse_subpage("version", kwargs={"number": number})

    def versions_url(self):
        return self.url + self.reverse_subpage("versions")

    def diff_url(self, old, new):
        return self.url + self.reverse_subpage("diff", kwargs={"old": old, "new": new})

    def _version(self, number):
        version = LegalTextVersion.objects.filter(page_id=self.pk, number=number).first()
        if version is None:
            raise Http404("Cette version n'existe pas.")
        return version

    def _render(self, request, template, **context):
        context = {**self.get_context(request), **context}
        return TemplateResponse(request, template, context)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["current_version"] = self.current_version
        return context

    def versions_view(self, request):
        versions = LegalTextVersion.objects.filter(page_id=self.pk).order_by("-number")
        return self._render(request, "home/legal_versions.html", versions=versions)

    def version_view(self, request, number):
        version = self._version(number)
        if self.current_version and version.number == self.current_version.number:
            from django.shortcuts import redirect

            return redirect(self.url)
        following = LegalTextVersion.objects.filter(page_id=self.pk, number__gt=number).order_by("number").first()
        return self._render(request, "home/legal_version.html", version=version, replaced_at=(
            following.published_at if following else None))

    def diff_view(self, request, old, new):
        from .versions import diff_versions

        if old == new:
            raise Http404("Deux versions différentes sont nécessaires.")
        older, newer = self._version(min(old, new)), self._version(max(old, new))
        return self._render(request, "home/legal_diff.html", older=older, newer=newer,
                            diff=diff_versions(older, newer))


class RegulationPage(LegalPageMixin, RoutablePageMixin, Page):
    """The portal's usage regulation; every published revision is a version (issue 3)."""

    introduction = RichTextField(_("préambule"), blank=True)
    body = RichTextField(_("articles"))
    change_summary = models.TextField(
        _("résumé des changements"), blank=True,
        help_text=_("Expliquez en quelques phrases ce que change cette version : ce résumé est envoyé aux "
                    "familles avec la nouvelle version."),
    )

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body"), FieldPanel("change_summary")]
    search_fields = Page.search_fields + [index.SearchField("introduction"), index.SearchField("body")]
    api_fields = [
        APIField("version_number"),
        APIField("version_published_at"),
        APIField("introduction"),
        APIField("body"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    version_kind = "regulation"
    versioned_fields = ("introduction", "body")

    class Meta:
        verbose_name = _("règlement d'utilisation")

    @property
    def version_number(self):
        return self.current_version.number if self.current_version else None

    @property
    def version_published_at(self):
        return self.current_version.published_at if self.current_version else None

    @path("versions/", name="versions")
    def versions(self, request):
        return self.versions_view(request)

    @path("versions/<int:number>/", name="version")
    def version(self, request, number):
        return self.version_view(request, number)

    @path("versions/<int:old>/comparer/<int:new>/", name="diff")
    def diff(self, request, old, new):
        return self.diff_view(request, old, new)


class PrivacyNoticePage(LegalPageMixin, RoutablePageMixin, Page):
    """The summary document on personal data (Article 5.3), with the controller's and
    the DPO's contacts and how to exercise each right; versioned like the regulation."""

    body = RichTextField(_("contenu"))
    controller = models.TextField(_("responsable du traitement"), blank=True)
    dpo_contact = models.TextField(_("contact du délégué à la protection des données"), blank=True)
    rights = RichTextField(
        _("exercer vos droits"), blank=True,
        help_text=_("Comment exercer chaque droit (accès, rectification, effacement, limitation, opposition, "
                    "réclamation auprès de la CNIL)."),
    )
    change_summary = models.TextField(_("résumé des changements"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("controller"), FieldPanel("dpo_contact"), FieldPanel("body"), FieldPanel("rights"),
        FieldPanel("change_summary"),
    ]
    search_fields = Page.search_fields + [index.SearchField("body"), index.SearchField("rights")]
    api_fields = [APIField("version_number"), APIField("controller"), APIField("dpo_contact"), APIField("body"),
                  APIField("rights")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    version_kind = "privacy"
    versioned_fields = ("controller", "dpo_contact", "body", "rights")

    class Meta:
        verbose_name = _("notice sur les données personnelles")

    @property
    def version_number(self):
        return self.current_version.number if self.current_version else None

    @path("versions/", name="versions")
    def versions(self, request):
        return self.versions_view(request)

    @path("versions/<int:number>/", name="version")
    def version(self, request, number):
        return self.version_view(request, number)

    @path("versions/<int:old>/comparer/<int:new>/", name="diff")
    def diff(self, request, old, new):
        return self.diff_view(request, old, new)


class AssistancePage(Page):
    """Article X: how to reach the commune when something goes wrong, with a form whose
    requests are stored (``AssistanceRequest``), numbered and sent to the assistance
    address of the site settings."""

    body = RichTextField(_("contenu"), blank=True)
    thanks = RichTextField(
        _("message après l'envoi"), blank=True,
        help_text=_("Affiché avec le numéro de la demande, après l'envoi du formulaire."),
    )

    content_panels = Page.content_panels + [FieldPanel("body"), FieldPanel("thanks")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("page d'assistance")

    def serve(self, request, *args, **kwargs):
        from .views import assistance_page

        return assistance_page(request, self)


LEGAL_PAGE_MODELS = (RegulationPage, PrivacyNoticePage)


def legal_pages():
    """Every regulation and privacy-notice page, in every language."""
    for model in LEGAL_PAGE_MODELS:
        yield from model.objects.all()


# -- Records that are never modified ---------------------------------------------------

class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Cet enregistrement ne peut pas être modifié.")

    def delete(self):
        raise AppendOnlyError("Cet enregistrement ne peut pas être effacé.")


class AppendOnlyModel(models.Model):
    """Written once: the model refuses updates and deletes, and on PostgreSQL a trigger
    refuses them in the database too (migration 0003)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("Cet enregistrement ne peut pas être modifié.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Cet enregistrement ne peut pas être effacé.")


class LegalTextVersion(AppendOnlyModel):
    """One published version of a legal page (the regulation or the privacy notice):
    its number, when it went live, its text exactly as published and the text's hash.

    Created by ``home.versions`` when a revision with a changed text goes live (right
    away, through a workflow or at its scheduled go-live time). The page is kept as an
    id without a database constraint, so that versions outlive the page."""

    class Kind(models.TextChoices):
        REGULATION = "regulation", _("règlement d'utilisation")
        PRIVACY = "privacy", _("notice sur les données personnelles")

    page = models.ForeignKey(
        Page, verbose_name=_("page"), on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    kind = models.CharField(_("texte"), max_length=20, choices=Kind.choices)
    language_code = models.CharField(_("langue"), max_length=8)
    number = models.PositiveIntegerField(_("numéro de version"))
    title = models.CharField(_("titre"), max_length=255)
    content = models.JSONField(_("texte publié"))
    text_hash = models.CharField(_("empreinte SHA-256 du texte"), max_length=64)
    change_summary = models.TextField(_("résumé des changements"), blank=True)
    published_at = models.DateTimeField(_("en vigueur depuis"), db_index=True)
    revision_id = models.PositiveBigIntegerField(_("révision Wagtail"), null=True, blank=True)
    published_by_label = models.CharField(_("publiée par"), max_length=254, blank=True)

    class Meta:
        verbose_name = _("version d'un texte légal")
        verbose_name_plural = _("versions des textes légaux")
        ordering = ["page_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["page", "number"], name="home_legal_version_unique_number")]

    def __str__(self):
        return f"{self.title} — version {self.number}"


class RegulationAcceptance(AppendOnlyModel):
    """A parent's acceptance of one version of the regulation (Article III): who, which
    version, the hash of the text they accepted, when, from which address. Never
    modified. The user is kept as an id without a database constraint (with the e-mail
    as a label), so that the proof outlives the account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("utilisateur"), on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+",
    )
    user_label = models.CharField(_("utilisateur (adresse e-mail)"), max_length=254)
    version = models.ForeignKey(
        LegalTextVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="acceptances"
    )
    text_hash = models.CharField(_("empreinte du texte accepté"), max_length=64)
    accepted_at = models.DateTimeField(_("acceptée le"), default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    user_agent = models.CharField(_("navigateur"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("acceptation du règlement")
        verbose_name_plural = _("acceptations du règlement")
        ordering = ["-accepted_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="home_acceptance_once_per_version")]

    def __str__(self):
        return f"{self.user_label} — version {self.version.number}"


def next_assistance_reference(pk, when):
    return f"AS-{when:%Y}-{pk:06d}"


class AssistanceRequest(models.Model):
    """A request sent through the assistance page (Article X), numbered for the parent."""

    class Topic(models.TextChoices):
        LOGIN = "login", _("Connexion à mon compte")
        BOOKING = "booking", _("Inscription ou réservation")
        INVOICE = "invoice", _("Facture ou paiement")
        FAMILY = "family", _("Fiche famille, justificatifs")
        OTHER = "other", _("Autre question")

    class Status(models.TextChoices):
        NEW = "new", _("Nouvelle")
        IN_PROGRESS = "in_progress", _("En cours")
        ANSWERED = "answered", _("Répondue")

    reference = models.CharField(_("numéro"), max_length=20, unique=True, null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("compte"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse e-mail"))
    household_name = models.CharField(_("nom du foyer"), max_length=150, blank=True)
    topic = models.CharField(_("sujet"), max_length=20, choices=Topic.choices)
    message = models.TextField(_("message"), max_length=5000)
    language = models.CharField(_("langue"), max_length=8, default="fr")
    created_at = models.DateTimeField(_("reçue le"), default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.NEW)
    staff_note = models.TextField(_("note interne"), blank=True)

    class Meta:
        verbose_name = _("demande d'assistance")
        verbose_name_plural = _("demandes d'assistance")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.reference} — {self.get_topic_display()}"
