from django.db import migrations


def grant_lockout_permissions(apps, schema_editor):
    from newsroom.roles import sync_groups

    sync_groups(apps, strict=False)


class Migration(migrations.Migration):
    dependencies = [
        ("axes", "0010_accessattemptexpiration"),
        ("articles", "0003_photos_library"),
        ("editions", "0003_importrun_add_permission"),
    ]

    operations = [migrations.RunPython(grant_lockout_permissions, migrations.RunPython.noop)]
