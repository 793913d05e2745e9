"""Versions of the regulation and the privacy notice, their URLs, the diff view, and the
versions' and acceptances' immutability."""

import pytest
from django.db import DatabaseError, connection, transaction

from home.models import AppendOnlyError, LegalTextVersion, PrivacyNoticePage, RegulationAcceptance
from home.versions import diff_blocks, text_hash
from tests.fixtures_home import publish_regulation_revision

pytestmark = pytest.mark.django_db


def versions_of(page):
    return list(LegalTextVersion.objects.filter(page_id=page.pk).order_by("number"))


def test_the_demo_regulation_and_notice_are_at_version_1(regulation):
    (version,) = versions_of(regulation)
    assert version.number == 1 and version.kind == "regulation" and version.language_code == "fr"
    assert version.content["body"] == regulation.body
    assert version.text_hash == text_hash(version.content) and len(version.text_hash) == 64
    assert version.published_at == regulation.last_published_at
    notice = PrivacyNoticePage.objects.get()
    assert [v.number for v in versions_of(notice)] == [1]


def test_each_published_revision_with_a_new_text_is_the_next_version(regulation, legal_user):
    publish_regulation_revision(regulation, user=legal_user, summary="Ajout de l'article 9.")
    page = publish_regulation_revision(regulation, user=legal_user, extra="<p>Encore un ajout.</p>")
    versions = versions_of(page)
    assert [v.number for v in versions] == [1, 2, 3]
    assert versions[1].change_summary == "Ajout de l'article 9."
    assert versions[1].published_by_label == legal_user.email
    assert versions[2].content["body"] == page.body
    assert versions[1].published_at < versions[2].published_at
    assert page.version_number == 3


def test_republishing_the_same_text_makes_no_new_version(regulation, legal_user):
    page = publish_regulation_revision(regulation, user=legal_user, body=regulation.body)
    assert [v.number for v in versions_of(page)] == [1]


def test_a_draft_makes_no_version(regulation):
    regulation.body += "<p>Brouillon</p>"
    regulation.save_revision()
    assert len(versions_of(regulation)) == 1


def test_current_version_at_the_stable_url_and_past_versions_at_their_own(client, regulation, legal_user):
    old_body = regulation.body
    page = publish_regulation_revision(regulation, user=legal_user)
    current = client.get("/fr/reglement/").content.decode()
    assert "Article 9 — Réservations en ligne" in current and "version n° 2" in current
    past = client.get("/fr/reglement/versions/1/")
    assert past.status_code == 200
    html = past.content.decode()
    assert "version 1" in html and "Article 9 — Réservations en ligne" not in html
    assert "ce n&#x27;est plus la version en vigueur" in html or "ce n'est plus la version en vigueur" in html
    assert LegalTextVersion.objects.get(page_id=page.pk, number=1).content["body"] == old_body
    # The version in force is at the stable URL only.
    response = client.get("/fr/reglement/versions/2/")
    assert response.status_code == 302 and response["Location"] == "/fr/reglement/"
    assert client.get("/fr/reglement/versions/7/").status_code == 404
    listing = client.get("/fr/reglement/versions/").content.decode()
    assert "/fr/reglement/versions/1/" in listing and "/fr/reglement/versions/1/comparer/2/" in listing
    assert "<caption>" in listing and 'scope="col"' in listing


