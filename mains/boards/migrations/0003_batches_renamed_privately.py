"""Batch PDFs stored before 0002 were called boards-<id>.pdf (guessable, and served by the
open /media/): give each file a private name, on disk and in its row."""

from django.db import migrations

from mains.lib.media import rename_to_private_names


def rename_batches(apps, schema_editor):
    BoardBatch = apps.get_model("boards", "BoardBatch")
    rename_to_private_names(BoardBatch, "boards/batches")


class Migration(migrations.Migration):
    dependencies = [("boards", "0002_batch_private_names")]

    operations = [migrations.RunPython(rename_batches, migrations.RunPython.noop)]
