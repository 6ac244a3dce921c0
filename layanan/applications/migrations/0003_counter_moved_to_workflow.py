from typing import Any

from django.db import migrations


def copy_counters(apps: Any, schema_editor: Any) -> None:
    """Carry each prefix's last number over to the shared case counter, so no reference repeats."""
    old = apps.get_model("applications", "ReferenceCounter")
    new = apps.get_model("workflow", "CaseCounter")
    for row in old.objects.all():
        counter, _ = new.objects.get_or_create(prefix=row.prefix, year=row.year, defaults={"last": 0})
        if counter.last < row.last:
            counter.last = row.last
            counter.save(update_fields=["last"])


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0002_output_sha256_index"),
        ("workflow", "0002_case_counter"),
    ]

    operations = [
        migrations.RunPython(copy_counters, migrations.RunPython.noop),
        migrations.DeleteModel(name="ReferenceCounter"),
    ]
