"""The city and its districts as reference data (深圳市: 9 districts and the 大鹏新区 functional district)."""

from django.db import migrations

AREAS = ["全市", "福田区", "罗湖区", "南山区", "盐田区", "宝安区", "龙岗区", "龙华区", "坪山区", "光明区", "大鹏新区"]


def forwards(apps, schema_editor):
    Area = apps.get_model("metrics", "Area")
    for position, name in enumerate(AREAS):
        Area.objects.get_or_create(name=name, defaults={"is_city": position == 0, "sort_order": position * 10})


class Migration(migrations.Migration):
    dependencies = [("metrics", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
