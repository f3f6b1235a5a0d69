"""The two illustrative demo teams carried （示例） in their names; they say so in their description now
(the report does not name them). Renames them where a database still holds the old names."""

from django.db import migrations

SUFFIX = "（示例）"


def drop_suffix(apps, schema_editor):
    ActionTeam = apps.get_model("teams", "ActionTeam")
    for team in ActionTeam.objects.filter(is_illustrative=True, name__endswith=SUFFIX):
        team.name = team.name[: -len(SUFFIX)]
        team.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [("teams", "0002_password_history_assign_roles")]

    operations = [migrations.RunPython(drop_suffix, migrations.RunPython.noop)]
