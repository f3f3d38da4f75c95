"""Attachments stored before 0005 kept their uploaded names (guessable, and served by the
open /media/): give each file a private name, on disk and in its row."""

from django.db import migrations

from mains.lib.media import rename_to_private_names


def rename_attachments(apps, schema_editor):
    Attachment = apps.get_model("desk", "Attachment")
    rename_to_private_names(Attachment, "attachments", day_field="uploaded_at")


class Migration(migrations.Migration):
    dependencies = [("desk", "0008_private_attachments_and_expiry")]

    operations = [migrations.RunPython(rename_attachments, migrations.RunPython.noop)]
