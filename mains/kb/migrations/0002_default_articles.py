from django.db import migrations


def install_articles(apps, schema_editor):
    from mains.kb.defaults import install

    install(apps)


class Migration(migrations.Migration):
    dependencies = [("kb", "0001_articles")]

    operations = [migrations.RunPython(install_articles, migrations.RunPython.noop)]
