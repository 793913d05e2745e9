"""Closing an account (GDPR, Article 5.3): the login goes, what public accounting and the
commune's own register must keep stays.

Removed: the e-mail address used as identifier (replaced by a meaningless unique one),
the names on the account, the password (unusable), the e-mail preferences, the second
factor and its recovery codes, the API access tokens and iCalendar addresses; every session of the account ends (the password hash
changes). The account's guardian records are unlinked from it.

Kept: the household file (the commune's family register, used by the services and for
invoicing; erasing it is a GDPR request that staff answer), the invoices, credit notes and
payments, linked to the household and its payer guardian (public accounting keeps them
ten years), the audit trail (Article 4.1; its events keep the address of who acted, as
written at the time), the regulation acceptances.
"""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.hooks import ACCOUNT_CLOSED, collect
from portal.notifications import notify

from .audit import record
from .models import AuditEvent, EmailPreference, Guardian, RecoveryCode, SecondFactor


def kept_paragraphs():
    return [
        _("Votre identifiant de connexion, votre mot de passe, vos préférences d'e-mails et le lien entre votre "
          "compte et votre fiche famille sont effacés."),
        _("La commune garde votre fiche famille (son registre des familles, utilisé par les services), vos "
          "factures et paiements (comptabilité publique) et le journal des opérations, comme la loi l'impose."),
        _("Pour demander l'effacement de la fiche famille, écrivez au délégué à la protection des données de la "
          "commune (voir la page Données personnelles)."),
    ]


def close_account(user, *, request=None, now=None):
    now = now or timezone.now()
    old_email, language = user.email, user.preferred_language
    with transaction.atomic():
        guardians = list(Guardian.objects.filter(user=user).select_related("household"))
        households = {g.household_id: g.household for g in guardians}
        for household in households.values() or [None]:
            record(AuditEvent.Action.ACCOUNT_CLOSED, actor=user, household=household, obj=user, request=request,
                   acting_for_family=False, summary="Compte fermé par son titulaire : identifiant effacé",
                   before={"email": old_email})
        Guardian.objects.filter(user=user).update(user=None)
        EmailPreference.objects.filter(user=user).delete()
        SecondFactor.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        # The account's ways in without a password, kept by other apps (API tokens,
        # iCalendar addresses): each removes its own.
        collect(ACCOUNT_CLOSED, user)
        user.email = f"ferme-{user.pk}-{secrets.token_hex(6)}@comptes-fermes.invalid"
        user.first_name = user.last_name = ""
        user.set_unusable_password()
        user.is_active = False
        user.closed_at = now
        user.save()
    notify(old_email, "accounts_account_closed", {"kept": kept_paragraphs()}, language=language)
    return user
