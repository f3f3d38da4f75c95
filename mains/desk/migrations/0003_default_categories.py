from django.db import migrations


def install_defaults(apps, schema_editor):
    from mains.desk.defaults import install

    install(apps)


class Migration(migrations.Migration):
    dependencies = [("desk", "0002_initial")]

    operations = [migrations.RunPython(install_defaults, migrations.RunPython.noop)]
