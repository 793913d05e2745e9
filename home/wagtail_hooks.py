from django.core.exceptions import PermissionDenied
from wagtail import hooks

from accounts.roles import LEGAL

from .models import LEGAL_PAGE_MODELS


def user_is_legal_staff(user):
    return user.is_superuser or user.groups.filter(name=LEGAL).exists()


@hooks.register("before_create_page")
def only_legal_staff_create_legal_pages(request, parent_page, page_class):
    if issubclass(page_class, LEGAL_PAGE_MODELS) and not user_is_legal_staff(request.user):
        raise PermissionDenied
