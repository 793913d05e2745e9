"""English interface strings (the source strings are French). Run
`python tools/translations_en.py` after `manage.py makemessages -l en` to fill the catalogue,
then `manage.py compilemessages` (the compiled .mo file is committed so that a machine
without gettext still serves English)."""

import pathlib

import polib

EN = {
    "Adresse e-mail": "E-mail address",
    "Mot de passe": "Password",
    "Adresse e-mail ou mot de passe incorrect.": "Incorrect e-mail address or password.",
    "Ce compte est désactivé.": "This account is disabled.",
    "voir": "view",
    "inscrire et réserver": "enrol and book",
    "payer": "pay",
    "Ce mot de passe est trop long : %(max)d caractères au plus.": "This password is too long: %(max)d characters at most.",
    "Votre mot de passe ne doit pas dépasser %(max)d caractères.": "Your password must not be longer than %(max)d characters.",
    "Ce mot de passe contient le nom de la commune : choisissez-en un autre.": "This password contains the commune's name: choose another one.",
    "Votre mot de passe ne peut pas contenir le nom de la commune.": "Your password cannot contain the commune's name.",
    "Enfants": "Children",
    "Adresse d'assistance :": "Assistance address:",
    "Accéder à mon espace famille": "Go to my family space",
    "Se connecter à mon espace famille": "Log in to my family space",
    "Les services municipaux": "Municipal services",
    "Responsable du traitement": "Data controller",
    "Délégué à la protection des données": "Data protection officer",
    "Version en vigueur, publiée le %(date)s.": "Current version, published on %(date)s.",
    "Inscrire ou réserver depuis mon espace famille": "Enrol or book from my family space",
    "Se connecter pour inscrire ou réserver": "Log in to enrol or book",
    "Horaires": "Opening hours",
    "Tarifs": "Prices",
    "Pièces à fournir": "Documents to provide",
    "Règlement intérieur": "Internal regulation",
    "Contacts": "Contacts",
    "Accès refusé": "Access denied",
    "Vous n'avez pas le droit d'accéder à cette page.": "You are not allowed to see this page.",
    "Page introuvable": "Page not found",
    "Cette page n'existe pas ou vous n'y avez pas accès.": "This page does not exist or you cannot see it.",
    "Retour à l'accueil": "Back to the home page",
    "Connexion": "Log in",
    "Connexion à l'espace famille": "Log in to the family space",
    "Se connecter": "Log in",
    "Mon espace famille": "My family space",
    "Bonjour %(name)s.": "Hello %(name)s.",
    "Foyer %(name)s": "Household %(name)s",
    "Ce foyer a choisi les démarches papier : les inscriptions, réservations et paiements se font auprès des services de la commune.": "This household chose paper: enrolments, bookings and payments are made with the commune's services.",
    "Fiche famille": "Family file",
    "Code famille": "Household code",
    "Adresse": "Address",
    "Non renseignée": "Not given",
    "Téléphones": "Phones",
    "Fixe :": "Landline:",
    "Portable :": "Mobile:",
    "Situation familiale": "Family situation",
    "Résidence": "Residence",
    "Résident de la commune": "Resident of the commune",
    "Non résident": "Non-resident",
    "Quotient familial": "Family quotient",
    "%(qf)s € (source : %(source)s), valable jusqu'au %(date)s": "€%(qf)s (source: %(source)s), valid until %(date)s",
    "%(qf)s € (source : %(source)s)": "€%(qf)s (source: %(source)s)",
    "Expiré le %(date)s : transmettez un nouveau justificatif à la commune.": "Expired on %(date)s: send a new proof to the commune.",
    "Non renseigné : sans justificatif de revenus, le tarif le plus élevé s'applique.": "Not given: without proof of income, the highest price applies.",
    "Enfants du foyer %(name)s sur lesquels vous avez des droits": "Children of household %(name)s on whom you hold rights",
    "Prénom": "First name",
    "Nom": "Last name",
    "Date de naissance": "Date of birth",
    "École": "School",
    "Classe": "Class",
    "Vos droits": "Your rights",
    "Aucun enfant de ce foyer n'est rattaché à votre compte.": "No child of this household is linked to your account.",
    "Aucun foyer": "No household",
    "Votre compte n'est relié à aucun foyer. La commune peut le relier à votre fiche famille : adressez-vous à l'accueil de la mairie ou au service concerné.": "Your account is linked to no household. The commune can link it to your family file: ask at the town hall's reception or the service concerned.",
    "Portail Famille": "Family Portal",
    "Aller au contenu": "Skip to content",
    "Compte": "Account",
    "Se déconnecter": "Log out",
    "Informations légales": "Legal information",
    "Règlement d'utilisation": "Terms of use",
    "Données personnelles": "Personal data",
    "Accessibilité": "Accessibility",
    "Assistance": "Assistance",
    "Langue": "Language",
    "Mes démarches": "My procedures",
    # Model and admin names most seen by English-speaking staff.
    "Comptes et familles": "Accounts and families",
    "Services municipaux": "Municipal services",
    "Facturation": "Billing",
    "Pièces justificatives": "Supporting documents",
    "Pages du site": "Site pages",
    "service municipal": "municipal service",
    "services municipaux": "municipal services",
    "utilisateur": "user",
    "utilisateurs": "users",
    "commune": "commune",
    "page d'accueil": "home page",
    "page simple": "standard page",
    "page de service": "service page",
    "règlement d'utilisation": "terms of use",
    "notice sur les données personnelles": "privacy notice",
    "page d'assistance": "assistance page",
}


