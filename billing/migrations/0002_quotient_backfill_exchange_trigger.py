"""The billing's history of family quotients starts with what households hold today
(applying from the first day of the current month: never to an earlier month), and the
raw PayFiP exchanges become append-only in the database on PostgreSQL."""


from django.db import migrations
from django.utils import timezone

APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION billing_payfipexchange_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'billing_payfipexchange is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER billing_payfipexchange_append_only
    BEFORE UPDATE OR DELETE ON billing_payfipexchange
    FOR EACH ROW EXECUTE FUNCTION billing_payfipexchange_append_only();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS billing_payfipexchange_append_only ON billing_payfipexchange;
DROP FUNCTION IF EXISTS billing_payfipexchange_append_only();
"""


def backfill(apps, schema_editor):
    Household = apps.get_model("accounts", "Household")
    QuotientRecord = apps.get_model("billing", "QuotientRecord")
    first = timezone.localdate().replace(day=1)
    QuotientRecord.objects.bulk_create([
        QuotientRecord(household_id=h.pk, quotient=h.family_quotient, source=h.family_quotient_source or "",
                       valid_until=h.family_quotient_valid_until, applies_from=first,
                       recorded_at=timezone.now())
        for h in Household.objects.all()
    ])


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_SQL, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0001_tariffs_invoices_payments"),
        ("accounts", "0004_audit_actions"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
