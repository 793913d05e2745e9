"""Versions and acceptances are never modified (a PostgreSQL trigger, like the audit
trail's), and the legal pages already live get their version 1."""

import hashlib
import json

from django.db import migrations
from django.utils import timezone

TABLES = ("home_legaltextversion", "home_regulationacceptance")

APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION home_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
    f"FOR EACH ROW EXECUTE FUNCTION home_append_only();\n"
    for table in TABLES
)
DROP_SQL = "".join(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};\n" for table in TABLES) + (
    "DROP FUNCTION IF EXISTS home_append_only();\n"
)

FIELDS = {
    "regulationpage": ("regulation", ("introduction", "body")),
    "privacynoticepage": ("privacy", ("controller", "dpo_contact", "body", "rights")),
}


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_SQL, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


def first_versions(apps, schema_editor):
    Version = apps.get_model("home", "LegalTextVersion")
    for model_name, (kind, fields) in FIELDS.items():
        for page in apps.get_model("home", model_name).objects.filter(live=True).select_related("locale"):
            if Version.objects.filter(page_id=page.pk).exists():
                continue
            content = {name: getattr(page, name) or "" for name in ("title", *fields)}
            canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
            Version.objects.create(
                page_id=page.pk, kind=kind, language_code=page.locale.language_code, number=1, title=page.title,
                content=content, text_hash=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
                published_at=page.last_published_at or page.first_published_at or timezone.now(),
                revision_id=page.live_revision_id,
            )


class Migration(migrations.Migration):

    dependencies = [
        ("home", "0002_versions_acceptances_news_assistance"),
    ]

    operations = [
        migrations.RunPython(add_trigger, drop_trigger),
        migrations.RunPython(first_versions, migrations.RunPython.noop),
    ]
