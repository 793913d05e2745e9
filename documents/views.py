"""Parent screens under /<lang>/justificatifs/: the household's documents, the upload
screen (``documents:upload``, query parameters ``type``, ``child``, ``next``), deletion of a
document not yet validated, and the download of a file. Views stay thin: the rules are in
``uploads``, ``access`` and ``rules``."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from accounts.households import children_visible_to, households_for
from home.acceptance import acceptance_refusal

from .access import documents_visible_to
from .checks import clean_filename
from .downloads import file_response, record_download
from .forms import LimitedUploadHandler, UploadForm
from .models import DocumentFile, DocumentType
from .uploads import NotVisible, UploadRefused, delete_document, upload_document


def notices(request):
    """The pending messages, shown by this app's template in a status region that keeps
    the list semantics (base.html's own list carries role="status", which axe-core
    reports as list items outside a list); ``messages`` is emptied so that base.html
    does not show them twice."""
    return {"notices": list(messages.get_messages(request)), "messages": []}


def _safe_next(request, value):
    """``value`` when it is a path of this site (never another host), else None."""
    if value and value.startswith("/") and not value.startswith("//") and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return None


def _visible_child(children, value):
    """The child ``value`` designates among ``children``; 404 for any other id."""
    if value in (None, ""):
        return None
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise Http404("child") from None
    child = children.filter(pk=pk).first()
    if child is None:
        raise Http404("child")
    return child


@never_cache
@login_required
def document_list(request):
    user = request.user
    households = list(households_for(user).order_by("name", "code"))
    files = Prefetch("files", queryset=DocumentFile.objects.order_by("position", "id"))
    documents = list(
        documents_visible_to(user)
        .select_related("document_type", "child", "household")
        .prefetch_related(files)
        .order_by("household__name", "child__first_name", "document_type__name", "-uploaded_at", "-id")
    )
    today = timezone.localdate()
    for document in documents:
        document.state_label = document.state_text(today)
    entries = []
    for household in households:
        entries.append({"household": household, "documents": [d for d in documents if d.household_id == household.pk]})
    types = DocumentType.objects.filter(is_active=True).prefetch_related("required_for_activities").order_by("name")
    return render(request, "documents/list.html", {
        "entries": entries,
        "document_types": types,
        "refusal": acceptance_refusal(user),
        **notices(request),
    })


@csrf_exempt
def upload(request):
    # The size limit applies while the body is read: the handler goes first, before the
    # CSRF check reads the form (the inner view is CSRF-protected).
    if request.method == "POST":
        request.upload_handlers.insert(0, LimitedUploadHandler(request))
    return _upload(request)


@csrf_protect
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def _upload(request):
    user = request.user
    households = list(households_for(user).order_by("name", "code"))
    children = children_visible_to(user).select_related("household").order_by("household__name", "birth_date", "pk")
    document_types = DocumentType.objects.filter(is_active=True).order_by("name")
    source = request.POST if request.method == "POST" else request.GET
    next_url = _safe_next(request, source.get("next"))
    child = _visible_child(children, source.get("child"))
    online = [h for h in households if not h.paper_only]
    refusal = acceptance_refusal(user)
    context = {"households": households, "next": next_url, "refusal": refusal, "online_households": online,
               "back_url": next_url or reverse("documents:list")}

    initial = {"child": child.pk if child else None}
    wanted_type = document_types.filter(code=request.GET.get("type", "")).first()
    if wanted_type:
        initial["type"] = wanted_type.code
    form = UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=initial,
        document_types=document_types,
        children=children,
        households=households,
    )
    context["form"] = form
    context["wanted_type"] = wanted_type
    if request.method == "POST" and households:
        oversize = getattr(request, "oversize_files", [])
        if form.is_valid() and not oversize:
            data = form.cleaned_data
            household = child.household if child else data.get("household") or households[0]
            try:
                document = upload_document(
                    user, household=household, document_type=data["type"], files=data["files"], child=child,
                    issued_on=data["issued_on"], request=request,
                )
            except NotVisible:
                raise Http404("not yours") from None
            except UploadRefused as refusal_error:
                for message in refusal_error.messages:
                    form.add_error(refusal_error.field if refusal_error.field in form.fields else None, message)
            else:
                messages.success(request, _("Document « %(type)s » envoyé : un agent de la commune va le vérifier. "
                                            "Vous recevrez sa réponse par e-mail.")
                                 % {"type": document.document_type.name})
                return redirect(next_url or reverse("documents:list"))
        for name in oversize:
            form.add_error("files", _("« %(name)s » est trop lourd : %(max)s au plus par fichier.")
                           % {"name": clean_filename(name),
                              "max": filesizeformat(settings.PORTAL_DOCUMENTS_MAX_FILE_SIZE)})
    status = 400 if request.method == "POST" else 200
    return render(request, "documents/upload.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete(request, pk):
    document = (
        documents_visible_to(request.user).select_related("document_type", "child", "household").filter(pk=pk).first()
    )
    if document is None:
        raise Http404("document")
    if not document.parent_may_delete:
        messages.error(request, _("Une pièce validée ne peut pas être supprimée en ligne : adressez-vous au "
                                  "service concerné."))
        return redirect("documents:list")
    if request.method == "POST":
        try:
            delete_document(request.user, document, request=request)
        except NotVisible:
            raise Http404("document") from None
        except UploadRefused as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, _("Le document « %(type)s » a été supprimé.") % {"type": document.document_type.name})
        return redirect("documents:list")
    return render(request, "documents/delete.html", {"document": document})


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def download(request, pk):
    document_file = (
        DocumentFile.objects.filter(document__in=documents_visible_to(request.user))
        .select_related("document__document_type", "document__household", "document__child")
        .filter(pk=pk)
        .first()
    )
    if document_file is None:
        raise Http404("file")
    response = file_response(request, document_file)
    record_download(request, document_file)
    return response
