"""Document rules used by enrolment, booking and hall hire.

Contract used by services (enrolment and booking) and halls:

    missing_documents(household, child, activity, on, *, hall_hire=False) -> list[str]

returns the French names of the required documents that are missing, refused or expired
on date ``on`` for that child (or household) and activity (or for hall hire when
``hall_hire`` is true, ``activity`` then None); an empty list lets the action go on.
``child`` may be None for household-level requirements (child-level requirements are
then not checked: a type required for hall hire concerns the household).

What counts: a document of the required type, for the household (household-level types)
or for that child (child-level types), **validated** by an agent and valid on ``on``
(its end of validity on or after that date). A document awaiting validation does not
count, unless staff ticked "une pièce en attente de validation suffit" on its type: the
commune checks the document before the child is admitted, and a refused document would
otherwise have let an enrolment through. Each name says what is wrong when something was
sent: "(en attente de validation)", "(document refusé)", "(valable jusqu'au 3 mars 2027)".

The parent's upload screen is the URL named ``documents:upload``; it accepts the query
parameters ``type`` (a ``DocumentType.code``), ``child`` (a child id) and ``next`` (a
local path to come back to), so other screens can send the parent there for a missing
document (``upload_url`` builds it).
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import DocumentType, SupportingDocument

SATISFIED = "satisfied"
MISSING = "missing"
PENDING = "pending"
REJECTED = "rejected"
EXPIRED = "expired"


@dataclass
class Requirement:
    """One required document type and where the household stands with it."""

    document_type: DocumentType
    child: object
    state: str
    document: SupportingDocument | None = None

    @property
    def satisfied(self):
        return self.state == SATISFIED

    @property
    def label(self):
        name = self.document_type.name
        if self.state == PENDING:
            return _("%(name)s (en attente de validation)") % {"name": name}
        if self.state == REJECTED:
            return _("%(name)s (document refusé)") % {"name": name}
        if self.state == EXPIRED:
            date = formats.date_format(self.document.valid_until, "j F Y")
            return _("%(name)s (valable jusqu'au %(date)s)") % {"name": name, "date": date}
        return name


def required_types(activity, *, hall_hire=False):
    """The active document types required for ``activity`` (or for hall hire)."""
    if hall_hire:
        return DocumentType.objects.filter(is_active=True, required_for_hall_hire=True)
    if activity is None:
        return DocumentType.objects.none()
    return DocumentType.objects.filter(is_active=True, required_for_activities=activity)


def _as_date(on):
    if isinstance(on, datetime.datetime):
        return timezone.localdate(on) if timezone.is_aware(on) else on.date()
    return on or timezone.localdate()


def requirements(household, child, activity, on, *, hall_hire=False):
    """Every required type for this request with its state (two queries)."""
    on = _as_date(on)
    types = list(required_types(activity, hall_hire=hall_hire).order_by("name", "pk"))
    if child is None:
        types = [t for t in types if t.scope == DocumentType.Scope.HOUSEHOLD]
    if not types or household is None:
        return []
    scope_filter = Q(child__isnull=True)
    if child is not None:
        scope_filter |= Q(child=child)
    documents = list(
        SupportingDocument.objects.filter(scope_filter, household=household, document_type__in=types).order_by(
            "-uploaded_at", "-id"
        )
    )
    result = []
    for document_type in types:
        own_child = child if document_type.scope == DocumentType.Scope.CHILD else None
        candidates = [
            d for d in documents
            if d.document_type_id == document_type.pk and d.child_id == (own_child.pk if own_child else None)
        ]
        result.append(_requirement(document_type, own_child, candidates, on))
    return result


def _requirement(document_type, child, candidates, on):
    for document in candidates:
        if document.is_valid_on(on):
            return Requirement(document_type, child, SATISFIED, document)
    pending = [d for d in candidates if d.status == SupportingDocument.Status.PENDING]
    if pending:
        state = SATISFIED if document_type.pending_is_enough else PENDING
        return Requirement(document_type, child, state, pending[0])
    expired = [d for d in candidates if d.is_expired_on(on)]
    if expired:
        return Requirement(document_type, child, EXPIRED, max(expired, key=lambda d: d.valid_until))
    if candidates:  # only refused ones remain
        return Requirement(document_type, child, REJECTED, candidates[0])
    return Requirement(document_type, child, MISSING)


def missing_documents(household, child, activity, on, *, hall_hire=False):
    """The names of the required documents missing, awaiting validation, refused or
    expired on ``on`` (see the module's docstring)."""
    return [r.label for r in requirements(household, child, activity, on, hall_hire=hall_hire) if not r.satisfied]


def upload_links(household, child, activity, on, next_url, *, hall_hire=False):
    """What a refused request shows for its documents: ``[{"name", "url", "pending"}]``
    for each required document not in order on ``on``. A document awaiting validation
    gets no link (``pending``: the parent waits for the commune, and the upload screen
    would refuse a second one); a missing, refused or expired one gets the upload screen
    with its type, the child for a child's document, and the way back ``next_url``
    (``url`` is None when the documents area's screen is not installed)."""
    try:
        reverse("documents:upload")
    except NoReverseMatch:
        installed = False
    else:
        installed = True
    links = []
    for requirement in requirements(household, child, activity, on, hall_hire=hall_hire):
        if requirement.satisfied:
            continue
        pending = requirement.state == PENDING
        links.append({
            "name": requirement.document_type.name if pending else str(requirement.label),
            "url": upload_url(requirement.document_type, requirement.child, next_url) if installed and not pending
            else None,
            "pending": pending,
        })
    return links


def upload_url(document_type, child=None, next_url=None):
    """The parent's upload screen for ``document_type`` (and ``child``), coming back to ``next_url``."""
    params = {"type": document_type.code}
    if child is not None:
        params["child"] = child.pk
    if next_url:
        params["next"] = next_url
    return f"{reverse('documents:upload')}?{urlencode(params)}"
