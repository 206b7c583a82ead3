"""Backups that can be proven: a PostgreSQL dump, the media files and a manifest to check a restore against.

A backup is a folder ``newsroom-<UTC time>/`` holding ``database.dump`` (``pg_dump -Fc``), ``media/`` (a copy
of MEDIA_ROOT) and ``manifest.json``: the row count of every table and the SHA-256 of every article's body, both
read in the very snapshot ``pg_dump`` dumps (``pg_export_snapshot``), and the SHA-256 and size of every media
file and of the dump. ``restore`` loads a backup into an empty database and an empty media folder, then checks
the result against the manifest (``verify``); the restore drill in the suite does the same.
"""

import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connections
from psycopg import sql

MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
FORMAT = 1
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that must not go on; the message says why, for the operator."""


@dataclass(frozen=True)
class Database:
    """Where a PostgreSQL database is, as libpq takes it (for psycopg and for pg_dump/pg_restore)."""

    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""

    @classmethod
    def from_alias(cls, alias="default"):
        """The database of a Django alias; only PostgreSQL can be backed up."""
        connection = connections[alias]
        if connection.vendor != "postgresql":
            raise BackupError(f"备份与恢复只支持 PostgreSQL（当前数据库是 {connection.vendor}）。")
        s = connection.settings_dict
        return cls(
            s["NAME"],
            s.get("HOST") or "",
            str(s.get("PORT") or ""),
            s.get("USER") or "",
            s.get("PASSWORD") or "",
        )

    @classmethod
    def from_url(cls, url):
        """The database of a ``postgres://`` URL."""
        import dj_database_url

        s = dj_database_url.parse(url)
        if "postgresql" not in s["ENGINE"]:
            raise BackupError("恢复目标必须是 PostgreSQL 数据库（postgres://…）。")
        return cls(
            s["NAME"],
            s.get("HOST") or "",
            str(s.get("PORT") or ""),
            s.get("USER") or "",
            s.get("PASSWORD") or "",
        )

    def conninfo(self):
        """A libpq connection string."""
        parts = {"dbname": self.name, "host": self.host, "port": self.port, "user": self.user}
        return psycopg.conninfo.make_conninfo(**{k: v for k, v in parts.items() if v})

    def env(self):
        """The environment for pg_dump/pg_restore: the password never appears on a command line."""
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self, **kwargs):
        return psycopg.connect(self.conninfo(), password=self.password or None, **kwargs)


def sha256_file(path):
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _tables(cursor):
    cursor.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
    )
    return [name for (name,) in cursor.fetchall()]


def database_facts(cursor):
    """Row count of every table and SHA-256 of every article's body, as this cursor's transaction sees them."""
    counts = {}
    for table in _tables(cursor):
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    bodies = {}
    if "articles_article" in counts:
        cursor.execute(
            "SELECT id, encode(sha256(convert_to(body, 'UTF8')), 'hex') FROM articles_article ORDER BY id"
        )
        bodies = {str(pk): digest for pk, digest in cursor.fetchall()}
    return {"tables": counts, "article_bodies": bodies}


def media_facts(root):
    """{relative path: {"sha256", "size"}} of every file under ``root`` (POSIX paths, sorted)."""
    root = Path(root)
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): {"sha256": sha256_file(path), "size": path.stat().st_size}
        for path in sorted(p for p in root.rglob("*") if p.is_file())
    }


def _copy_media(source, target):
    """Copy every file under ``source`` to ``target``; return the facts of the copies (what the backup holds)."""
    source, target = Path(source), Path(target)
    target.mkdir(parents=True, exist_ok=True)
    if source.exists():
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
    return media_facts(target)


def _run(command, database, what):
    result = subprocess.run(command, env=database.env(), capture_output=True, text=True)  # noqa: S603 (no shell)
    if result.returncode != 0:
        raise BackupError(f"{what}失败：{result.stderr.strip()[-2000:]}")


