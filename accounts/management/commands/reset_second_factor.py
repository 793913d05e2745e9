"""Remove a staff member's authenticator (lost phone): the next admin access enrols a new one."""

from django.core.management.base import BaseCommand, CommandError

from accounts import second_factor
from accounts.models import User


class Command(BaseCommand):
    help = "Réinitialise le second facteur d'un agent (téléphone perdu) ; l'opération est tracée."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email=email.strip().lower()).first()
        if user is None:
            raise CommandError(f"Aucun compte pour {email}.")
        second_factor.reset(user)
        self.stdout.write(f"Second facteur de {user.email} réinitialisé : il en activera un nouveau à sa prochaine "
                          "entrée dans l'administration.")
