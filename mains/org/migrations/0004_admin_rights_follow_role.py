"""Django-admin rights follow the role: a user who is no longer an administrator loses them."""

from django.db import migrations


def follow_role(apps, schema_editor):
    User = apps.get_model("org", "User")
    User.objects.exclude(role="admin").filter(is_staff=True).update(is_staff=False)
    User.objects.exclude(role="admin").filter(is_superuser=True).update(is_superuser=False)
    User.objects.filter(role="admin").update(is_staff=True, is_superuser=True)


class Migration(migrations.Migration):
    dependencies = [("org", "0003_user_manager_makes_administrators")]

    operations = [migrations.RunPython(follow_role, migrations.RunPython.noop)]
