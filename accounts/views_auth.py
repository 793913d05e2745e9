"""Account screens: registration, e-mail verification, password reset and change,
e-mail change, account closing, second factor (thin views over ``accounts.auth_flows``,
``accounts.second_factor`` and ``accounts.closing``)."""

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import formats, timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from . import auth_flows, closing, second_factor, throttle
from .audit import client_ip
from .forms import (
    AccessibleFormMixin,
    CloseAccountForm,
    EmailAuthenticationForm,
    EmailChangeForm,
    PasswordResetRequestForm,
    RegistrationForm,
)
from .ratelimit import RateLimitExceeded, limit_or_raise


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # A trusted-device cookie (accounts.throttle): failures elsewhere never lock this browser out.
        if not throttle.trusted_device_key(self.request, form.get_user().email):
            response.set_cookie(
                throttle.DEVICE_COOKIE, throttle.device_cookie_value(form.get_user().email),
                max_age=throttle.DEVICE_COOKIE_AGE, httponly=True, samesite="Lax",
                secure=self.request.is_secure(),
            )
        return response


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


def _form_page(request, form, *, title, submit_label, intro="", back_url=None, status=200):
    return render(request, "accounts/simple_form.html", {
        "form": form, "title": title, "submit_label": submit_label, "intro": intro, "back_url": back_url,
    }, status=status)


def _message_page(request, title, *paragraphs, link_url=None, link_label=None, status=200):
    return render(request, "accounts/message.html", {
        "title": title, "paragraphs": paragraphs, "link_url": link_url, "link_label": link_label,
    }, status=status)


# --- registration -----------------------------------------------------------------------


@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("accounts:space")
    form = RegistrationForm(request.POST or None, initial={"preferred_language": get_language() or "fr"})
    if request.method == "POST" and form.is_valid():
        try:
            limit_or_raise("registration_ip", client_ip(request))
        except RateLimitExceeded as error:
            form.add_error(None, error.message)
        else:
            data = form.cleaned_data
            auth_flows.register(email=data["email"], password=data["password1"], first_name=data["first_name"],
                                last_name=data["last_name"], preferred_language=data["preferred_language"],
                                request=request)
            return redirect("auth:register_done")
    return _form_page(request, form, title=_("Créer mon compte"), submit_label=_("Créer mon compte"),
                      intro=_("Un lien de vérification vous sera envoyé par e-mail ; il est valable 48 heures."))


@never_cache
def register_done(request):
    return _message_page(
        request, _("Vérifiez votre messagerie"),
        _("Si cette adresse peut être utilisée, un e-mail vient de vous être envoyé. Suivez le lien qu'il "
          "contient dans les 48 heures pour activer votre compte."),
        _("Vous n'avez rien reçu ? Regardez dans les indésirables, ou recommencez l'inscription."),
    )


@never_cache
def verify_email(request, token):
    try:
        auth_flows.verify_email(token, request=request)
    except auth_flows.InvalidLink:
        return _message_page(
            request, _("Lien invalide ou expiré"),
            _("Ce lien de vérification n'est pas valable (il expire au bout de 48 heures). "
              "Recommencez l'inscription pour en recevoir un nouveau."),
            link_url=reverse("auth:register"), link_label=_("Créer mon compte"), status=400,
        )
    return _message_page(
        request, _("Adresse vérifiée"), _("Votre compte est activé : vous pouvez vous connecter."),
        link_url=reverse("accounts:login"), link_label=_("Se connecter"),
    )


# --- password reset -----------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset(request):
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            limit_or_raise("password_reset_email", email)
            limit_or_raise("password_reset_ip", client_ip(request))
        except RateLimitExceeded as error:
            form.add_error(None, error.message)
        else:
            auth_flows.request_password_reset(email, language=get_language() or "fr")
            return redirect("auth:password_reset_done")
    return _form_page(request, form, title=_("Mot de passe oublié"), submit_label=_("Recevoir un lien"),
                      intro=_("Indiquez l'adresse de votre compte : un lien valable une heure vous sera envoyé."))


@never_cache
def password_reset_done(request):
    return _message_page(
        request, _("Demande enregistrée"),
        _("Si un compte existe pour cette adresse, un e-mail vient de lui être envoyé avec un lien valable "
          "une heure, utilisable une seule fois."),
    )


class AccessibleSetPasswordForm(AccessibleFormMixin, SetPasswordForm):
    pass


