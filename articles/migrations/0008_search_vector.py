# The stored search vector (PostgreSQL only; SQLite searches by substring and has no such column).
#
# Until now the GIN index was built over the expression to_tsvector('simple', search_document): every
# row the index could not answer alone (a phrase recheck, a filter on rows an ordering index yields,
# a ranking) re-parsed a document of ~10 KB, about 0.5 ms a row. The vector is now a column,
# articles_article.search_vector, kept by a trigger from search_document on every insert and every
# change of the document, whatever writes it (save(), bulk_create, COPY, an UPDATE). It holds
# lexemes only (strip(): no positions): the index answers an AND of bigrams exactly, and a phrase is
# confirmed on the stored document by a substring test (articles/search/postgres.py), so positions
# would only add bytes.
#
# The migration is not atomic, so that a large archive is migrated without one long lock: the column
# is added empty (instant), the trigger fills it for every new write, existing rows are filled in
# batches of BATCH rows by primary key, each batch its own transaction (with a VACUUM now and then so
# the old row versions' space is reused), then the new GIN index is built CONCURRENTLY, the old
# expression index dropped CONCURRENTLY and the new one takes its name (article_search_gin).
from django.db import migrations

BATCH = 5000
VACUUM_EVERY = 100_000

TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.search_document IS NOT DISTINCT FROM OLD.search_document
     AND OLD.search_vector IS NOT NULL THEN
    NEW.search_vector := OLD.search_vector;
  ELSE
    NEW.search_vector := strip(to_tsvector('simple'::regconfig, coalesce(NEW.search_document, '')));
  END IF;
  RETURN NEW;
END
$$
"""

TRIGGER = """
CREATE TRIGGER articles_article_search_vector
BEFORE INSERT OR UPDATE OF search_document ON articles_article
FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector()
"""


def _postgres(schema_editor):
    return schema_editor.connection.vendor == "postgresql"


def add_column_and_trigger(apps, schema_editor):
    if not _postgres(schema_editor):
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("ALTER TABLE articles_article ADD COLUMN IF NOT EXISTS search_vector tsvector")
        cursor.execute(TRIGGER_FUNCTION)
        cursor.execute("DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article")
        cursor.execute(TRIGGER)


def backfill(apps, schema_editor):
    """Fill the vector of existing rows, BATCH rows per transaction, in primary-key order."""
    if not _postgres(schema_editor):
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM articles_article")
        low, high = cursor.fetchone()
        if low is None:
            return
        done = 0
        for start in range(low, high + 1, BATCH):
            # Autocommit (the migration is not atomic): each batch commits on its own.
            cursor.execute(
                "UPDATE articles_article "
                "SET search_vector = strip(to_tsvector('simple'::regconfig, search_document)) "
                "WHERE id >= %s AND id < %s AND search_vector IS NULL",
                [start, start + BATCH],
            )
            done += BATCH
            if done % VACUUM_EVERY == 0:
                cursor.execute("VACUUM articles_article")
        cursor.execute("VACUUM ANALYZE articles_article")


def swap_index(apps, schema_editor):
    """Build the GIN index on the column, drop the expression index, give the new one its name."""
    if not _postgres(schema_editor):
        return
    with schema_editor.connection.cursor() as cursor:
        # A GIN build sorts every lexeme: more memory makes it several times faster.
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("DROP INDEX CONCURRENTLY IF EXISTS article_search_vector_gin")
        cursor.execute(
            "CREATE INDEX CONCURRENTLY article_search_vector_gin ON articles_article USING gin (search_vector)"
        )
        cursor.execute("RESET maintenance_work_mem")
        cursor.execute("DROP INDEX CONCURRENTLY IF EXISTS article_search_gin")
        cursor.execute("ALTER INDEX article_search_vector_gin RENAME TO article_search_gin")


def unswap_index(apps, schema_editor):
    if not _postgres(schema_editor):
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX CONCURRENTLY IF EXISTS article_search_gin")
        cursor.execute(
            "CREATE INDEX CONCURRENTLY article_search_gin ON articles_article "
            "USING gin (to_tsvector('simple', search_document))"
        )


def drop_column_and_trigger(apps, schema_editor):
    if not _postgres(schema_editor):
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article")
        cursor.execute("DROP FUNCTION IF EXISTS articles_article_search_vector()")
        cursor.execute("ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("articles", "0007_admin_list_indexes"),
    ]

    operations = [
        migrations.RunPython(add_column_and_trigger, drop_column_and_trigger, elidable=False),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(swap_index, unswap_index, elidable=False),
    ]
