"""Which part of the page tree each staff group edits, and the legal workflow.

Communication staff: the whole site tree (the legal pages excepted, see
``LegalPagePermissionTester``). Legal staff: every regulation and privacy-notice page,
granted as soon as such a page (or its translation) is created. Every legal page goes
through the "Validation juridique" workflow, whose only task is approved by the legal
group (Juridique)."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Page, Site

from accounts.roles import COMMUNICATION, LEGAL

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
LEGAL_WORKFLOW_NAME = "Validation juridique"
LEGAL_TASK_NAME = "Approbation par le service juridique"


def _grant(group_name, page):
    group = Group.objects.filter(name=group_name).first()
    if group is None:  # the groups are created after migrate; nothing to grant yet
        return
    base_page = page if type(page) is Page else Page.objects.get(pk=page.pk)
    for permission in Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS):
        GroupPagePermission.objects.get_or_create(group=group, page=base_page, permission=permission)


def legal_workflow():
    """The legal workflow (created if missing), or None before the groups exist."""
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

    group = Group.objects.filter(name=LEGAL).first()
    if group is None:
        return None
    task = GroupApprovalTask.objects.filter(name=LEGAL_TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=LEGAL_TASK_NAME)
    if list(task.groups.all()) != [group]:
        task.groups.set([group])
    workflow, _ = Workflow.objects.get_or_create(name=LEGAL_WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task.task_ptr, defaults={"sort_order": 0})
    return workflow


def _attach_workflow(page, workflow):
    from wagtail.models import WorkflowPage

    base_page = page if type(page) is Page else Page.objects.get(pk=page.pk)
    WorkflowPage.objects.update_or_create(page=base_page, defaults={"workflow": workflow})


def ensure_page_permissions():
    from .models import legal_pages

    for site in Site.objects.select_related("root_page"):
        _grant(COMMUNICATION, site.root_page)
    workflow = legal_workflow()
    for page in legal_pages():
        _grant(LEGAL, page)
        if workflow is not None:
            _attach_workflow(page, workflow)


def grant_legal_staff_on_new_page(sender, instance, created, raw=False, **kwargs):
    """post_save receiver for the legal page models."""
    if created and not raw:
        _grant(LEGAL, instance)
        workflow = legal_workflow()
        if workflow is not None:
            _attach_workflow(instance, workflow)


def ensure_page_permissions_after_migrate(sender, **kwargs):
    ensure_page_permissions()
