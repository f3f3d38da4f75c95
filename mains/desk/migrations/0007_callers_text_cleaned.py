"""Data: callers' phones with ASCII digits, names and addresses without invisible characters.

Orders saved before input was cleaned (mains.lib.text) may hold 137０００００012 or a
U+202E in a name; new input is cleaned on the way in.
"""

from django.db import migrations


def clean(apps, schema_editor):
    from mains.lib.stored_text import clean_stored_rows

    clean_stored_rows(
        apps.get_model("desk", "WorkOrder"),
        phones=("caller_phone",),
        lines=("caller_name", "address"),
    )


class Migration(migrations.Migration):
    dependencies = [("desk", "0006_welfare_category_special_group")]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop, elidable=True)]
