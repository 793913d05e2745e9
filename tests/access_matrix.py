"""The access matrix's registry: for every parent-facing URL that takes an object id, how
to make that object in *another* household (tests/test_accounts_access_matrix.py).

The test discovers the URLs from the URL resolver (and the URLconfs of the screens
embedded in ServicePages, ``settings.PORTAL_SERVICE_SCREENS``): a URL with an argument
that has no entry here fails it. Each area registers its own URLs, in its
``tests/fixtures_<area>.py`` (imported for every test run), e.g.:

    from tests.access_matrix import object_url, screen_url

    @object_url("billing:invoice_pdf")
    def _invoice(world):
        invoice = make_invoice(world.victim_household, payer=world.victim_guardian)
        return {"pk": invoice.pk}

    @screen_url("default", "booking_calendar", methods=("get", "post"))
    def _calendar(world):
        return world.service_page("restauration-scolaire"), {"child_id": world.victim_child.pk}

A factory receives the ``world`` (two households, see ``World``) and returns the URL's
keyword arguments for an object of the victim's household (for a screen: the ServicePage
and the keyword arguments). The test checks, for each entry: the victim's own parent
reaches the URL (not 404: the factory really made a valid object), and the other
household's parent gets 404 on GET and on POST (with ``post_data``), with no audit event
written. ``exempt(name, reason)`` declares an argument that is not an object id (a signed
token, a file format).
"""

from dataclasses import dataclass, field

REGISTRY = {}
SCREENS = {}
EXEMPT = {}
SCREENS_EXEMPT = {}


@dataclass
class Entry:
    factory: object
    methods: tuple = ("get", "post")
    post_data: dict = field(default_factory=dict)


def object_url(name, *, methods=("get", "post"), post_data=None):
    """Register the factory of the URL named ``name`` ("namespace:name")."""
    def decorator(factory):
        REGISTRY[name] = Entry(factory, tuple(methods), dict(post_data or {}))
        return factory
    return decorator


def screen_url(shape, name, *, methods=("get", "post"), post_data=None):
    """Register the factory of the embedded screen ``name`` of the URLconf of ``shape``
    (a key of ``settings.PORTAL_SERVICE_SCREENS``)."""
    def decorator(factory):
        SCREENS[(shape, name)] = Entry(factory, tuple(methods), dict(post_data or {}))
        return factory
    return decorator


def exempt(name, reason):
    EXEMPT[name] = reason


def screen_exempt(shape, name, reason):
    """An embedded screen whose argument is not a household's object (a public hall)."""
    SCREENS_EXEMPT[(shape, name)] = reason


@dataclass
class World:
    """Two households: the attacker's (a parent with every right on their child) and the
    victim's (the same, plus an authorised person), each parent with a login."""

    attacker_user: object
    attacker_household: object
    attacker_guardian: object
    attacker_child: object
    victim_user: object
    victim_household: object
    victim_guardian: object
    victim_child: object
    victim_person: object

    def service_page(self, service_code=None):
        from home.models import ServicePage

        pages = ServicePage.objects.live().filter(locale__language_code="fr")
        if service_code:
            pages = pages.filter(service__code=service_code)
        return pages.first()


def build_world(password):
    import datetime

    from accounts.models import AuthorisedPerson, Child, Guardian, GuardianChildRight, Household, User

    def family(tag):
        user = User.objects.create_user(email=f"{tag}@example.org", password=password, first_name=tag.title(),
                                        last_name="Matrice")
        household = Household.objects.create(name=f"MATRICE {tag.upper()}", city="Aulnoy-lez-Valenciennes",
                                             phone_mobile="06 00 00 00 00")
        guardian = Guardian.objects.create(household=household, user=user, first_name=tag.title(),
                                           last_name="Matrice", is_payer=True, email=user.email)
        child = Child.objects.create(household=household, first_name=f"Enfant {tag}", last_name="Matrice",
                                     birth_date=datetime.date(2018, 5, 4), class_level="CE2")
        GuardianChildRight.objects.create(guardian=guardian, child=child, can_view=True, can_book=True, can_pay=True)
        return user, household, guardian, child

    attacker = family("attaquant")
    victim = family("victime")
    # Both parents are past the regulation gate: a refusal then comes from the household check.
    from home.acceptance import accept_current, current_version

    if current_version() is not None:
        accept_current(attacker[0])
        accept_current(victim[0])
    person = AuthorisedPerson.objects.create(child=victim[3], first_name="Personne", last_name="Autorisée")
    return World(*attacker, *victim, person)


# --- the accounts area's URLs ----------------------------------------------------------

for _name in ("accounts:household", "accounts:household_history"):
    object_url(_name, methods=("get",))(lambda world: {"household_id": world.victim_household.pk})

for _name in ("accounts:household_edit", "accounts:change_request", "accounts:household_data"):
    object_url(_name, post_data={"phone_mobile": "01 01 01 01 01", "address_line1": "piraté", "kind": "other",
                                 "message": "x"})(lambda world: {"household_id": world.victim_household.pk})

object_url("accounts:household_export", methods=("get",))(
    lambda world: {"household_id": world.victim_household.pk, "fmt": "json"})
object_url("accounts:guardian_edit", post_data={"phone_mobile": "01 01 01 01 01"})(
    lambda world: {"guardian_id": world.victim_guardian.pk})
for _name in ("accounts:child_edit", "accounts:authorisations", "accounts:authorised_person_add"):
    object_url(_name, post_data={"diet": "vegetarian", "photo": "yes", "first_name": "Intrus", "last_name": "X",
                                 "valid_from": "2026-01-01"})(lambda world: {"child_id": world.victim_child.pk})
object_url("accounts:authorised_person_edit", post_data={"first_name": "Intrus", "last_name": "X",
                                                         "valid_from": "2026-01-01"})(
    lambda world: {"person_id": world.victim_person.pk})
object_url("accounts:authorised_person_delete", methods=("post",))(lambda world: {"person_id": world.victim_person.pk})

exempt("auth:verify_email", "jeton signé, pas un identifiant d'objet")
exempt("auth:email_change_confirm", "jeton signé, pas un identifiant d'objet")
exempt("auth:password_reset_confirm", "jeton de réinitialisation de Django, pas un identifiant d'objet")
