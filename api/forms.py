from django import forms
from django.utils.translation import gettext_lazy as _

from .tokens import MAX_NAME_LENGTH


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du jeton"), max_length=MAX_NAME_LENGTH,
        help_text=_("Pour le reconnaître, par exemple « Téléphone de Marie »."),
        error_messages={"required": _("Donnez un nom au jeton, par exemple celui de l'appareil.")},
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Validité"), coerce=int, empty_value=None, required=False,
        choices=[("30", _("30 jours")), ("90", _("90 jours")), ("365", _("un an")), ("", _("sans limite"))],
        initial="90",
    )
