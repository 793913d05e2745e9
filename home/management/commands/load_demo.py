"""Load (or refresh) the demo commune. Safe to run again: nothing is duplicated."""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import demo as accounts_demo
from accounts.roles import AGENTS, CASHIERS, COMMUNICATION, LEGAL, ensure_groups
from billing import demo as billing_demo
from documents import demo as documents_demo  # documents (issue 7)
from halls import demo as halls_demo
from home import demo as home_demo
from home.permissions import ensure_page_permissions
from services import demo as services_demo
from services import demo_staff as services_staff_demo  # services, agents' screens

STAFF = [
    ("communication@example.org", "Camille", "Leroy", COMMUNICATION),
    ("juridique@example.org", "Louis", "Moreau", LEGAL),
    ("agent@example.org", "Nadia", "Girard", AGENTS),
    ("regisseur@example.org", "Paul", "Fontaine", CASHIERS),
]
ADMIN = ("admin@example.org", "Alex", "Admin")


def load_staff():
    from django.contrib.auth.models import Group

    logins = []
    for email, first_name, last_name, group_name in STAFF:
        user = accounts_demo.demo_login(email, first_name, last_name, is_staff=True)
        user.groups.set([Group.objects.get(name=group_name)])
        logins.append((email, group_name))
    accounts_demo.demo_login(*ADMIN, is_staff=True, is_superuser=True)
    logins.append((ADMIN[0], "super-administrateur"))
    return logins


class Command(BaseCommand):
    help = "Charge la commune de démonstration (pages, services, calendrier, familles, comptes)."

    def handle(self, *args, **options):
        with transaction.atomic():
            services = services_demo.load()
            pages = home_demo.load()
            families = accounts_demo.load()
            home_demo.load_acceptances()
            services_demo.load_families()  # the demo children's canteen and leisure-centre enrolments
            billing_demo.load()  # billing (issue 6): office, tariffs, last month's invoices
            ensure_groups()
            ensure_page_permissions()
            staff = load_staff()
            documents_demo.load()  # documents (issue 7): types, families' documents, editorial PDFs
            halls_demo.load()  # hall hire: slots, closures, one approved hire, one pending request
            services_staff_demo.load()  # canteen enrolments, this week's bookings, attendance to take, requests
        verbosity = options["verbosity"]
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS("Commune de démonstration prête."))
            self.stdout.write(f"  services : {services}")
            self.stdout.write(f"  pages : {pages}")
            self.stdout.write(f"  familles : {dict((k, v) for k, v in families.items() if k != 'parents')}")
            self.stdout.write("")
            self.stdout.write(f"Comptes de démonstration (mot de passe : {accounts_demo.DEMO_PASSWORD}) :")
            for email in families.get("parents", []):
                self.stdout.write(f"  parent          {email}")
            for email, role in staff:
                self.stdout.write(f"  {role:<15} {email}")
        accounts_demo.load_second_factors([email for email, _ in staff], self.stdout if verbosity >= 1 else None)
