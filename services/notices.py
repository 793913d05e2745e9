"""E-mails the services send to families, always through ``portal.notifications.notify``
in each recipient's language. Paper-only households get none (agents write to them)."""

from django.conf import settings

from accounts.models import GuardianChildRight


def family_recipients(child, *, exclude_user=None):
    """The users with a login who hold the booking right on ``child`` (one query)."""
    if child.household.paper_only:
        return []
    rights = (
        GuardianChildRight.objects.filter(
            child_id=child.pk, can_book=True, guardian__user__isnull=False, guardian__user__is_active=True,
            guardian__household_id=child.household_id,
        )
        .select_related("guardian__user")
        .order_by("guardian_id")
    )
    users = []
    for right in rights:
        user = right.guardian.user
        if exclude_user is not None and user.pk == exclude_user.pk:
            continue
        if user.email and user not in users:
            users.append(user)
    return users


def tell(users, template, context):
    """Send ``template`` to each user, in their preferred language."""
    from portal.notifications import notify

    base = {"base_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")}
    for user in users:
        notify(user.email, template, {**base, **context, "recipient": user}, language=user.preferred_language)
