"""Every ImportRun becomes an ImportRecord of kind "breakdown", its stored file kept where it is."""

from django.db import migrations


def forwards(apps, schema_editor):
    ImportRun = apps.get_model("tasks", "ImportRun")
    ImportRecord = apps.get_model("imports", "ImportRecord")
    ImportRecord.objects.bulk_create(
        [
            ImportRecord(
                kind="breakdown",
                user_id=run.user_id,
                created_at=run.created_at,
                file_name=run.file_name,
                size=run.size,
                sha256=run.sha256,
                file=run.file.name,
                counts={
                    "created": run.created,
                    "updated": run.updated,
                    "unchanged": run.unchanged,
                    "retired": run.retired,
                    "rows": run.rows,
                },
                errors=run.errors,
                message=run.message,
                details={
                    "new_departments": run.new_departments,
                    "new_officials": run.new_officials,
                    **({"breakdown": run.breakdown_id} if run.breakdown_id else {}),
                },
                # Runs applied before applied_at existed count as applied at their upload.
                applied_at=(run.applied_at or run.created_at) if run.applied else None,
            )
            for run in ImportRun.objects.order_by("pk")
        ]
    )


def backwards(apps, schema_editor):
    ImportRun = apps.get_model("tasks", "ImportRun")
    ImportRecord = apps.get_model("imports", "ImportRecord")
    for record in ImportRecord.objects.filter(kind="breakdown").order_by("pk"):
        counts, details = record.counts or {}, record.details or {}
        ImportRun.objects.create(
            user_id=record.user_id,
            created_at=record.created_at,
            file_name=record.file_name,
            sha256=record.sha256,
            file=record.file.name,
            breakdown_id=details.get("breakdown"),
            applied=record.applied_at is not None,
            applied_at=record.applied_at,
            created=counts.get("created", 0),
            updated=counts.get("updated", 0),
            unchanged=counts.get("unchanged", 0),
            retired=counts.get("retired", 0),
            rows=counts.get("rows", 0),
            errors=record.errors,
            size=record.size,
            new_departments=details.get("new_departments", []),
            new_officials=details.get("new_officials", []),
            message=record.message,
        )
    ImportRecord.objects.filter(kind="breakdown").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0005_instructed_items"),
        ("imports", "0001_import_record"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
