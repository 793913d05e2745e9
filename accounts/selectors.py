"""What the parent's space shows, computed in a few queries."""


def space_context(user):
    return {"account": user}
