"""Editors may import pages from the admin's import screen (editions.add_importrun)."""

from django.db import migrations


def grant_import_permission(apps, schema_editor):
    # The role table (newsroom/roles.py, from each app's roles.py) lists who holds editions.add_importrun.
    from newsroom.roles import sync_groups

    sync_groups(apps, strict=False)


class Migration(migrations.Migration):
    # After every model whose permissions a role holds exists, so the sync drops none of them.
    dependencies = [("editions", "0002_page_version_signer"), ("articles", "0006_byline_roles_english")]

    operations = [migrations.RunPython(grant_import_permission, migrations.RunPython.noop)]
