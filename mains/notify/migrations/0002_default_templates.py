from django.db import migrations


def install_templates(apps, schema_editor):
    from mains.notify.defaults import install

    install(apps)


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_messages_and_templates")]

    operations = [migrations.RunPython(install_templates, migrations.RunPython.noop)]