def all_translations():
    """EN above, plus each app's own ``<app>/translations_en*.py`` (a dict named EN; an app
    may split them, e.g. ``translations_en_staff.py`` for its admin screens). A value is the
    English string, or for a msgid with a plural form a tuple ``(singular, plural)``.

    The catalogue has one English per French string: two files giving the same French
    two different English is refused (``ValueError`` naming both), instead of the last
    file read silently winning."""
    merged = dict(EN)
    origin = dict.fromkeys(EN, "tools/translations_en.py")
    conflicts = []
    root = pathlib.Path(__file__).resolve().parent.parent
    for module in sorted(root.glob("*/translations_en*.py")):
        namespace = {}
        exec(compile(module.read_text(encoding="utf-8"), str(module), "exec"), namespace)
        name = str(module.relative_to(root))
        for french, english in namespace.get("EN", {}).items():
            if french in merged and merged[french] != english:
                conflicts.append(f"{french!r}: {merged[french]!r} ({origin[french]}) / {english!r} ({name})")
            merged[french], origin[french] = english, name
    if conflicts:
        raise ValueError("The same French string has two English translations:\n" + "\n".join(conflicts))
    return merged


def fill(entry, english):
    """Put ``english`` in the catalogue ``entry``: a string for a plain msgid, a tuple
    ``(singular, plural)`` for a msgid with a msgid_plural (ngettext, blocktrans ... plural)."""
    if entry.msgid_plural:
        if not (isinstance(english, tuple) and len(english) == 2):
            raise ValueError(f"{entry.msgid!r} has a plural form: give its English as (singular, plural)")
        entry.msgstr_plural = {0: english[0], 1: english[1]}
    else:
        if not isinstance(english, str):
            raise ValueError(f"{entry.msgid!r} has no plural form: give its English as a string")
        entry.msgstr = english
    entry.flags = [f for f in entry.flags if f != "fuzzy"]
    # The fuzzy match's former msgid ("#| msgid ...") means nothing once the entry is filled.
    entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None


def main():
    translations = all_translations()
    path = pathlib.Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(path))
    filled = 0
    for entry in catalogue:
        if entry.msgid in translations:
            fill(entry, translations[entry.msgid])
            filled += 1
    catalogue.metadata["Language"] = "en"
    # A fixed date: the catalogue then differs between branches only where strings do.
    catalogue.metadata["POT-Creation-Date"] = "2026-01-01 00:00+0100"
    catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    catalogue.save()
    missing = [entry for entry in catalogue if not entry.translated()]
    print(f"{filled} of {len(catalogue)} strings translated; {len(missing)} without English")


if __name__ == "__main__":
    main()
