"""Access tokens of the family API: a parent creates one per app or device, and revokes it.

Only the SHA-256 of a token is stored: the token itself is shown once, when created
(``api.tokens.create_token``), and can never be read again."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("compte"), on_delete=models.CASCADE,
                             related_name="family_api_tokens")
    name = models.CharField(_("nom du jeton"), max_length=100, help_text=_("Par exemple « Téléphone de Marie »."))
    token_hash = models.CharField(_("empreinte du jeton"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("créé le"))
    last_used_at = models.DateTimeField(_("dernière utilisation le"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    # Not a piece of content: Wagtail's reference index would queue a task per write.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("jeton d'accès à l'API")
        verbose_name_plural = _("jetons d'accès à l'API")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="api_token_user_live")]

    def __str__(self):
        return f"{self.name} ({self.user})"

    def is_live(self, now):
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
