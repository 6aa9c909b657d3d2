"""Campaigns whose results are on the notice board say so in their status."""

from django.db import migrations, models


def mark_published(apps, schema_editor):  # type: ignore[no-untyped-def]
    Campaign = apps.get_model("evaluations", "Campaign")
    Campaign.objects.filter(status="closed", notice__isnull=False).update(status="published")


def unmark_published(apps, schema_editor):  # type: ignore[no-untyped-def]
    Campaign = apps.get_model("evaluations", "Campaign")
    Campaign.objects.filter(status="published").update(status="closed")


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="campaign",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Being prepared"),
                    ("open", "Open for answers"),
                    ("closed", "Closed; results computed"),
                    ("published", "Results published"),
                ],
                default="draft",
                max_length=20,
            ),
        ),
        migrations.RunPython(mark_published, unmark_published),
    ]
