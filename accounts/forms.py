from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from . import throttle
from .audit import client_ip, record
from .models import AuditEvent, User, normalize_email_address


class AccessibleFormMixin:
    """Ties help texts and errors to their input (``aria-describedby``, ``aria-invalid``)
    for ``templates/accounts/includes/field.html`` and the error summary."""

    def _describe(self):
        for name, field in self.fields.items():
            bound = self[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}-aide")
            if self.is_bound and name in self.errors:
                ids.append(f"{bound.auto_id}-erreurs")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def full_clean(self):
        super().full_clean()
        self._describe()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._describe()


class EmailAuthenticationForm(AccessibleFormMixin, AuthenticationForm):
    """Login with the e-mail address (Article I: the identifier is the e-mail), behind the
    brute-force counters of ``accounts.throttle``."""

    username = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _("Adresse e-mail ou mot de passe incorrect."),
        "inactive": _("Ce compte est désactivé."),
        "throttled": _(
            "Trop de tentatives de connexion : réessayez après %(time)s, ou réinitialisez votre mot de passe."
        ),
    }

    def clean(self):
        email = normalize_email_address(self.cleaned_data.get("username"))
        password = self.cleaned_data.get("password")
        if not email or not password:
            return self.cleaned_data
        ip = client_ip(self.request)
        self.throttle_keys = throttle.keys_for(self.request, email, ip)
        until = throttle.blocked_until(self.throttle_keys)
        if until is not None:
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"time": formats.time_format(timezone.localtime(until), "H:i")},
            )
        self.user_cache = authenticate(self.request, username=email, password=password)
        if self.user_cache is None:
            for key, blocked in throttle.register_failure(self.throttle_keys):
                record(AuditEvent.Action.LOCKOUT, request=self.request, acting_for_family=False,
                       summary=f"Connexion suspendue pour {key.split(':', 1)[0]} jusqu'à "
                               f"{timezone.localtime(blocked):%d/%m/%Y %H:%M}",
                       after={"counter": key.split(":", 1)[0], "email": email,
                              "until": timezone.localtime(blocked).isoformat()})
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        throttle.register_success(self.throttle_keys)
        return self.cleaned_data


class RegistrationForm(AccessibleFormMixin, forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=150,
                                 widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label=_("Nom"), max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    email = forms.EmailField(label=_("Adresse e-mail"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1 = forms.CharField(
        label=_("Mot de passe"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("De 12 à 128 caractères ; une phrase facile à retenir convient très bien."),
    )
    password2 = forms.CharField(label=_("Confirmation du mot de passe"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    preferred_language = forms.ChoiceField(label=_("Langue des e-mails"), choices=User._meta.get_field(
        "preferred_language").choices, initial="fr")

    def clean_email(self):
        return normalize_email_address(self.cleaned_data["email"])

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Les deux mots de passe ne correspondent pas."))
        elif p1:
            probe = User(email=data.get("email", ""), first_name=data.get("first_name", ""),
                         last_name=data.get("last_name", ""))
            try:
                password_validation.validate_password(p1, probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class PasswordResetRequestForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def clean_email(self):
        return normalize_email_address(self.cleaned_data["email"])


class CurrentPasswordMixin:
    """A form whose ``current_password`` must be the user's password."""

    def clean_current_password(self):
        value = self.cleaned_data["current_password"]
        if not self.user.check_password(value):
            raise ValidationError(_("Le mot de passe actuel est incorrect."), code="password_incorrect")
        return value


class EmailChangeForm(AccessibleFormMixin, CurrentPasswordMixin, forms.Form):
    new_email = forms.EmailField(label=_("Nouvelle adresse e-mail"), max_length=254,
                                 widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    current_password = forms.CharField(label=_("Mot de passe actuel"), strip=False,
                                       widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_new_email(self):
        email = normalize_email_address(self.cleaned_data["new_email"])
        if email == self.user.email:
            raise ValidationError(_("C'est déjà l'adresse de votre compte."), code="same_email")
        return email


class CloseAccountForm(AccessibleFormMixin, CurrentPasswordMixin, forms.Form):
    current_password = forms.CharField(label=_("Mot de passe actuel"), strip=False,
                                       widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    confirm = forms.BooleanField(label=_("Je comprends que mon identifiant sera effacé et que je ne pourrai "
                                         "plus me connecter avec."))

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
