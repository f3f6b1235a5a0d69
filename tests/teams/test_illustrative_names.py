from importlib import import_module

from django.apps import apps

from teams.models import ActionTeam


def test_the_migration_moves_the_illustrative_mark_out_of_the_names(reference):
    migration = import_module("teams.migrations.0003_illustrative_team_names")
    ActionTeam.objects.filter(number=9).update(name="“无废城市”建设攻坚队（示例）")
    ActionTeam.objects.filter(number=1).update(name="水污染防治战斗队（示例）")  # not illustrative: kept as named
    migration.drop_suffix(apps, None)
    assert ActionTeam.objects.get(number=9).name == "“无废城市”建设攻坚队"
    assert ActionTeam.objects.get(number=1).name == "水污染防治战斗队（示例）"
