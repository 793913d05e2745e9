"""Demo households and parent logins (filled in by the household work)."""

DEMO_PASSWORD = "demo-portail-2026"


def load(stdout=None):
    from .models import User

    user, created = User.objects.get_or_create(
        email="marie.martin@example.org", defaults={"first_name": "Marie", "last_name": "Martin"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return {"parents": [user.email]}
