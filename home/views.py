"""Parent-facing views of the home app: accepting the regulation, the assistance form,
the search page. Thin: the rules live in acceptance.py, assistance.py, search.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import acceptance, assistance
from .forms import AcceptRegulationForm, AssistanceForm, SearchForm
from .models import RegulationPage
from .search import search_pages
from .versions import diff_versions


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


@never_cache
@login_required
def accept_regulation(request):
    """The acceptance screen: the text in force, what changed since the version the parent
    accepted last, and the form. Staff are exempt and only read it."""
    from django.urls import reverse

    version = acceptance.current_version()
    next_url = _safe_next(request, reverse("accounts:space"))
    if version is None:
        messages.info(request, _("Aucun règlement n'est en vigueur pour le moment."))
        return redirect(next_url)
    already = acceptance.pending_version(request.user) is None
    form = AcceptRegulationForm(initial={"version": version.number})
    if request.method == "POST" and not acceptance.is_exempt(request.user):
        form = AcceptRegulationForm(request.POST)
        if form.is_valid():
            try:
                acceptance.accept_current(request.user, request, version_number=form.cleaned_data["version"])
            except acceptance.VersionChanged:
                messages.warning(request, _(
                    "Une nouvelle version du règlement vient d'entrer en vigueur pendant votre lecture : "
                    "lisez-la puis acceptez-la."))
                return redirect(f"{request.path}?{urlencode({'next': next_url})}")
            messages.success(request, _("Merci : vous avez accepté le règlement d'utilisation (version %(number)s).")
                             % {"number": version.number})
            return redirect(next_url)
    previous = acceptance.last_accepted_version(request.user)
    diff = None
    if previous is not None and previous.pk != version.pk and previous.page_id == version.page_id:
        diff = diff_versions(previous, version)
    page = RegulationPage.objects.filter(pk=version.page_id).first()
    translation = None
    if page is not None:
        translation = page.get_translations().live().filter(locale__language_code=request.LANGUAGE_CODE).first()
    context = {
        "version": version,
        "regulation_page": page,
        "translation": translation,
        "previous": previous,
        "diff": diff,
        "form": form,
        "already_accepted": already,
        "exempt": acceptance.is_exempt(request.user),
        "next": next_url,
    }
    return TemplateResponse(request, "home/accept_regulation.html", context)


def assistance_page(request, page):
    """AssistancePage.serve: the form, and after sending, the request's number."""
    from .models import AssistanceRequest

    reference = None
    if request.method == "POST":
        form = AssistanceForm(request.POST)
        if form.is_valid():
            try:
                sent = assistance.submit(form, request, site=page.get_site())
            except assistance.AssistanceRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                request.session["home_assistance_reference"] = sent.reference
                return redirect(page.url + "?envoyee=1")
    else:
        initial = {}
        if request.user.is_authenticated:
            initial = {"name": request.user.get_full_name(), "email": request.user.email}
        form = AssistanceForm(initial=initial)
        if request.GET.get("envoyee"):
            reference = request.session.pop("home_assistance_reference", None)
    response = TemplateResponse(request, page.get_template(request), {
        **page.get_context(request),
        "form": form,
        "reference": reference,
        "sent": reference is not None,
        "topics": AssistanceRequest.Topic,
    })
    response["Cache-Control"] = "no-store"
    return response


def search_view(request):
    form = SearchForm(request.GET or None)
    query = ""
    results = None
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            results = search_pages(query, language=request.LANGUAGE_CODE, page_number=request.GET.get("page"))
    context = {"form": form, "query": query, "results": results}
    return TemplateResponse(request, "home/search_page.html", context)
