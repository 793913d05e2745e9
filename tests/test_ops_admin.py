"""The task queue and the periodic jobs in the Wagtail admin: superusers only."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts import roles
from accounts.models import User
from ops.models import PeriodicJob

from tests.fixtures_accounts import login_staff

URL = "/admin/exploitation/taches/"


@pytest.fixture
def superuser(db, password):
    return User.objects.create_superuser(email="admin@example.org", password=password)


@pytest.fixture
def agent(db, password):
    roles.ensure_groups()
    user = User.objects.create_user(email="agent@example.org", password=password, is_staff=True)
    user.groups.add(Group.objects.get(name=roles.AGENTS))
    return user


def failed_row(**extra):
    now = timezone.now()
    return DBTaskResult.objects.create(
        status="FAILED", task_path="portal.notifications.send_email", backend_name="default",
        args_kwargs={"args": [["parent@example.org"], "Sujet", "Texte", None, []], "kwargs": {"_attempt": 5}},
        run_after=now, finished_at=now, exception_class_path="smtplib.SMTPAuthenticationError",
        traceback="Traceback (most recent call last):\n  ...\nsmtplib.SMTPAuthenticationError: (535, 'bad credentials')\n",
        **extra,
    )


def test_url_name():
    assert reverse("ops_task_queue") == URL


def test_superuser_sees_counts_failures_oldest_waiting_and_jobs(client, superuser):
    failed_row()
    DBTaskResult.objects.create(status="READY", task_path="portal.notifications.send_email", backend_name="default",
                                args_kwargs={"args": [], "kwargs": {}}, run_after=timezone.now() - timedelta(hours=1))
    PeriodicJob.objects.create(name="ops.publish_scheduled", last_started_at=timezone.now(), last_outcome="failure",
                               last_error="RuntimeError: boom", runs=3, failures=1)
    login_staff(client, superuser)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "File des tâches" in html
    assert "smtplib.SMTPAuthenticationError: (535, &#x27;bad credentials&#x27;)" in html
    assert "send_email, en attente depuis le" in html
    assert "ops.publish_scheduled" in html and "RuntimeError: boom" in html and "3 / 1" in html
    assert "<caption" in html and 'scope="row"' in html
    # The menu entry, under Settings.
    assert reverse("ops_task_queue") in client.get("/admin/").content.decode()


def test_the_queue_page_does_not_grow_in_queries_with_the_failures(client, superuser, django_assert_max_num_queries):
    login_staff(client, superuser)
    for _ in range(3):
        failed_row()
    client.get(URL)
    with django_assert_max_num_queries(30) as few:
        client.get(URL)
    for _ in range(15):
        failed_row()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(URL).status_code == 200


def test_staff_other_than_superusers_are_refused_and_see_no_menu(client, agent, db_tasks):
    login_staff(client, agent)
    # Wagtail turns the PermissionDenied of an admin view into a redirect with a message.
    refused = client.get(URL, follow=True)
    assert refused.redirect_chain == [("/admin/", 302)]
    assert "File des tâches" not in refused.content.decode()
    assert client.post(URL, {"requeue": str(failed_row().pk)})["Location"] == "/admin/"
    assert DBTaskResult.objects.get().status == "FAILED"
    assert URL not in client.get("/admin/").content.decode()


def test_parents_never_reach_it(client, make_user):
    client.force_login(make_user("parent@example.org"))
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/" not in response["Location"].split("?")[0]


def test_superuser_puts_a_failed_task_back_once(client, superuser, db_tasks):
    row = failed_row()
    login_staff(client, superuser)
    response = client.post(URL, {"requeue": str(row.pk)}, follow=True)
    assert "Tâche remise dans la file" in response.content.decode()
    new = DBTaskResult.objects.get()
    assert new.pk != row.pk and new.status == "READY" and new.args_kwargs["kwargs"] == {}
    response = client.post(URL, {"requeue": str(row.pk)}, follow=True)
    assert "ne peut pas être relancée" in response.content.decode()
    assert DBTaskResult.objects.count() == 1
    response = client.post(URL, {"requeue": "not-a-uuid"}, follow=True)
    assert "ne peut pas être relancée" in response.content.decode()


def test_requeue_needs_the_csrf_token(superuser, db_tasks):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    login_staff(strict, superuser)
    row = failed_row()
    assert strict.post(URL, {"requeue": str(row.pk)}).status_code == 403
    assert DBTaskResult.objects.get().pk == row.pk
