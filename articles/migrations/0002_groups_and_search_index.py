from django.db import migrations


def create_groups(apps, schema_editor):
    from newsroom.roles import sync_groups

    sync_groups(apps, strict=False)


def create_search_index(apps, schema_editor):
    # The bigram document is indexed for full-text search on PostgreSQL only;
    # SQLite falls back to a substring scan.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS article_search_gin ON articles_article "
            "USING gin (to_tsvector('simple', search_document))"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS article_search_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("editions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_groups, migrations.RunPython.noop),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
