"""Identifiers of associations: SIRET (14 digits, Luhn key) or RNA number (W + 9 characters)."""

import re

RNA_RE = re.compile(r"^W\d[0-9AB]\d{7}$")
LA_POSTE_SIREN = "356000000"  # La Poste's establishments follow another key (sum of digits divisible by 5)


def normalize_association_number(value):
    """The number without spaces, dots or dashes, upper-cased."""
    return re.sub(r"[\s.\-]", "", value or "").upper()


def luhn_valid(digits):
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def is_valid_siret(value):
    if not re.fullmatch(r"\d{14}", value):
        return False
    if value.startswith(LA_POSTE_SIREN) and sum(int(c) for c in value) % 5 == 0:
        return True
    return luhn_valid(value)


def is_valid_rna(value):
    return bool(RNA_RE.fullmatch(value))


def is_valid_association_number(value):
    """Whether ``value`` (normalised) is a well-formed SIRET or RNA number."""
    return is_valid_siret(value) or is_valid_rna(value)
