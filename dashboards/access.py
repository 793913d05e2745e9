"""Who sees which statistics (the roles of ``accounts.roles``).

- agents (group Agents): the services theme (attendance, occupancy, waiting lists,
  pending requests);
- cashiers (group Régisseurs): the billing theme (unpaid amounts, invoiced amounts,
  payments online and at the desk);
- management: superusers and the members of ``settings.PORTAL_STATISTICS_MANAGEMENT_GROUPS``
  see every theme, the use of the portal included.

Communication and legal staff, parents and anonymous visitors see none."""

from django.conf import settings

from accounts.roles import AGENTS, CASHIERS

SERVICES = "services"
BILLING = "facturation"
PORTAL = "portail"
ALL_THEMES = (SERVICES, BILLING, PORTAL)
ROLE_THEMES = {AGENTS: (SERVICES,), CASHIERS: (BILLING,)}


def themes_for(user):
    """The theme slugs ``user`` may see, in display order (cached on the user object)."""
    cached = getattr(user, "_dashboards_themes", None)
    if cached is not None:
        return cached
    themes = ()
    if user.is_authenticated and user.is_active and user.is_staff and user.has_perm("wagtailadmin.access_admin"):
        if user.is_superuser:
            themes = ALL_THEMES
        else:
            names = set(user.groups.values_list("name", flat=True))
            if names & set(settings.PORTAL_STATISTICS_MANAGEMENT_GROUPS):
                themes = ALL_THEMES
            else:
                allowed = {theme for name in names for theme in ROLE_THEMES.get(name, ())}
                themes = tuple(theme for theme in ALL_THEMES if theme in allowed)
    user._dashboards_themes = themes
    return themes


def can_see(user, theme):
    return theme in themes_for(user)