def backup(destination, *, database=None, media_root=None, now=None):
    """Write a new backup folder under ``destination``; return its path."""
    database = database or Database.from_alias()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    folder = Path(destination) / f"newsroom-{stamp}"
    partial = folder.with_name(folder.name + ".partial")
    if folder.exists() or partial.exists():
        raise BackupError(f"备份目录已存在：{folder}")
    partial.mkdir(parents=True)
    try:
        # One snapshot for the dump and the manifest: the transaction that exports it stays open while pg_dump
        # runs, so the counts and checksums describe exactly what was dumped.
        with database.connect() as conn:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            with conn.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                facts = database_facts(cursor)
                _run(
                    ["pg_dump", "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                     f"--file={partial / DUMP}", f"--dbname={database.conninfo()}"],
                    database, "pg_dump ",
                )  # fmt: skip
            conn.rollback()
        media = _copy_media(media_root, partial / MEDIA)
        manifest = {
            "format": FORMAT,
            "created": (now or datetime.now(UTC)).isoformat(),
            "database": {"file": DUMP, "sha256": sha256_file(partial / DUMP), **facts},
            "media": media,
        }
        (partial / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
        )
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return folder


def prune(destination, keep):
    """Delete all but the ``keep`` newest complete backups under ``destination``; return the deleted paths."""
    folders = sorted(p for p in Path(destination).glob("newsroom-*") if (p / MANIFEST).exists())
    old = folders[:-keep] if keep > 0 else []
    for path in old:
        shutil.rmtree(path)
    return old


def read_manifest(folder):
    """The manifest of a backup folder, after checking the dump is the one it describes."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{folder} 不是备份目录（缺少 {MANIFEST}）。") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不认识的备份格式：{manifest.get('format')!r}。")
    if sha256_file(folder / manifest["database"]["file"]) != manifest["database"]["sha256"]:
        raise BackupError("数据库转储文件与清单中的校验和不符，备份已损坏。")
    return manifest


def verify(manifest, *, database, media_root):
    """Compare a database and a media folder with a manifest; return the differences (empty: identical)."""
    with database.connect() as conn, conn.cursor() as cursor:
        facts = database_facts(cursor)
    problems = []
    expected_tables, found_tables = manifest["database"]["tables"], facts["tables"]
    for table in sorted(set(expected_tables) | set(found_tables)):
        if expected_tables.get(table) != found_tables.get(table):
            problems.append(
                f"表 {table}：清单 {expected_tables.get(table)} 行，实际 {found_tables.get(table)} 行"
            )
    expected_bodies, found_bodies = manifest["database"]["article_bodies"], facts["article_bodies"]
    for pk in sorted(set(expected_bodies) | set(found_bodies), key=int):
        if expected_bodies.get(pk) != found_bodies.get(pk):
            problems.append(f"稿件 {pk} 的正文校验和不符")
    expected_media, found_media = manifest["media"], media_facts(media_root)
    for name in sorted(set(expected_media) | set(found_media)):
        if expected_media.get(name) != found_media.get(name):
            problems.append(f"媒体文件 {name} 缺失、多余或内容不符")
    return problems


def restore(folder, *, database, media_root):
    """Load a backup into an empty database and an empty media folder, then verify it against its manifest."""
    folder, media_root = Path(folder), Path(media_root)
    manifest = read_manifest(folder)
    with database.connect() as conn, conn.cursor() as cursor:
        tables = _tables(cursor)
    if tables:
        raise BackupError(f"目标数据库 {database.name} 不是空的（已有 {len(tables)} 张表），恢复已拒绝。")
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"目标媒体目录 {media_root} 不是空的，恢复已拒绝。")
    _run(
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
         f"--dbname={database.conninfo()}", str(folder / manifest["database"]["file"])],
        database, "pg_restore ",
    )  # fmt: skip
    _copy_media(folder / MEDIA, media_root)
    problems = verify(manifest, database=database, media_root=media_root)
    if problems:
        raise BackupError("恢复后的内容与备份清单不符：\n" + "\n".join(problems[:50]))
    return manifest
