"""Password rules of the quality bar: 12 to 128 characters, no composition rule,
common passwords and the commune's name refused, never truncated."""

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MaximumLengthValidator:
    def __init__(self, max_length=128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                _("Ce mot de passe est trop long : %(max)d caractères au plus.") % {"max": self.max_length},
                code="password_too_long",
            )

    def get_help_text(self):
        return _("Votre mot de passe ne doit pas dépasser %(max)d caractères.") % {"max": self.max_length}


def _fold(text):
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", text.lower())


_commune_name_sources = []


def register_commune_name_source(source):
    """``source()`` returns more spellings of the commune's name (the site settings do:
    see home.apps); the validator refuses them all."""
    _commune_name_sources.append(source)


def commune_names():
    """The commune's name as configured, and as edited in the site settings."""
    names = {settings.PORTAL_COMMUNE_NAME}
    for source in _commune_name_sources:
        names.update(source())
    return {name for name in names if name}


class CommuneNameValidator:
    """Refuse a password that is, or contains, the commune's name."""

    def validate(self, password, user=None):
        folded = _fold(password)
        for name in commune_names():
            folded_name = _fold(name)
            # The full name, and its first significant word ("aulnoy").
            candidates = {folded_name}
            first_word = _fold(re.split(r"[\s\-']", name.strip())[0])
            if len(first_word) >= 4:
                candidates.add(first_word)
            if any(c and c in folded for c in candidates):
                raise ValidationError(
                    _("Ce mot de passe contient le nom de la commune : choisissez-en un autre."),
                    code="password_commune_name",
                )

    def get_help_text(self):
        return _("Votre mot de passe ne peut pas contenir le nom de la commune.")
