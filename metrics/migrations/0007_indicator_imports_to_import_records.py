"""Every IndicatorImport (an applied import of monthly values) becomes an ImportRecord of kind "indicators".
Those imports kept no file, so the records have none."""

from django.db import migrations


def forwards(apps, schema_editor):
    IndicatorImport = apps.get_model("metrics", "IndicatorImport")
    ImportRecord = apps.get_model("imports", "ImportRecord")
    ImportRecord.objects.bulk_create(
        [
            ImportRecord(
                kind="indicators",
                user_id=old.user_id,
                created_at=old.created_at,
                file_name=old.file_name,
                sha256=old.sha256,
                counts={"created": old.created, "updated": old.updated, "unchanged": old.unchanged, "retired": 0},
                applied_at=old.created_at,
            )
            for old in IndicatorImport.objects.order_by("pk")
        ]
    )


def backwards(apps, schema_editor):
    IndicatorImport = apps.get_model("metrics", "IndicatorImport")
    ImportRecord = apps.get_model("imports", "ImportRecord")
    for record in ImportRecord.objects.filter(kind="indicators", applied_at__isnull=False).order_by("pk"):
        counts = record.counts or {}
        IndicatorImport.objects.create(
            user_id=record.user_id,
            created_at=record.created_at,
            file_name=record.file_name,
            sha256=record.sha256,
            created=counts.get("created", 0),
            updated=counts.get("updated", 0),
            unchanged=counts.get("unchanged", 0),
        )
    ImportRecord.objects.filter(kind="indicators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0006_seed_score_rules"),
        ("imports", "0001_import_record"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
