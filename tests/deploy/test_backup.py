"""The restore drill: back up, restore into a scratch database and media folder, compare everything.

PostgreSQL only (``pg_dump -Fc``/``pg_restore``); the data is committed (``transactional_db``) because pg_dump
reads it from its own connection.
"""

import hashlib
import json
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from operations import backup
from tests.factories import ArticleFactory, EditionFactory, PageFactory, PlacementFactory


def _media(root):
    """A few media files as uploads leave them: nested folders, Chinese names, binary content."""
    files = {
        "photos/2024/12/头版.jpg": b"\xff\xd8\xff" + bytes(range(256)) * 40,
        "photos/2024/12/r/头版-480.webp": b"RIFF" + b"\x00\x01" * 500,
        "pages/2024-12-09/A01.pdf": b"%PDF-1.7\n" + b"x" * 3000,
    }
    for name, data in files.items():
        path = Path(root) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


@pytest.fixture
def scratch(transactional_db):
    """An empty PostgreSQL database beside the test database, dropped afterwards."""
    source = backup.Database.from_alias()
    target = backup.Database(
        f"{source.name}_drill"[:63], source.host, source.port, source.user, source.password
    )
    admin = psycopg.connect(source.conninfo(), password=source.password or None, autocommit=True)
    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(target.name)))
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target.name)))
    yield target
    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target.name)))
    admin.close()


def _counts(database):
    with database.connect() as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
        tables = [name for (name,) in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = cursor.fetchone()[0]
        return counts


@pytest.mark.postgres
def test_the_restore_drill_brings_back_every_row_every_body_and_every_file(scratch, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    files = _media(settings.MEDIA_ROOT)
    articles = [
        ArticleFactory(body="<p>晋江今日<strong>新闻</strong>。</p>"),
        ArticleFactory(published=True, body="<p>" + "长文" * 20000 + "</p>"),
        ArticleFactory(body="<p>含有 emoji 😀 与 “引号” 的正文</p>"),
    ]
    PlacementFactory(page=PageFactory(edition=EditionFactory()), article=articles[1])

    call_command("backup", str(tmp_path / "backups"))
    [folder] = (tmp_path / "backups").iterdir()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["database"]["tables"]["articles_article"] == 3
    assert set(manifest["media"]) == set(files)

    restored_media = tmp_path / "restored-media"
    call_command("restore", str(folder), database_url=_url(scratch), media_root=str(restored_media))

    # Compared here independently of the manifest: the live database against the scratch one.
    source = backup.Database.from_alias()
    assert _counts(scratch) == _counts(source)
    assert sum(_counts(scratch).values()) > 20
    with scratch.connect() as conn:
        bodies = dict(conn.execute("SELECT id, body FROM articles_article").fetchall())
    assert {pk: hashlib.sha256(body.encode()).hexdigest() for pk, body in bodies.items()} == {
        a.pk: hashlib.sha256(a.body.encode()).hexdigest() for a in articles
    }
    for name, data in files.items():
        assert (restored_media / name).read_bytes() == data
    assert sorted(
        p.relative_to(restored_media).as_posix() for p in restored_media.rglob("*") if p.is_file()
    ) == (sorted(files))


def _url(database):
    return f"postgres://{database.user}:{database.password}@{database.host or '127.0.0.1'}:{database.port or 5432}/{database.name}"


@pytest.mark.postgres
def test_restore_refuses_a_database_or_media_folder_that_is_not_empty(scratch, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    _media(settings.MEDIA_ROOT)
    ArticleFactory()
    folder = backup.backup(tmp_path / "backups")

    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "keep.txt").write_text("别动")
    with pytest.raises(backup.BackupError, match="媒体目录.*不是空的"):
        backup.restore(folder, database=scratch, media_root=occupied)
    assert (occupied / "keep.txt").read_text() == "别动"

    backup.restore(folder, database=scratch, media_root=tmp_path / "first")
    with pytest.raises(CommandError, match="不是空的"):
        call_command("restore", str(folder), database_url=_url(scratch), media_root=str(tmp_path / "second"))
    assert not (tmp_path / "second").exists()


@pytest.mark.postgres
def test_the_check_finds_what_differs_and_a_damaged_dump_is_refused(scratch, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    _media(settings.MEDIA_ROOT)
    article = ArticleFactory()
    folder = backup.backup(tmp_path / "backups")
    manifest = backup.restore(folder, database=scratch, media_root=tmp_path / "restored")
    assert backup.verify(manifest, database=scratch, media_root=tmp_path / "restored") == []

    with scratch.connect() as conn:
        conn.execute("UPDATE articles_article SET body = body || 'x' WHERE id = %s", [article.pk])
        conn.execute("INSERT INTO django_content_type (app_label, model) VALUES ('drill', 'extra')")
    (tmp_path / "restored" / "pages/2024-12-09/A01.pdf").write_bytes(b"changed")
    problems = backup.verify(manifest, database=scratch, media_root=tmp_path / "restored")
    assert any(f"稿件 {article.pk}" in p for p in problems)
    assert any("django_content_type" in p for p in problems)
    assert any("A01.pdf" in p for p in problems)

    dump = folder / "database.dump"
    data = dump.read_bytes()
    dump.write_bytes(data[:-1] + bytes([data[-1] ^ 0xFF]))
    with pytest.raises(backup.BackupError, match="已损坏"):
        backup.read_manifest(folder)


def test_backup_refuses_sqlite_with_a_clear_message(db, tmp_path):
    if connection.vendor == "postgresql":
        pytest.skip("the SQLite refusal is checked in the SQLite pass")
    with pytest.raises(CommandError, match="只支持 PostgreSQL"):
        call_command("backup", str(tmp_path))
