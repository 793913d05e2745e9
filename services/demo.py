"""Demo data for the services (filled in by the services work)."""


def load(stdout=None):
    return {}