class AccessiblePasswordChangeForm(AccessibleFormMixin, PasswordChangeForm):
    pass


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = AccessibleSetPasswordForm
    success_url = reverse_lazy("auth:password_reset_complete")
    post_reset_login = False

    def form_valid(self, form):
        response = super().form_valid(form)
        auth_flows.password_was_reset(form.user, request=self.request)
        return response


@never_cache
def password_reset_complete(request):
    return _message_page(request, _("Mot de passe changé"),
                         _("Votre nouveau mot de passe est enregistré : vous pouvez vous connecter."),
                         link_url=reverse("accounts:login"), link_label=_("Se connecter"))


# --- changes while logged in ----------------------------------------------------------


@never_cache
@login_required
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = AccessiblePasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)  # this session stays; the others end
        auth_flows.password_was_changed(user, request=request)
        messages.success(request, _("Votre mot de passe est changé. Vos autres sessions sont fermées."))
        return redirect("accounts:space")
    return _form_page(request, form, title=_("Changer mon mot de passe"), submit_label=_("Changer"),
                      back_url=reverse("accounts:space"))


@never_cache
@login_required
@sensitive_post_parameters("current_password")
@require_http_methods(["GET", "POST"])
def email_change(request):
    form = EmailChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            limit_or_raise("email_change", request.user.pk)
        except RateLimitExceeded as error:
            form.add_error(None, error.message)
        else:
            auth_flows.start_email_change(request.user, form.cleaned_data["new_email"], request=request)
            return _message_page(
                request, _("Confirmez votre nouvelle adresse"),
                _("Un lien de confirmation, valable 48 heures, vient d'être envoyé à la nouvelle adresse. "
                  "Votre adresse actuelle a reçu un avis de ce changement."),
                link_url=reverse("accounts:space"), link_label=_("Retour à mon espace"),
            )
    return _form_page(request, form, title=_("Changer mon adresse e-mail"), submit_label=_("Changer"),
                      back_url=reverse("accounts:space"))


@never_cache
def email_change_confirm(request, token):
    try:
        user = auth_flows.confirm_email_change(token, request=request)
    except auth_flows.InvalidLink:
        return _message_page(request, _("Lien invalide ou expiré"),
                             _("Ce lien n'est pas valable : il a déjà servi, a expiré, ou l'adresse est déjà "
                               "utilisée par un autre compte."), status=400)
    return _message_page(
        request, _("Adresse changée"),
        _("Votre compte utilise désormais l'adresse %(email)s.") % {"email": user.email},
        link_url=reverse("accounts:space"), link_label=_("Mon espace famille"),
    )


@never_cache
@login_required
@sensitive_post_parameters("current_password")
@require_http_methods(["GET", "POST"])
def close_account(request):
    if request.user.is_staff or request.user.is_superuser:
        return _message_page(request, _("Fermer mon compte"),
                             _("Les comptes des agents sont fermés par l'administrateur de la commune."),
                             status=403)
    form = CloseAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        closing.close_account(request.user, request=request)
        logout(request)
        return _message_page(request, _("Compte fermé"), *closing.kept_paragraphs())
    return render(request, "accounts/close_account.html", {"form": form, "kept": closing.kept_paragraphs()})


# --- second factor --------------------------------------------------------------------


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return default


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def second_factor_view(request):
    user = request.user
    next_url = _safe_next(request, "/admin/")
    if not second_factor.needs_second_factor(user):
        return redirect("accounts:space")
    if second_factor.is_verified(request):
        return redirect(next_url)
    error = None
    factor = second_factor.confirmed_factor(user)
    if request.method == "POST":
        code = request.POST.get("code", "")
        try:
            if factor is None:
                codes = second_factor.confirm_enrolment(request, code)
                return render(request, "accounts/second_factor_codes.html", {"codes": codes, "next": next_url})
            second_factor.verify(request, code)
            return redirect(next_url)
        except second_factor.SecondFactorRefused as refused:
            if refused.code == "throttled":
                error = _("Trop de codes refusés : réessayez après %(time)s.") % {
                    "time": formats.time_format(timezone.localtime(refused.until), "H:i")}
            else:
                error = _("Ce code n'est pas valable. Saisissez le code à 6 chiffres affiché maintenant "
                          "par votre application, ou un code de secours.")
    context = {"error": error, "next": next_url, "enrolling": factor is None}
    if factor is None:
        pending = second_factor.pending_factor(user)
        context.update({"qr_svg": second_factor.qr_svg(pending), "secret": second_factor.grouped_secret(pending)})
    return render(request, "accounts/second_factor.html", context, status=200 if error is None else 400)
