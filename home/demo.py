"""The demo commune's site tree. Idempotent: pages that exist are left as they are
(re-running never publishes a new revision, so the regulation stays at version 1)."""

from django.db import transaction
from wagtail.models import Locale, Page, Site

from services.models import Service

from . import demo_content as text
from .models import (
    AssistancePage,
    CommuneSettings,
    HomePage,
    NewsIndexPage,
    NewsPage,
    PrivacyNoticePage,
    RegulationPage,
    ServicePage,
    StandardPage,
)


def _child(parent, model, slug, **fields):
    """The child page of that type and slug, created and published if missing."""
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def _root_page():
    """Wagtail's tree root (created by its migrations; re-created after a database flush)."""
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=Locale.get_default()))
    return root


def _home_page():
    root = _root_page()
    site = Site.objects.filter(is_default_site=True).first()
    home = HomePage.objects.filter(depth=2, locale__language_code="fr").first()
    created = False
    if home is None:
        home = HomePage(
            title=f"Portail Famille de {text.COMMUNE}",
            slug="accueil",
            intro=text.HOME_INTRO,
            locale=Locale.objects.get(language_code="fr"),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        created = True
    if site is None:
        site = Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                                   site_name="Portail Famille")
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "Portail Famille"
        site.save()
        # The "Welcome to Wagtail" page a fresh install starts with.
        if type(old_root.specific) is Page and not old_root.get_children().exists():
            old_root.delete()
    return site, home, created


@transaction.atomic
def load(stdout=None):
    Locale.objects.get_or_create(language_code="fr")
    Locale.objects.get_or_create(language_code="en")
    site, home, _ = _home_page()

    settings = CommuneSettings.for_site(site)
    settings.commune_name = text.COMMUNE
    settings.address = "Hôtel de ville\nPlace de la Mairie\n59300 Aulnoy-lez-Valenciennes"
    settings.phone = "03 27 00 00 00"
    settings.assistance_email = "assistance-portail@example.org"
    settings.dpo_email = "dpo@example.org"
    settings.save()

    created = 0
    for service in Service.objects.order_by("order", "name"):
        content = text.SERVICE_PAGES.get(service.code, {})
        _, was_created = _child(
            home,
            ServicePage,
            service.code,
            title=service.name,
            service=service,
            summary=service.summary,
            hours=content.get("hours", ""),
            prices=content.get("prices", ""),
            documents_to_provide=content.get("documents", ""),
            internal_rules=content.get("rules", ""),
            contact="<p>Service Enfance-Jeunesse, mairie, 03 27 00 00 00.</p>",
        )
        created += was_created
    regulation, was_created = _child(
        home,
        RegulationPage,
        "reglement",
        title="Règlement d'utilisation du Portail Famille",
        introduction=text.REGULATION_INTRO,
        body=text.REGULATION_BODY,
    )
    created += was_created
    _, was_created = _child(
        home,
        PrivacyNoticePage,
        "donnees-personnelles",
        title="Vos données personnelles",
        body=text.PRIVACY_BODY,
        controller=f"Ville d'{text.COMMUNE}, représentée par son maire — Hôtel de ville, 59300 {text.COMMUNE}.",
        dpo_contact="Délégué à la protection des données : dpo@example.org",
        rights=text.PRIVACY_RIGHTS,
    )
    created += was_created
    _, was_created = _child(home, AssistancePage, "assistance", title="Assistance", body=text.ASSISTANCE_BODY,
                            thanks=text.ASSISTANCE_THANKS)
    created += was_created
    _, was_created = _child(
        home, StandardPage, "accessibilite", title="Déclaration d'accessibilité", body=text.ACCESSIBILITY_BODY
    )
    created += was_created
    news_index, was_created = _child(home, NewsIndexPage, "actualites", title="Actualités", intro=text.NEWS_INTRO)
    created += was_created
    for article in text.NEWS:
        _, was_created = _child(news_index, NewsPage, article["slug"], title=article["title"], date=article["date"],
                                intro=article["intro"], body=article["body"])
        created += was_created
    return {"pages_created": created, "home": home.url_path, "regulation_revisions": regulation.revisions.count()}


def load_acceptances():
    """The demo parent logins have accepted the regulation in force (idempotent), so that
    the demo can be used (and the other areas' tests pass the gate) at once."""
    from accounts.models import User

    from .acceptance import accept_current

    accepted = 0
    for user in User.objects.filter(is_staff=False, guardianships__isnull=False).distinct().order_by("pk"):
        if accept_current(user) is not None:
            accepted += 1
    return accepted
