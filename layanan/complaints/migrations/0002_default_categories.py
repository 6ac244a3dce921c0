from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from layanan.complaints.categories import CATEGORIES

    category = apps.get_model("complaints", "ComplaintCategory")
    for order, (slug, name, name_en, resolution_class, protected, keywords, attributes) in enumerate(
        CATEGORIES
    ):
        category.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_en": name_en,
                "default_resolution_class": resolution_class,
                "is_protected": protected,
                "keywords": keywords,
                "attributes": attributes,
                "sort_order": (order + 1) * 10,
            },
        )
    apps.get_model("complaints", "ComplaintPolicy").objects.get_or_create(region=None)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
