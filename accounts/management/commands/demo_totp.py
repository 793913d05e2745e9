"""Print the current second-factor code of a demo staff login (development only)."""

import pyotp
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import SecondFactor


class Command(BaseCommand):
    help = "Affiche le code TOTP du moment d'un agent de démonstration (développement uniquement)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if not getattr(settings, "PORTAL_DEMO_SECOND_FACTOR", False):
            raise CommandError("Réservé à la démonstration (PORTAL_DEMO_SECOND_FACTOR est désactivé).")
        factor = SecondFactor.objects.filter(user__email=email.strip().lower(), confirmed_at__isnull=False).first()
        if factor is None:
            raise CommandError(f"Aucun second facteur actif pour {email}.")
        self.stdout.write(pyotp.TOTP(factor.secret).now())
