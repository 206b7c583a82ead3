"""Fast bulk writes for the demo generator: reserved ids, COPY on PostgreSQL, indexes built after the load.

Only ``editions.demo_generate`` uses this; it is never run on a newsroom's database. Everything is read
from the models and from the catalog, so new fields, indexes and foreign keys added by migrations are
loaded and rebuilt without a change here:

* ``reserve_ids`` takes a block of primary keys from the table's sequence (PostgreSQL) or after the
  largest key (SQLite), so rows can reference each other before they are written;
* ``write`` sends rows with ``COPY … FROM STDIN`` (psycopg 3) on PostgreSQL, ``bulk_create`` elsewhere;
  every concrete column but database-generated ones is written, values prepared by the fields
  themselves (``get_db_prep_save``). A value that is a database expression (a search vector computed
  by PostgreSQL in ``save()``, say) cannot go through COPY: such rows fall back to ``bulk_create``;
* ``deferred_indexes`` drops the secondary indexes and foreign keys of the loaded tables (never
  primary keys or unique constraints, which the data must satisfy as it goes in), vacuums the tables
  once they are loaded and recreates indexes and keys from their own definitions, on two connections
  at once, with more sort memory: one GIN build sorts every lexeme of every story and is the longest
  single step of a large load. A foreign key added back is checked by one join, not row by row.
"""

import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Max

MAINTENANCE_WORK_MEM = "1GB"


def reserve_ids(model, count):
    """Return the first of ``count`` consecutive free primary keys of ``model``'s table."""
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s)", [sequence])
            first = cursor.fetchone()[0]
            if count > 1:
                cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
            return first
    return (model.objects.aggregate(last=Max("pk"))["last"] or 0) + 1


def columns(model):
    """The fields written for ``model``: every concrete column the database does not compute itself."""
    return [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]


def is_expression(value):
    """True for a value the database must compute (it cannot travel in COPY's text)."""
    return hasattr(value, "resolve_expression")


class Rows:
    """Rows of one model as lists of attribute values in ``columns`` order, made from a template row."""

    def __init__(self, model, **defaults):
        self.model = model
        self.fields = columns(model)
        self.position = {f.attname: i for i, f in enumerate(self.fields)}
        self.template = self.values(model(**defaults))
        self.rows = []

    def values(self, obj):
        """``obj``'s attribute values for every column (``auto_now`` and friends applied once)."""
        return [f.pre_save(obj, True) for f in self.fields]

    def add(self, base=None, **values):
        """Append a row: ``base`` (or the template) with ``values`` (by attribute name) replaced."""
        row = (base or self.template).copy()
        position = self.position
        for name, value in values.items():
            row[position[name]] = value
        self.rows.append(row)

    def take(self):
        """The rows collected so far, as a job for ``Writers`` (and forget them)."""
        job, self.rows = (self.model, self.rows, self.fields), []
        return job


class Writers:
    """Writes batches of rows, each batch in one transaction: on two connections at once if ``parallel``.

    In a large load PostgreSQL's side of COPY (the search trigger, TOAST, WAL) costs far more than
    making the rows in Python, so two connections keep both cores busy. Never inside a transaction
    (other connections would not see its rows), so the caller passes ``parallel`` False there.
    """

    def __init__(self, *, parallel):
        self.pool = ThreadPoolExecutor(max_workers=2) if parallel else None
        self.pending = []

    def submit(self, jobs):
        """Write ``jobs`` (from ``Rows.take``, in order) in one transaction; at most two batches in flight."""
        if self.pool is None:
            _write_batch(jobs)
            return
        while len(self.pending) >= 2:
            done, _ = wait(self.pending, return_when=FIRST_COMPLETED)
            for future in done:
                self.pending.remove(future)
                future.result()  # raises the writer's error here
        self.pending.append(self.pool.submit(_write_batch_on_own_connection, jobs))

    def close(self):
        """Wait for every batch; raise the first error."""
        if self.pool is None:
            return
        try:
            for future in self.pending:
                future.result()
        finally:
            self.pool.shutdown(wait=True)
            self.pending = []


def _write_batch(jobs):
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")  # demo data: a crash may lose it
        for model, rows, fields in jobs:
            write(model, rows, fields)


def _write_batch_on_own_connection(jobs):
    try:
        _write_batch(jobs)
    finally:
        connection.close()


