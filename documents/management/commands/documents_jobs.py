"""Run the documents' periodic jobs once (the scheduler runs them on its own; this command
serves cron or a manual run): expiry reminders, then the retention purge."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from documents.jobs import purge_expired, remind_expiring


class Command(BaseCommand):
    help = "Rappels avant expiration des pièces justificatives, puis suppression après la durée de conservation."

    def handle(self, *args, **options):
        now = timezone.now()
        reminded = remind_expiring(now)
        purged = purge_expired(now)
        if options["verbosity"] >= 1:
            self.stdout.write(f"Rappels envoyés : {reminded} ; pièces supprimées : {purged}.")
