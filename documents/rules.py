"""Document rules used by enrolment, booking and hall hire.

Contract used by services (enrolment and booking) and halls:

    missing_documents(household, child, activity, on, *, hall_hire=False) -> list[str]

returns the French names of the required documents that are missing, refused or expired
on date ``on`` for that child (or household) and activity (or for hall hire when
``hall_hire`` is true, ``activity`` then None); an empty list lets the action go on.
``child`` may be None for household-level requirements.

The parent's upload screen is the URL named ``documents:upload``; it accepts the query
parameters ``type`` (a ``DocumentType.code``), ``child`` (a child id) and ``next`` (a
local path to come back to), so other screens can send the parent there for a missing
document.
"""


def missing_documents(household, child, activity, on, *, hall_hire=False):
    """The required documents missing for this activity (issue 7 fills this in)."""
    return []
