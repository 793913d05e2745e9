"""Which part of the page tree each staff group edits.

Communication staff: the whole site tree (the legal pages excepted, see
``LegalPagePermissionTester``). Legal staff: every regulation and privacy-notice page,
granted as soon as such a page (or its translation) is created."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Page, Site

from accounts.roles import COMMUNICATION, LEGAL

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def _grant(group_name, page):
    group = Group.objects.filter(name=group_name).first()
    if group is None:  # the groups are created after migrate; nothing to grant yet
        return
    base_page = page if type(page) is Page else Page.objects.get(pk=page.pk)
    for permission in Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS):
        GroupPagePermission.objects.get_or_create(group=group, page=base_page, permission=permission)


def ensure_page_permissions():
    from .models import legal_pages

    for site in Site.objects.select_related("root_page"):
        _grant(COMMUNICATION, site.root_page)
    for page in legal_pages():
        _grant(LEGAL, page)


def grant_legal_staff_on_new_page(sender, instance, created, raw=False, **kwargs):
    """post_save receiver for the legal page models."""
    if created and not raw:
        _grant(LEGAL, instance)


def ensure_page_permissions_after_migrate(sender, **kwargs):
    ensure_page_permissions()
