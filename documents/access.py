"""Who may see which supporting document.

- A parent sees the documents of the households they are a guardian of: those of the
  household itself, and those of the children they hold the "view" right on (separated
  parents each see only their children's). Anything else is, for them, absent (404).
- Staff see every document when they hold ``documents.view_supportingdocument`` (the
  "Agents" group), and validate them with ``documents.review_supportingdocument``.
"""

from django.db.models import F, Q

from accounts.households import children_visible_to, households_for

from .models import SupportingDocument

VIEW_PERMISSION = "documents.view_supportingdocument"
REVIEW_PERMISSION = "documents.review_supportingdocument"
ADD_PERMISSION = "documents.add_supportingdocument"
DELETE_PERMISSION = "documents.delete_supportingdocument"


def is_document_staff(user, permission=VIEW_PERMISSION):
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.is_staff and user.has_perm(permission)
    )


def parent_document_filter(user, prefix=""):
    """A Q object selecting the documents a parent may see (``prefix`` to filter related rows)."""
    return Q(**{f"{prefix}child__isnull": True, f"{prefix}household__in": households_for(user)}) | Q(
        **{f"{prefix}child__in": children_visible_to(user), f"{prefix}household": F(f"{prefix}child__household")}
    )


def documents_visible_to(user):
    """The documents ``user`` (a parent) may see; none for anonymous users."""
    if user is None or not user.is_authenticated or not user.is_active:
        return SupportingDocument.objects.none()
    return SupportingDocument.objects.filter(parent_document_filter(user))


def can_see(user, document):
    """Whether ``user`` may open ``document`` (as one of its guardians, or as staff)."""
    if is_document_staff(user):
        return True
    return documents_visible_to(user).filter(pk=document.pk).exists()
