"""The programmes every community starts with; standards are set locally in the admin."""

from decimal import Decimal

from django.db import migrations

PROGRAMMES = [
    (
        "dibao",
        "最低生活保障（低保）",
        Decimal("1100"),
        ["户口簿", "身份证", "收入证明", "财产状况说明", "承诺书与授权书"],
    ),
    (
        "tekun",
        "特困人员救助供养",
        Decimal("1430"),
        ["户口簿", "身份证", "生活自理能力评估表", "承诺书与授权书"],
    ),
    ("temporary", "临时救助", Decimal("1100"), ["身份证", "困难情况说明", "承诺书与授权书"]),
    ("local", "高龄津贴", Decimal("100"), ["户口簿", "身份证"]),
]


def add(apps, schema_editor):  # type: ignore[no-untyped-def]
    Programme = apps.get_model("welfare", "Programme")
    for kind, name, standard, materials in PROGRAMMES:
        Programme.objects.get_or_create(
            kind=kind,
            community=None,
            defaults={"name": name, "monthly_standard": standard, "materials": materials},
        )


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("welfare", "Programme").objects.filter(community=None).delete()


class Migration(migrations.Migration):
    dependencies = [("welfare", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
