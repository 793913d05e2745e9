"""The "File des tâches" admin screen (superusers only: the task rows carry e-mail bodies
and addresses, and putting a task back is an operator's decision)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import queue, scheduler


def can_see_operations(user):
    """Who sees the task queue and the periodic jobs: superusers (the commune's IT team)."""
    return user.is_active and user.is_superuser


class TaskQueueView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "ops/task_queue.html"
    page_title = _("File des tâches")
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        if not can_see_operations(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        jobs, orphans = scheduler.job_states()
        context.update(queue=queue.queue_state(), jobs=jobs, orphan_jobs=orphans)
        return context

    def post(self, request, *args, **kwargs):
        result_id = request.POST.get("requeue", "")
        try:
            new = queue.requeue_failed(result_id, user=request.user)
        except (queue.NotRequeueable, ValueError, ValidationError):
            messages.error(request, _("Cette tâche ne peut pas être relancée : déjà relancée, pas en échec, ou la file n’est pas celle de la base de données."))
        else:
            messages.success(request, _("Tâche remise dans la file (%(id)s).") % {"id": new.id})
        return redirect("ops_task_queue")
