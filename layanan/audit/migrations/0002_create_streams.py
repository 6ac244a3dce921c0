from django.db import migrations

STREAM_COUNT = 16  # layanan.audit.chain.STREAM_COUNT at the time of this migration

PROTECT_SQL = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""
UNPROTECT_SQL = """
DROP TRIGGER IF EXISTS audit_event_no_update_delete ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""


def create_streams(apps, schema_editor):
    AuditStream = apps.get_model("audit", "AuditStream")
    AuditStream.objects.bulk_create(
        [AuditStream(number=number) for number in range(STREAM_COUNT)], ignore_conflicts=True
    )


def protect_table(apps, schema_editor):
    # On PostgreSQL the database itself refuses UPDATE and DELETE of audit rows.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PROTECT_SQL)


def unprotect_table(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNPROTECT_SQL)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(create_streams, migrations.RunPython.noop),
        migrations.RunPython(protect_table, unprotect_table),
    ]
