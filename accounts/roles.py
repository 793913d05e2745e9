"""Staff groups with least privilege.

Four roles, each a Django group that ``ensure_groups`` keeps in step (it runs after
every ``migrate`` and again when the demo commune is loaded):

- Communication: edits and publishes pages, news, images and documents; cannot
  publish the regulation or the privacy notice (see ``home.models.LegalPageMixin``).
- Juridique (legal): edits and publishes the regulation and the privacy notice.
- Agents: run the services back office (activities, enrolments, bookings, attendance,
  documents) and read the household files.
- Régisseurs (cashiers): invoicing and payments; read the household files.

Parents belong to no group and never have the ``wagtailadmin.access_admin`` permission.
Page permissions (which part of the tree each group edits) are the site's business:
``home.permissions`` grants them, since pages live there.
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

COMMUNICATION = "Communication"
LEGAL = "Juridique"
AGENTS = "Agents"
CASHIERS = "Régisseurs"

ROLE_NAMES = (COMMUNICATION, LEGAL, AGENTS, CASHIERS)

# Model permissions per role: "app_label.codename", or "app_label.*" for every
# permission of every model of that app, or "app_label.view_*" for read-only access.
ROLE_PERMISSIONS = {
    COMMUNICATION: ["wagtailadmin.access_admin"],
    LEGAL: ["wagtailadmin.access_admin"],
    AGENTS: [
        "wagtailadmin.access_admin",
        "services.*",
        "documents.*",
        "accounts.view_*",
        "accounts.change_household",
        "accounts.change_guardian",
        "accounts.change_child",
        "accounts.change_guardianchildright",
        "accounts.change_authorisedperson",
        "accounts.change_authorisation",
        "accounts.add_authorisedperson",
        # Accounts area (issue 4): rights given when confirming a link, consents taken on
        # paper, decisions on change requests and answers to GDPR requests.
        "accounts.add_guardianchildright",
        "accounts.add_authorisation",
        "accounts.change_changerequest",
        "accounts.change_gdprrequest",
        # Hall hire: requests and their decisions, deposits, slots, closures, terms.
        "halls.*",
    ],
    CASHIERS: [
        "wagtailadmin.access_admin",
        "billing.*",
        "accounts.view_*",
        "services.view_*",
        # Hall hire: read the requests, record the deposits.
        "halls.view_*",
        "halls.manage_hall_deposit",
    ],
}

# -- home (issue 3): translations, the regulation acceptances report, assistance requests.
HOME_ROLE_PERMISSIONS = {
    COMMUNICATION: ["wagtail_localize.submit_translation", "home.view_assistancerequest",
                    "home.change_assistancerequest"],
    LEGAL: ["wagtail_localize.submit_translation", "home.view_regulationacceptance"],
    AGENTS: ["home.view_regulationacceptance", "home.view_assistancerequest", "home.change_assistancerequest"],
    CASHIERS: [],
}
for _role, _specs in HOME_ROLE_PERMISSIONS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] + _specs
# -- end home

# Collection permissions (images and editorial documents) for communication staff.
COLLECTION_PERMISSIONS = {
    COMMUNICATION: [
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ],
    LEGAL: ["wagtaildocs.add_document", "wagtaildocs.change_document", "wagtaildocs.choose_document"],
}

WAGTAIL_STARTER_GROUPS = ("Moderators", "Editors")


def _resolve(Permission, spec):
    app_label, codename = spec.split(".", 1)
    qs = Permission.objects.filter(content_type__app_label=app_label)
    if codename == "*":
        return list(qs)
    if codename.endswith("*"):
        return list(qs.filter(codename__startswith=codename[:-1]))
    return list(qs.filter(codename=codename))


def ensure_groups(using=DEFAULT_DB_ALIAS):
    """Create or update the four staff groups; safe to run any number of times."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)

    groups = {}
    for name in ROLE_NAMES:
        group, _ = Group.objects.using(using).get_or_create(name=name)
        wanted = []
        for spec in ROLE_PERMISSIONS[name]:
            wanted.extend(_resolve(Permission, spec))
        group.permissions.set(wanted)
        groups[name] = group

    # Wagtail's own starter groups give every page to whoever joins them: remove them
    # while nobody belongs to them, so that the four roles above are the only ones.
    Group.objects.using(using).filter(name__in=WAGTAIL_STARTER_GROUPS, user__isnull=True).delete()

    _ensure_collection_permissions(groups)
    return groups


def _ensure_collection_permissions(groups):
    from django.contrib.auth.models import Permission
    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.get_first_root_node()
    if root is None:  # a flushed database: Wagtail's migrations made the first one
        root = Collection.add_root(name="Root")
    for name, specs in COLLECTION_PERMISSIONS.items():
        for spec in specs:
            for permission in _resolve(Permission, spec):
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[name], collection=root, permission=permission
                )


def ensure_groups_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    ensure_groups(using=using)
