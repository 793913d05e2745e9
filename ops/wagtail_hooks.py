"""The ops area in the Wagtail admin (Paramètres > File des tâches, superusers) and its
periodic jobs (scheduled publishing, expired sessions, old task results)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal.hooks import PERIODIC_JOBS

from .jobs import periodic_jobs
from .views import TaskQueueView, can_see_operations


@hooks.register("register_admin_urls")
def task_queue_urls():
    return [path("exploitation/taches/", TaskQueueView.as_view(), name="ops_task_queue")]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_operations(request.user)


@hooks.register("register_settings_menu_item")
def task_queue_menu_item():
    return SuperuserMenuItem(_("File des tâches"), reverse("ops_task_queue"), icon_name="tasks", order=900)


hooks.register(PERIODIC_JOBS, periodic_jobs)
