"""The user model: e-mail identifier, case-insensitive, no username."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db import IntegrityError, transaction

pytestmark = pytest.mark.django_db


def test_email_is_stored_lower_case_and_login_ignores_case(make_user, password):
    user = make_user(email="  Marie.Martin@Example.ORG ")
    assert user.email == "marie.martin@example.org"

    found = authenticate(email="MARIE.Martin@Example.org", password=password)
    assert found == user
    assert authenticate(email="marie.martin@example.org", password="mauvais-mot-de-passe") is None


def test_email_is_unique_whatever_the_case(make_user):
    make_user(email="parent@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_user(email="PARENT@example.org")
    User = get_user_model()
    # Even bypassing save()'s normalisation, the database refuses a case variant.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="Parent@Example.org")])
    assert User.objects.count() == 1


def test_no_username_field():
    User = get_user_model()
    assert User.USERNAME_FIELD == "email"
    assert "username" not in {field.name for field in User._meta.get_fields()}
    assert not hasattr(User, "username")


def test_email_is_required():
    with pytest.raises(ValueError):
        get_user_model().objects.create_user(email="  ", password="x")


def test_create_superuser(password):
    admin = get_user_model().objects.create_superuser(email="Admin@Example.org", password=password)
    assert admin.email == "admin@example.org"
    assert admin.is_staff and admin.is_superuser and admin.is_active
    assert admin.check_password(password)
    with pytest.raises(ValueError):
        get_user_model().objects.create_superuser(email="other@example.org", password=password, is_staff=False)


def test_parent_is_not_staff(make_user):
    user = make_user()
    assert not user.is_staff and not user.is_superuser
    assert not user.has_perm("wagtailadmin.access_admin")
