"""Demo households and parent logins for the demo commune (Aulnoy-lez-Valenciennes).

Idempotent: every record is found again by its natural key (household code, user
e-mail, (household, user) or (household, first and last name) for guardians,
(household, first name, birth date) for children, ...), so running ``load`` twice
creates nothing new. Passwords are set only when the login is created, so a password
changed by hand is kept.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

DEMO_PASSWORD = "demo-portail-2026"

DEMO_CITY = "Aulnoy-lez-Valenciennes"
DEMO_POSTCODE = "59300"

ALL_RIGHTS = {"can_view": True, "can_book": True, "can_pay": True}

HOUSEHOLDS = [
    {
        "code": "F-000101",
        "name": "MARTIN",
        "address_line1": "12 rue Jean Jaurès",
        "phone_home": "03 27 00 01 01",
        "phone_mobile": "06 00 00 01 01",
        "email": "famille.martin@example.org",
        "family_situation": "married",
        "is_resident": True,
        "family_quotient": Decimal("820"),
        "family_quotient_source": "caf",
        "family_quotient_valid_until": datetime.date(2027, 12, 31),
        "paper_only": False,
        "guardians": [
            {
                "login": "marie.martin@example.org",
                "first_name": "Marie",
                "last_name": "Martin",
                "relationship": "mère",
                "phone_mobile": "06 00 00 01 02",
                "is_payer": True,
                "rights": {"Léa": ALL_RIGHTS, "Hugo": ALL_RIGHTS},
            },
            {
                "login": "julien.martin@example.org",
                "first_name": "Julien",
                "last_name": "Martin",
                "relationship": "père",
                "phone_mobile": "06 00 00 01 03",
                "is_payer": False,
                "rights": {"Léa": ALL_RIGHTS, "Hugo": ALL_RIGHTS},
            },
        ],
        "children": [
            {
                "first_name": "Léa",
                "last_name": "Martin",
                "birth_date": datetime.date(2019, 3, 14),
                "sex": "F",
                "school": "École Jules Ferry",
                "class_level": "CE1",
                "diet": "standard",
                "allergies": "Arachide",
                "has_medical_plan": True,
                "doctor_name": "Dr Lefebvre",
                "doctor_phone": "03 27 00 09 09",
                "authorised_persons": [
                    {
                        "first_name": "Monique",
                        "last_name": "Martin",
                        "relationship": "grand-mère",
                        "phone": "06 00 00 01 09",
                        "valid_from": datetime.date(2025, 9, 1),
                    }
                ],
                "authorisations": {"photo": True, "emergency_care": True, "leave_alone": False, "transport": True},
            },
            {
                "first_name": "Hugo",
                "last_name": "Martin",
                "birth_date": datetime.date(2022, 9, 2),
                "sex": "M",
                "school": "École Louise Michel",
                "class_level": "MS",
                "diet": "standard",
                "authorised_persons": [
                    {
                        "first_name": "Monique",
                        "last_name": "Martin",
                        "relationship": "grand-mère",
                        "phone": "06 00 00 01 09",
                        "valid_from": datetime.date(2025, 9, 1),
                    }
                ],
                "authorisations": {"photo": True, "emergency_care": True, "leave_alone": False, "transport": False},
            },
        ],
    },
    {
        "code": "F-000102",
        "name": "BERNARD-PETIT",
        "address_line1": "4 allée des Tilleuls",
        "phone_mobile": "06 00 00 02 01",
        "email": "sophie.bernard@example.org",
        "family_situation": "separated",
        "is_resident": True,
        "family_quotient": Decimal("540"),
        "family_quotient_source": "caf",
        "family_quotient_valid_until": datetime.date(2027, 12, 31),
        "paper_only": False,
        "guardians": [
            {
                "login": "sophie.bernard@example.org",
                "first_name": "Sophie",
                "last_name": "Bernard",
                "relationship": "mère",
                "phone_mobile": "06 00 00 02 01",
                "is_payer": True,
                "rights": {"Chloé": ALL_RIGHTS, "Nathan": ALL_RIGHTS},
            },
            {
                "login": "thomas.petit@example.org",
                "first_name": "Thomas",
                "last_name": "Petit",
                "relationship": "père",
                "phone_mobile": "06 00 00 02 02",
                "is_payer": True,
                "rights": {"Chloé": ALL_RIGHTS},
            },
        ],
        "children": [
            {
                "first_name": "Chloé",
                "last_name": "Petit",
                "birth_date": datetime.date(2017, 6, 21),
                "sex": "F",
                "school": "École Jules Ferry",
                "class_level": "CM1",
                "diet": "vegetarian",
                "authorisations": {"photo": False, "emergency_care": True, "leave_alone": True, "transport": True},
            },
            {
                "first_name": "Nathan",
                "last_name": "Petit",
                "birth_date": datetime.date(2020, 11, 5),
                "sex": "M",
                "school": "École Louise Michel",
                "class_level": "GS",
                "diet": "standard",
                "authorisations": {"photo": False, "emergency_care": True, "leave_alone": False, "transport": False},
            },
        ],
    },
    {
        "code": "F-000103",
        "name": "DURAND",
        "address_line1": "27 rue de la République",
        "phone_home": "03 27 00 03 01",
        "email": "jeanne.durand@example.org",
        "family_situation": "single",
        "is_resident": False,
        "family_quotient": None,
        "family_quotient_source": "none",
        "family_quotient_valid_until": None,
        "paper_only": True,
        "city": "Valenciennes",
        "postcode": "59300",
        "guardians": [
            {
                "login": None,
                "first_name": "Jeanne",
                "last_name": "Durand",
                "relationship": "mère",
                "email": "jeanne.durand@example.org",
                "phone_home": "03 27 00 03 01",
                "is_payer": True,
                "rights": {"Inès": ALL_RIGHTS},
            },
        ],
        "children": [
            {
                "first_name": "Inès",
                "last_name": "Durand",
                "birth_date": datetime.date(2018, 1, 30),
                "sex": "F",
                "school": "École Jules Ferry",
                "class_level": "CE2",
                "diet": "without_pork",
                "authorisations": {"photo": False, "emergency_care": True, "leave_alone": False, "transport": False},
            },
        ],
    },
]


def demo_login(email, first_name, last_name, **extra):
    """The demo account for ``email``, created with DEMO_PASSWORD if missing (an existing
    account keeps its password)."""
    from .models import User

    user = User.objects.filter(email=email.lower()).first()
    if user is None:
        user = User(email=email, first_name=first_name, last_name=last_name, email_verified_at=timezone.now(), **extra)
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _household(spec):
    from .models import Household

    fields = {
        key: value for key, value in spec.items() if key not in ("code", "guardians", "children")
    }
    fields.setdefault("city", DEMO_CITY)
    fields.setdefault("postcode", DEMO_POSTCODE)
    household, _ = Household.objects.update_or_create(code=spec["code"], defaults=fields)
    return household


def _child(household, spec):
    from .models import AuthorisedPerson, Child

    fields = {key: value for key, value in spec.items() if key not in ("authorised_persons", "authorisations")}
    first_name, birth_date = fields.pop("first_name"), fields.pop("birth_date")
    child, _ = Child.objects.update_or_create(
        household=household, first_name=first_name, birth_date=birth_date, defaults=fields
    )
    for person in spec.get("authorised_persons", []):
        person = dict(person)
        AuthorisedPerson.objects.update_or_create(
            child=child, first_name=person.pop("first_name"), last_name=person.pop("last_name"), defaults=person
        )
    return child, spec.get("authorisations", {})


def _guardian(household, spec):
    from .models import Guardian

    spec = dict(spec)
    spec.pop("rights")
    login = spec.pop("login")
    spec.setdefault("email", login or "")
    if login:
        user = demo_login(login, spec["first_name"], spec["last_name"])
        guardian, _ = Guardian.objects.update_or_create(household=household, user=user, defaults=spec)
    else:
        guardian, _ = Guardian.objects.update_or_create(
            household=household,
            user=None,
            first_name=spec.pop("first_name"),
            last_name=spec.pop("last_name"),
            defaults=spec,
        )
    return guardian


@transaction.atomic
def load(stdout=None):
    """Create or update the demo households; returns a summary."""
    from .models import Authorisation, GuardianChildRight

    parents = []
    children_count = 0
    for spec in HOUSEHOLDS:
        household = _household(spec)
        children = {}
        consents = {}
        for child_spec in spec["children"]:
            child, child_consents = _child(household, child_spec)
            children[child.first_name] = child
            consents[child.first_name] = child_consents
        children_count += len(children)

        first_guardian = None
        for guardian_spec in spec["guardians"]:
            guardian = _guardian(household, guardian_spec)
            first_guardian = first_guardian or guardian
            if guardian.user_id:
                parents.append(guardian.user.email)
            for first_name, rights in guardian_spec["rights"].items():
                GuardianChildRight.objects.update_or_create(
                    guardian=guardian, child=children[first_name], defaults=rights
                )

        # Consents are given by the first guardian; their date is kept once given.
        for first_name, kinds in consents.items():
            for kind, granted in kinds.items():
                Authorisation.objects.update_or_create(
                    child=children[first_name],
                    kind=kind,
                    defaults={"granted": granted, "given_by": first_guardian},
                    create_defaults={"granted": granted, "given_by": first_guardian, "given_at": timezone.now()},
                )

    summary = {"households": len(HOUSEHOLDS), "children": children_count, "parents": parents}
    if stdout is not None:
        stdout.write(
            f"Familles : {summary['households']} foyers, {summary['children']} enfants, "
            f"{len(parents)} comptes parents (mot de passe {DEMO_PASSWORD}).\n"
        )
    return summary


# The demo staff's authenticator (development and tests only: settings.PORTAL_DEMO_SECOND_FACTOR).
DEMO_TOTP_SECRET = "PORTAILFAMILLEDEMOAULNOYSTAFFXYZ"


def load_second_factors(emails, stdout=None):
    """Give the demo staff the demo authenticator, when the settings allow it, and say how
    to read its current code. Never in production (the setting is off there)."""
    from django.conf import settings

    from .models import User
    from .second_factor import set_secret

    if not getattr(settings, "PORTAL_DEMO_SECOND_FACTOR", False):
        if stdout is not None:
            stdout.write("Second facteur des agents : chacun l'active à sa première entrée dans l'administration.\n")
        return 0
    users = list(User.objects.filter(email__in=[e.lower() for e in emails]))
    for user in users:
        set_secret(user, DEMO_TOTP_SECRET)
    if stdout is not None:
        stdout.write(
            f"Second facteur des agents (démo) : clé TOTP {DEMO_TOTP_SECRET} ; code du moment : "
            "python manage.py demo_totp <e-mail>\n"
        )
    return len(users)
