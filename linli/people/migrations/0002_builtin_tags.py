"""Seed the built-in registry tags that care and welfare rules key on."""

from django.db import migrations

BUILTIN_TAGS = [
    ("dibao", "低保户", "Minimum living guarantee household", True),
    ("tekun", "特困", "Extreme poverty support", True),
    ("disabled", "残疾", "Disability", True),
    ("living_alone", "独居老人", "Elderly living alone", False),
    ("empty_nest", "空巢老人", "Empty-nest elderly", False),
    ("seriously_ill", "重病", "Seriously ill", True),
    ("left_behind_child", "留守儿童", "Left-behind child", False),
    ("party_member", "党员", "Party member", False),
    ("retired_party_member", "退休党员", "Retired party member", False),
    ("representative", "居民代表", "Residents' representative", False),
    ("building_head", "楼栋长", "Building head", False),
]


def add_tags(apps, schema_editor):
    Tag = apps.get_model("people", "Tag")
    for code, name, name_en, sensitive in BUILTIN_TAGS:
        Tag.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "sensitive": sensitive}
        )


def remove_tags(apps, schema_editor):
    apps.get_model("people", "Tag").objects.filter(
        code__in=[code for code, *_ in BUILTIN_TAGS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(add_tags, remove_tags)]
