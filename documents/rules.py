"""Document rules used by enrolment and booking.

Contract used by services (enrolment and booking) and halls:

    missing_documents(household, child, activity, on) -> list[str]

returns the French names of the required documents that are missing, refused or expired
on date ``on`` for that child (or household) and activity; an empty list lets the action
go on. ``child`` may be None for household-level requirements.
"""


def missing_documents(household, child, activity, on):
    """The required documents missing for this activity (issue 7 fills this in)."""
    return []
