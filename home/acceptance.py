"""The regulation acceptance gate (Article III), shared by every gated action.

Contract used by the other apps (bookings, payments, family-record changes, documents):

    acceptance_refusal(user) -> str | None

returns None when the user may act (no regulation in force, or its current version
accepted), otherwise a French message telling why the action is refused. Views and
domain functions call it on the server before any write.

    accept_current(user, request=None) -> acceptance record | None

records that ``user`` accepts the version in force (None when no regulation is in
force); tests of the other areas call it to put their parents past the gate.
"""


def acceptance_refusal(user):
    """None when ``user`` has accepted the regulation in force (issue 3 fills this in)."""
    return None


def accept_current(user, request=None):
    """Record the acceptance of the version in force by ``user`` (issue 3 fills this in)."""
    return None
