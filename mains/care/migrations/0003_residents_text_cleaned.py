"""Data: residents' phones with ASCII digits, names and addresses without invisible characters."""

from django.db import migrations


def clean(apps, schema_editor):
    from mains.lib.stored_text import clean_stored_rows

    clean_stored_rows(
        apps.get_model("care", "Resident"), phones=("phone",), lines=("name", "address")
    )


class Migration(migrations.Migration):
    dependencies = [("care", "0002_special_group_label")]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop, elidable=True)]
