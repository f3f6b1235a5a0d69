from decimal import Decimal

from django.db import migrations

# The scorecard's starting rules (issue 16); administrators adjust them in the admin afterwards.
RULES = [
    ("base", Decimal("100")),
    ("overdue", Decimal("-5")),
    ("late_report", Decimal("-2")),
    ("rework", Decimal("-2")),
    ("red_notice", Decimal("-3")),
    ("on_time", Decimal("1")),
]


def seed(apps, schema_editor):
    ScoreRule = apps.get_model("metrics", "ScoreRule")
    for position, (event, points) in enumerate(RULES):
        ScoreRule.objects.get_or_create(event=event, defaults={"points": points, "sort_order": position})


def unseed(apps, schema_editor):
    apps.get_model("metrics", "ScoreRule").objects.filter(event__in=[event for event, _points in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("metrics", "0005_score_rules")]

    operations = [migrations.RunPython(seed, unseed)]