def test_the_diff_view_shows_what_changed_with_text_labels(client, regulation, legal_user):
    body = regulation.body.replace("une adresse électronique unique", "une adresse électronique personnelle")
    publish_regulation_revision(regulation, user=legal_user, body=body + "<p>Un paragraphe tout neuf.</p>")
    response = client.get("/fr/reglement/versions/1/comparer/2/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce qui a changé entre les versions 1 et 2" in html
    assert "<del><span class=\"visually-hidden\">[début de la suppression] </span>unique" in html
    assert "personnelle<span class=\"visually-hidden\"> [fin de l'ajout]</span></ins>" in html
    assert "Passage modifié" in html and "Passage ajouté" in html
    assert "Un paragraphe tout neuf." in html
    assert "Passages inchangés : " in html  # the unchanged articles are folded, not lost
    assert client.get("/fr/reglement/versions/2/comparer/2/").status_code == 404
    assert client.get("/fr/reglement/versions/1/comparer/9/").status_code == 404


def test_diff_pairs_rewritten_paragraphs_and_marks_added_and_removed_ones():
    old = [("h2", "Article 1"), ("p", "Le portail est ouvert à toute heure."), ("p", "Paragraphe retiré ici.")]
    new = [("h2", "Article 1"), ("p", "Le portail est ouvert à toute heure, sauf maintenance."),
           ("p", "Texte entièrement nouveau sans rapport.")]
    diff = diff_blocks(old, new)
    statuses = [b.status for b in diff.blocks]
    assert statuses[0] == "same"
    changed = next(b for b in diff.blocks if b.status == "changed")
    assert ("insert", ", sauf maintenance.") in [(op, t) for op, t in changed.parts] or any(
        op == "insert" and "maintenance" in t for op, t in changed.parts)
    assert {"removed", "added"} <= set(statuses)
    assert diff.counts == {"changed": 1, "added": 1, "removed": 1}


def test_diff_text_is_escaped(client, regulation, legal_user):
    publish_regulation_revision(regulation, user=legal_user, extra="<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")
    html = client.get("/fr/reglement/versions/1/comparer/2/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_the_privacy_notice_is_versioned_the_same_way(client, demo, legal_user):
    notice = PrivacyNoticePage.objects.get()
    notice.rights += "<p>Nouveau : demande par courrier.</p>"
    notice.save_revision(user=legal_user).publish(user=legal_user)
    assert [v.number for v in versions_of(notice)] == [1, 2]
    assert client.get(f"{notice.url}versions/1/").status_code == 200
    html = client.get(f"{notice.url}versions/1/comparer/2/").content.decode()
    assert "Nouveau : demande par courrier." in html
    page = client.get(notice.url).content.decode()
    assert "Exercer vos droits" in page and "dpo@example.org" in page


def test_versions_are_never_modified_or_deleted(regulation):
    version = versions_of(regulation)[0]
    version.title = "autre"
    with pytest.raises(AppendOnlyError):
        version.save()
    with pytest.raises(AppendOnlyError):
        version.delete()
    with pytest.raises(AppendOnlyError):
        LegalTextVersion.objects.filter(pk=version.pk).update(title="x")
    with pytest.raises(AppendOnlyError):
        LegalTextVersion.objects.all().delete()


def test_acceptances_are_never_modified_or_deleted(demo_parent):
    acceptance = RegulationAcceptance.objects.get(user_id=demo_parent.pk)
    acceptance.ip_address = "10.0.0.1"
    with pytest.raises(AppendOnlyError):
        acceptance.save()
    with pytest.raises(AppendOnlyError):
        acceptance.delete()
    with pytest.raises(AppendOnlyError):
        RegulationAcceptance.objects.filter(pk=acceptance.pk).update(text_hash="0" * 64)
    with pytest.raises(AppendOnlyError):
        RegulationAcceptance.objects.all().delete()
    assert RegulationAcceptance.objects.get(pk=acceptance.pk).ip_address is None


@pytest.mark.postgres
def test_postgresql_refuses_to_change_versions_and_acceptances(demo_parent):
    if connection.vendor != "postgresql":
        pytest.skip("the database-level guard is installed on PostgreSQL only (CI runs it there)")
    acceptance = RegulationAcceptance.objects.get(user_id=demo_parent.pk)
    for sql, pk in (
        ("UPDATE home_regulationacceptance SET text_hash = 'x' WHERE id = %s", acceptance.pk),
        ("DELETE FROM home_regulationacceptance WHERE id = %s", acceptance.pk),
        ("UPDATE home_legaltextversion SET title = 'x' WHERE id = %s", acceptance.version_id),
        ("DELETE FROM home_legaltextversion WHERE id = %s", acceptance.version_id),
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [pk])
    assert RegulationAcceptance.objects.get(pk=acceptance.pk).text_hash == acceptance.text_hash



def test_editor_markup_alone_makes_no_new_version(regulation, legal_user):
    import re

    keyed = re.sub(r"<(p|h2|h3)>", lambda m: f'<{m.group(1)} data-block-key="k{m.start()}">', regulation.body)
    page = publish_regulation_revision(regulation, user=legal_user, body=keyed)
    assert [v.number for v in versions_of(page)] == [1]