def write(model, rows, fields):
    """Insert ``rows`` (attribute values in ``fields`` order, primary keys set) into ``model``'s table."""
    if not rows:
        return
    if connection.vendor != "postgresql" or any(is_expression(v) for v in rows[0]):
        objs = []
        for row in rows:
            obj = model()
            for field, value in zip(fields, row, strict=True):
                setattr(obj, field.attname, value)
            objs.append(obj)
        model.objects.bulk_create(objs, batch_size=1000)
        return
    # psycopg adapts str, int, bool, dates and None itself; a field whose database value differs
    # from its Python value (JSON, say) is prepared row by row.
    first = rows[0]
    special = [
        (i, f)
        for i, f in enumerate(fields)
        if first[i] is not None and f.get_db_prep_save(first[i], connection) is not first[i]
    ]
    qn = connection.ops.quote_name
    sql = f"COPY {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            if special:
                row = row.copy()
                for i, field in special:
                    row[i] = field.get_db_prep_save(row[i], connection)
            copy.write_row(row)


def _catalog(tables):
    """(indexes, foreign keys) of ``tables`` that may be dropped for a load, with their definitions."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT ci.relname, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            JOIN pg_class ci ON ci.oid = i.indexrelid
            JOIN pg_class ct ON ct.oid = i.indrelid
            WHERE ct.relname = ANY(%s) AND ct.relnamespace = 'public'::regnamespace
              AND NOT i.indisprimary AND NOT i.indisunique
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY pg_relation_size(i.indexrelid) DESC, ci.relname
            """,
            [list(tables)],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            """
            SELECT ct.relname, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c JOIN pg_class ct ON ct.oid = c.conrelid
            WHERE c.contype = 'f' AND ct.relname = ANY(%s) AND ct.relnamespace = 'public'::regnamespace
            ORDER BY ct.relname, c.conname
            """,
            [list(tables)],
        )
        foreign_keys = cursor.fetchall()
    return indexes, foreign_keys


def _run(statements, log):
    """Run ``statements`` in order, with more sort memory, logging how long each took."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
        for statement in statements:
            started = time.monotonic()
            cursor.execute(statement)
            log(f"{time.monotonic() - started:6.1f} s  {statement[:110]}")


def _run_on_own_connection(statements, log, errors):
    """Run ``statements`` on this thread's own connection (a thread of ``_rebuild``)."""
    try:
        _run(statements, log)
    except Exception as error:  # reported by the caller, after every thread has finished
        errors.append(error)
    finally:
        connection.close()


def _rebuild(indexes, foreign_keys, log, *, parallel):
    """Recreate ``indexes`` on two connections (largest first, balanced), then the foreign keys.

    Inside a transaction (``parallel`` False) other connections would not see the rows: one lane.
    """
    lanes, weights = [[], []] if parallel else [[]], [0, 0] if parallel else [0]
    for rank, (_name, definition) in enumerate(indexes):
        # GIN indexes cost far more than btrees; the catalog gave the largest first.
        weight = (20 if " USING gin " in definition else 1) * (len(indexes) - rank)
        lane = weights.index(min(weights))
        lanes[lane].append(definition)
        weights[lane] += weight
    errors = []
    if not parallel:
        _run(lanes[0], log)
        lanes = []
    threads = [
        threading.Thread(target=_run_on_own_connection, args=(lane, log, errors)) for lane in lanes if lane
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    qn = connection.ops.quote_name
    _run(
        [
            f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}"
            for table, name, definition in foreign_keys
        ],
        log,
    )
    if errors:
        raise errors[0]


@contextmanager
def deferred_indexes(models, *, enabled=True, log=None):
    """Drop the secondary indexes and foreign keys of ``models``' tables for the block; recreate them after."""
    log = log or (lambda message: None)
    if not enabled or connection.vendor != "postgresql":
        yield
        return
    indexes, foreign_keys = _catalog([m._meta.db_table for m in models])
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {qn(name)}")
    log(f"dropped {len(indexes)} indexes and {len(foreign_keys)} foreign keys for the load")
    try:
        yield
    finally:
        # Also after a failed load: what was written stays, and the schema must be whole again.
        if not connection.in_atomic_block:
            # Hint bits and the visibility map (index-only scans) while no secondary index exists, so
            # autovacuum has nothing left to walk in the middle of the first benchmark.
            tables = ", ".join(qn(m._meta.db_table) for m in models)
            _run([f"VACUUM (INDEX_CLEANUP OFF) {tables}"], log)
        _rebuild(indexes, foreign_keys, log, parallel=not connection.in_atomic_block)
