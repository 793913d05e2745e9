"""The demo documents: requirements never block the demo families, except the MARTIN
children's sports certificate (the browser journey sends it); the GDPR export section."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail import hooks

from accounts.models import Child, Household
from documents.models import DocumentFile, DocumentType, SupportingDocument
from documents.rules import missing_documents
from services.models import Activity

pytestmark = pytest.mark.django_db


def demo_children():
    return Child.objects.select_related("household").filter(household__code__in=["F-000101", "F-000102",
                                                                                  "F-000103"])


def test_the_demo_types(demo):
    codes = set(DocumentType.objects.values_list("code", flat=True))
    assert {"justificatif-domicile", "attestation-caf", "carnet-vaccinations", "attestation-assurance", "pai",
            "certificat-medical-absence", "certificat-sport"} <= codes
    sport = DocumentType.objects.get(code="certificat-sport")
    assert sport.name == "Certificat médical de non contre-indication à la pratique sportive"
    assert list(sport.required_for_activities.values_list("code", flat=True)) == ["ecole-sports-multisports"]
    assert DocumentType.objects.get(code="attestation-assurance").required_for_hall_hire


def test_no_demo_activity_is_blocked_except_the_martin_sports_certificate(demo):
    today = timezone.localdate()
    blocked = []
    for activity in Activity.objects.all():
        for child in demo_children():
            for day in (today, activity.end_date or today):
                missing = missing_documents(child.household, child, activity, day)
                if missing:
                    blocked.append((activity.code, child.household.code, child.first_name, tuple(missing)))
    sport = "Certificat médical de non contre-indication à la pratique sportive"
    assert sorted(set(blocked)) == [
        ("ecole-sports-multisports", "F-000101", "Hugo", (sport,)),
        ("ecole-sports-multisports", "F-000101", "Léa", (sport,)),
    ]
    for household in Household.objects.filter(code__in=["F-000101", "F-000102", "F-000103"]):
        assert missing_documents(household, None, None, today, hall_hire=True) == []


def test_the_demo_documents_have_checked_files_and_loading_twice_duplicates_nothing(demo):
    counts = (SupportingDocument.objects.count(), DocumentFile.objects.count())
    assert counts[0] > 10 and counts[0] == counts[1]
    assert SupportingDocument.objects.filter(status="pending").exists()  # something for the agents' queue
    call_command("load_demo", verbosity=0)
    assert (SupportingDocument.objects.count(), DocumentFile.objects.count()) == counts


def test_the_gdpr_export_lists_the_documents_without_their_content(demo):
    from accounts.models import User

    export = [fn for fn in hooks.get_hooks("portal_household_export") if fn.__module__ == "documents.wagtail_hooks"]
    assert len(export) == 1
    marie = User.objects.get(email="marie.martin@example.org")
    household = Household.objects.get(code="F-000101")
    title, rows = export[0](household, marie)
    assert title == "Pièces justificatives"
    assert {row["type"] for row in rows} >= {"Carnet de vaccinations", "Projet d'accueil individualisé (PAI)"}
    row = next(r for r in rows if r["type"] == "Projet d'accueil individualisé (PAI)")
    assert row["concerne"] == "Léa Martin" and row["etat"] == "validée"
    assert row["fichiers"][0]["type"] == "application/pdf" and set(row["fichiers"][0]) == {
        "nom", "type", "taille", "sha256"}


def test_the_export_follows_the_rights_on_children(demo):
    from accounts.models import User

    export = next(fn for fn in hooks.get_hooks("portal_household_export")
                  if fn.__module__ == "documents.wagtail_hooks")
    thomas = User.objects.get(email="thomas.petit@example.org")  # rights on Chloé only
    _title, rows = export(Household.objects.get(code="F-000102"), thomas)
    concerned = {row["concerne"] for row in rows}
    assert "Chloé Petit" in concerned and "Nathan Petit" not in concerned
