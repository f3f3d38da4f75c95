from django.db import migrations

# The network watch's welfare visits to special-group residents (mains.telemetry.actions).
WELFARE_CATEGORY = "W-WELFARE"


def mark_welfare_special_group(apps, schema_editor):
    Category = apps.get_model("desk", "Category")
    Category.objects.filter(code=WELFARE_CATEGORY).update(visibility="special_group")


class Migration(migrations.Migration):
    dependencies = [("desk", "0005_category_visibility")]

    operations = [migrations.RunPython(mark_welfare_special_group, migrations.RunPython.noop)]
