"""The default category tree; administrators add or retire categories per community."""

from django.db import migrations

# (parent, name, organisation kind, usual urgency, within the community's duties)
CATEGORIES = [
    ("水电气暖", "供水", "water", "utility", True),
    ("水电气暖", "供电", "power", "utility", True),
    ("水电气暖", "燃气", "gas", "utility", True),
    ("水电气暖", "供暖", "heating", "utility", True),
    ("居住环境", "环境卫生", "", "ordinary", True),
    ("居住环境", "物业服务", "property", "ordinary", True),
    ("居住环境", "公共设施（路灯、电梯、道路）", "property", "ordinary", True),
    ("居住环境", "违章搭建", "", "complex", True),
    ("平安建设", "安全隐患", "police", "critical", True),
    ("平安建设", "邻里纠纷", "", "ordinary", True),
    ("民生保障", "社会救助与低保", "", "ordinary", True),
    ("民生保障", "养老助残", "", "ordinary", True),
    ("其他", "劳动争议", "", "complex", False),
    ("其他", "其他事项", "", "ordinary", True),
]


def add(apps, schema_editor):
    Category = apps.get_model("appeals", "Category")
    parents = {}
    for parent, name, organisation, urgency, duties in CATEGORIES:
        if parent not in parents:
            parents[parent], _ = Category.objects.get_or_create(
                name=parent, parent=None, community=None
            )
        Category.objects.get_or_create(
            name=name,
            parent=parents[parent],
            community=None,
            defaults={
                "organisation_kind": organisation,
                "default_urgency": urgency,
                "within_duties": duties,
            },
        )


def remove(apps, schema_editor):
    Category = apps.get_model("appeals", "Category")
    Category.objects.filter(community=None, parent__isnull=False).delete()
    Category.objects.filter(community=None).delete()


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
