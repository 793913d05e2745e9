"""The parent's family-file screens (thin: the rules are in ``accounts.family``,
``accounts.gdpr``, ``accounts.history``, ``accounts.preferences``).

Every object is looked up through the reader's own households and visible children:
another household's id is a 404, on GET and on POST alike."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import family, gdpr, history, preferences
from .forms_family import (
    AuthorisationsForm,
    AuthorisedPersonForm,
    ChildForm,
    EmailPreferencesForm,
    GdprRequestForm,
    GuardianForm,
    HouseholdLinkForm,
    change_request_form,
    household_direct_form,
)
from .households import children_visible_to, households_for, user_can
from .models import Authorisation, AuthorisedPerson, ChangeRequest, GdprRequest, Guardian

HISTORY_PAGE_SIZE = 20


def parent_view(methods=("GET", "POST")):
    def wrap(view):
        return never_cache(login_required(require_http_methods(list(methods))(view)))
    return wrap


def _household(request, household_id):
    return get_object_or_404(households_for(request.user), pk=household_id)


def _child(request, child_id):
    return get_object_or_404(children_visible_to(request.user).select_related("household"), pk=child_id)


def _refused(request, message, back_url):
    return render(request, "accounts/message.html", {
        "title": _("Modification impossible"), "paragraphs": [message], "link_url": back_url,
        "link_label": _("Retour à la fiche famille")}, status=403)


def _precheck(request, household, back_url, child=None):
    """The refusal page when the gate, paper mode or rights forbid any change here."""
    try:
        family._gate(request.user, household)
        if child is not None:
            family._require_book_right(request.user, child)
        else:
            family._require_guardian(request.user, household)
    except family.FamilyRefused as refused:
        return _refused(request, refused.message, back_url)
    return None


def _form(request, form, *, title, submit_label, back_url, intro=""):
    return render(request, "accounts/simple_form.html", {
        "form": form, "title": title, "submit_label": submit_label, "back_url": back_url,
        "back_label": _("Retour à la fiche famille"), "intro": intro})


def _file_url(household):
    return reverse("accounts:household", args=[household.pk])


@parent_view(("GET",))
def household_detail(request, household_id):
    household = _household(request, household_id)
    guardian = family.own_guardian(request.user, household)
    children = list(children_visible_to(request.user).filter(household=household)
                    .prefetch_related("authorised_persons", "authorisations__given_by").order_by("birth_date", "pk"))
    for child in children:
        child.can_edit = user_can(request.user, child, "book") and not household.paper_only
    return render(request, "accounts/household.html", {
        "household": household, "guardian": guardian, "children": children,
        "others": household.guardians.exclude(pk=guardian.pk if guardian else None),
        "pending": ChangeRequest.objects.filter(household=household).order_by("-created_at")[:10],
        "checked_fields": [history.field_label(f) for f in family.checked_household_fields()],
        "can_edit": not household.paper_only,
    })


@parent_view()
def household_edit(request, household_id):
    household = _household(request, household_id)
    back = _file_url(household)
    refused = _precheck(request, household, back)
    if refused:
        return refused
    form = household_direct_form(request.POST or None, instance=None, initial={
        name: getattr(household, name) for name in family.direct_household_fields()})
    if request.method == "POST" and form.is_valid():
        try:
            event = family.update_household(request.user, household, form.cleaned_data, request=request)
        except family.FamilyRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Coordonnées enregistrées.") if event else _("Aucune modification."))
            return redirect(back)
    return _form(request, form, title=_("Coordonnées du foyer"), submit_label=_("Enregistrer"), back_url=back)


@parent_view()
def change_request(request, household_id):
    household = _household(request, household_id)
    back = _file_url(household)
    refused = _precheck(request, household, back)
    if refused:
        return refused
    form = change_request_form(request.POST or None, initial={
        name: getattr(household, name) for name in family.checked_household_fields()})
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in family.checked_household_fields()
                  if name in form.cleaned_data}
        try:
            family.request_change(request.user, household, values, comment=form.cleaned_data.get("comment", ""),
                                  request=request)
        except family.FamilyRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Votre demande est transmise à la commune : vous serez prévenu de sa "
                                        "réponse par e-mail."))
            return redirect(back)
    return _form(request, form, title=_("Demander une modification"), submit_label=_("Envoyer la demande"),
                 back_url=back, intro=_("La commune vérifie ces informations avant de les changer (un "
                                        "justificatif peut vous être demandé). Les valeurs actuelles restent "
                                        "en place jusqu'à sa réponse."))


@parent_view()
def guardian_edit(request, guardian_id):
    guardian = get_object_or_404(Guardian.objects.select_related("household"), pk=guardian_id, user=request.user,
                                 rights_confirmed=True)
    back = _file_url(guardian.household)
    refused = _precheck(request, guardian.household, back)
    if refused:
        return refused
    form = GuardianForm(request.POST or None, initial={n: getattr(guardian, n) for n in family.GUARDIAN_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            family.update_guardian(request.user, guardian, form.cleaned_data, request=request)
        except family.FamilyRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Vos coordonnées sont enregistrées."))
            return redirect(back)
    return _form(request, form, title=_("Mes coordonnées de responsable légal"), submit_label=_("Enregistrer"),
                 back_url=back)


@parent_view()
def child_edit(request, child_id):
    child = _child(request, child_id)
    back = _file_url(child.household)
    refused = _precheck(request, child.household, back, child)
    if refused:
        return refused
    form = ChildForm(request.POST or None, initial={n: getattr(child, n) for n in family.CHILD_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            family.update_child(request.user, child, form.cleaned_data, request=request)
        except family.FamilyRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("La fiche de %(name)s est enregistrée.") % {"name": child.first_name})
            return redirect(back)
    return _form(request, form, title=_("Santé et repas de %(name)s") % {"name": child.first_name},
                 submit_label=_("Enregistrer"), back_url=back)


@parent_view()
def authorisations_edit(request, child_id):
    child = _child(request, child_id)
    back = _file_url(child.household)
    refused = _precheck(request, child.household, back, child)
    if refused:
        return refused
    current = dict(Authorisation.objects.filter(child=child).values_list("kind", "granted"))
    form = AuthorisationsForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            family.set_authorisations(request.user, child, form.answers(), request=request)
        except family.FamilyRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Autorisations enregistrées."))
            return redirect(back)
    return _form(request, form, title=_("Autorisations pour %(name)s") % {"name": child.first_name},
                 submit_label=_("Enregistrer"), back_url=back,
                 intro=_("Chaque réponse est enregistrée à votre nom, avec la date."))


@parent_view()
def authorised_person_add(request, child_id):
    child = _child(request, child_id)
    back = _file_url(child.household)
    refused = _precheck(request, child.household, back, child)
    if refused:
        return refused
    form = AuthorisedPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            family.add_authorised_person(request.user, child, form.cleaned_data, request=request)
        except family.FamilyRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Personne autorisée ajoutée."))
            return redirect(back)
    return _form(request, form, title=_("Ajouter une personne autorisée pour %(name)s") % {"name": child.first_name},
                 submit_label=_("Ajouter"), back_url=back,
                 intro=_("Elle pourra venir chercher l'enfant à la fin des activités pendant la période indiquée."))


def _person(request, person_id):
    return get_object_or_404(AuthorisedPerson.objects.select_related("child__household"), pk=person_id,
                             child__in=children_visible_to(request.user))


@parent_view()
def authorised_person_edit(request, person_id):
    person = _person(request, person_id)
    back = _file_url(person.child.household)
    refused = _precheck(request, person.child.household, back, person.child)
    if refused:
        return refused
    form = AuthorisedPersonForm(request.POST or None, initial={
        n: getattr(person, n) for n in family.AUTHORISED_PERSON_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            family.update_authorised_person(request.user, person, form.cleaned_data, request=request)
        except family.FamilyRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Personne autorisée modifiée."))
            return redirect(back)
    return _form(request, form, title=_("Modifier %(name)s") % {"name": person}, submit_label=_("Enregistrer"),
                 back_url=back)


@require_POST
@never_cache
@login_required
def authorised_person_delete(request, person_id):
    person = _person(request, person_id)
    back = _file_url(person.child.household)
    try:
        family.remove_authorised_person(request.user, person, request=request)
    except family.FamilyRefused as refused:
        return _refused(request, refused.message, back)
    messages.success(request, _("Personne autorisée retirée."))
    return redirect(back)


@parent_view(("GET",))
def household_history(request, household_id):
    household = _household(request, household_id)
    page = Paginator(history.events_for(request.user, household), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/history.html", {
        "household": household, "page": page, "rows": history.readable(page.object_list, request.user, household)})


@parent_view()
def household_data(request, household_id):
    household = _household(request, household_id)
    form = GdprRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            gdpr.submit_request(request.user, household, form.cleaned_data["kind"], form.cleaned_data["message"],
                                request=request)
        except gdpr.GdprRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Votre demande est enregistrée : la commune vous répondra dans un délai d'un "
                                        "mois."))
            return redirect("accounts:household_data", household_id=household.pk)
    return render(request, "accounts/data.html", {
        "household": household, "form": form,
        "requests": GdprRequest.objects.filter(household=household, requested_by=request.user)})


@parent_view(("GET",))
def household_export(request, household_id, fmt):
    household = _household(request, household_id)
    try:
        gdpr.record_export(request.user, household, fmt, request=request)
    except gdpr.GdprRefused as refused:
        return render(request, "accounts/message.html", {
            "title": _("Téléchargement impossible"), "paragraphs": [refused.message],
            "link_url": reverse("accounts:household_data", args=[household.pk]), "link_label": _("Retour")},
            status=429)
    data = gdpr.export(household, request.user)
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        body = render_to_string("accounts/export.html", {"data": gdpr.readable(data), "household": household},
                                request=request)
        response = HttpResponse(body, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="donnees-foyer-{household.code}.{fmt}"'
    return response


@parent_view()
def household_link(request):
    form = HouseholdLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            guardian = family.link_household(request.user, form.cleaned_data["code"], form.cleaned_data["birth_date"],
                                             request=request)
        except family.FamilyRefused as refused:
            form.add_error(None, refused.message)
        else:
            if guardian.rights_confirmed:
                messages.success(request, _("Votre compte est rattaché au foyer %(name)s.") % {
                    "name": guardian.household.name})
                return redirect("accounts:household", household_id=guardian.household_id)
            messages.success(request, _("Votre demande de rattachement est enregistrée : la commune la confirme "
                                        "après avoir vérifié votre identité."))
            return redirect("accounts:space")
    return _form(request, form, title=_("Rattacher mon compte à mon foyer"), submit_label=_("Rattacher"),
                 back_url=reverse("accounts:space"),
                 intro=_("Le code famille figure sur vos factures ; la date de naissance d'un de vos enfants sert de "
                         "vérification."))


@parent_view()
def email_preferences(request):
    form = EmailPreferencesForm(request.POST or None, current=preferences.choices_of(request.user))
    if request.method == "POST" and form.is_valid():
        preferences.save_choices(request.user, form.cleaned_data, request=request)
        messages.success(request, _("Vos choix d'e-mails sont enregistrés."))
        return redirect("accounts:space")
    return _form(request, form, title=_("Les e-mails que je reçois"), submit_label=_("Enregistrer"),
                 back_url=reverse("accounts:space"),
                 intro=_("Les messages sur la sécurité du compte, les réponses de la commune et le règlement à "
                         "accepter sont toujours envoyés."))
