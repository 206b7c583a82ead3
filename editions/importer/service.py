"""The importer as one callable: files → decode → parse → load (used by ``import_pages`` and the tests).

``read_pages`` and ``read_manifest`` touch no database, so ``--dry-run`` works without one;
``import_files`` adds the load step, in one transaction for the whole run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .decode import DecodeError, decode_bytes
from .parse import parse_page

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A page text is a few tens of kilobytes; anything past this is not one (settings.NEWSROOM_MAX_PAGE_TEXT_BYTES).
MAX_BYTES = 2 * 1024 * 1024


# The account an import is recorded under when no --user is given: it signs off and releases what
# ``--status published`` brings in, under a name that says it was the import, not a person.
SYSTEM_USERNAME = "newsroom-import"
SYSTEM_NAME = "系统导入"


def system_account():
    """The inactive account (no password, no rights) that stands for command-line imports."""
    from django.contrib.auth import get_user_model

    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"last_name": SYSTEM_NAME, "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


class ImportInputError(Exception):
    """The input cannot be imported; ``message`` (Chinese, with the file and line) says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class PageFile:
    """One file of a run and where it goes."""

    path: Path
    page_number: int
    date: dt.date | None = None
    page_name: str = ""


def parse_date(value, *, where="--date"):
    """A strict YYYY-MM-DD date, or ImportInputError naming where it came from."""
    if not isinstance(value, str) or not DATE_RE.match(value):
        raise ImportInputError(f"{where}：日期“{value}”格式不对，应为 YYYY-MM-DD，如 2024-12-09。")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ImportInputError(f"{where}：日期“{value}”不存在。") from None


def check_page_number(number, *, where):
    """A page number between 1 and 999, or ImportInputError."""
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 999:
        raise ImportInputError(f"{where}：版次“{number}”无效，应为 1～999 的整数。")
    return number


def files_from_arguments(paths, *, page, date=None, page_name=""):
    """FILE… --page N: the files are pages N, N+1, …; the page name applies to the first."""
    check_page_number(page, where="--page")
    files = []
    for offset, path in enumerate(paths):
        number = page + offset
        check_page_number(number, where=str(path))
        files.append(PageFile(Path(path), number, date, page_name if offset == 0 else ""))
    return files


def read_manifest(path):
    """Read a manifest: {"paper": …, "pages": [{"file", "date", "page", "name"}, …]}; files relative to it."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ImportInputError(f"找不到清单文件 {path}。") from None
    except UnicodeDecodeError:
        raise ImportInputError(f"清单文件 {path} 不是 UTF-8 文本。") from None
    except json.JSONDecodeError as exc:
        raise ImportInputError(f"清单文件 {path} 第{exc.lineno}行：不是有效的 JSON（{exc.msg}）。") from None
    if not isinstance(data, dict) or not isinstance(data.get("pages"), list) or not data["pages"]:
        raise ImportInputError(f"清单文件 {path}：缺少 “pages” 列表（每项含 file、date、page、name）。")
    if not isinstance(data.get("paper", ""), str):
        raise ImportInputError(f"清单文件 {path}：“paper” 应为报纸名称。")
    files = []
    for index, entry in enumerate(data["pages"], start=1):
        where = f"清单文件 {path} 第{index}项"
        if not isinstance(entry, dict):
            raise ImportInputError(f"{where}：应为对象。")
        missing = [key for key in ("file", "date", "page") if key not in entry]
        if missing:
            raise ImportInputError(f"{where}：缺少 {'、'.join(missing)}。")
        if not isinstance(entry["file"], str) or not entry["file"]:
            raise ImportInputError(f"{where}：file 应为文件名。")
        name = entry.get("name", "")
        if not isinstance(name, str) or len(name) > 30:
            raise ImportInputError(f"{where}：name 应为不超过 30 字的版名。")
        files.append(
            PageFile(
                path=path.parent / entry["file"],
                page_number=check_page_number(entry["page"], where=where),
                date=parse_date(entry["date"], where=where),
                page_name=name,
            )
        )
    return data.get("paper", ""), files


@dataclass
class ReadPage:
    """A file read, decoded and parsed, with its content hash."""

    file: PageFile
    sha256: str
    parsed: object  # ParsedPage


def max_page_bytes():
    """The largest page text accepted, in bytes (``NEWSROOM_MAX_PAGE_TEXT_BYTES``)."""
    from django.conf import settings

    return getattr(settings, "NEWSROOM_MAX_PAGE_TEXT_BYTES", MAX_BYTES) if settings.configured else MAX_BYTES


def check_size(name, size, limit=None):
    """Refuse a page file of ``size`` bytes past the limit, naming it and its size (before it is read)."""
    limit = max_page_bytes() if limit is None else limit
    if size > limit:
        raise ImportInputError(
            f"{name}：文件过大（{size:,} 字节，上限 {limit:,} 字节），不像一版的文字，未读取，未写入任何内容。"
        )


def read_limited(path):
    """The file's bytes, refused by its size on disk before it is read, and never read past the limit."""
    limit = max_page_bytes()
    try:
        check_size(path, path.stat().st_size, limit)
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # a file that grew since the stat is still never read whole
    except FileNotFoundError:
        raise ImportInputError(f"{path}：找不到文件。") from None
    except IsADirectoryError:
        raise ImportInputError(f"{path}：是目录，不是文件。") from None
    except OSError as exc:
        raise ImportInputError(f"{path}：无法读取（{exc.strerror}）。") from None
    if len(data) > limit:
        check_size(path, len(data), limit)
    return data


def read_pages(files):
    """Decode and parse every file (no database); refuse the first bad one with a clear message."""
    pages = []
    for item in files:
        name = item.path.name
        data = read_limited(item.path)
        try:
            decoded = decode_bytes(data, source=name)
        except DecodeError as exc:
            line = f"第{exc.line}行：" if exc.line else ""
            raise ImportInputError(f"{item.path}：{line}无法作为版面文字读取（{exc.reason}）。") from None
        parsed = parse_page(
            decoded.text, source=name, encoding=decoded.encoding, page_number=item.page_number
        )
        pages.append(ReadPage(item, hashlib.sha256(data).hexdigest(), parsed))
    return pages


def import_files(files, *, status="review", user=None, force=False):
    """Read, parse and load the files as one run (all or nothing); return the per-page outcomes."""
    from .load import PageInput, load_pages  # the load step needs Django; reading does not

    pages = read_pages(files)
    inputs = []
    for page in pages:
        if page.file.date is None:
            raise ImportInputError(f"{page.file.path}：缺少出版日期（--date YYYY-MM-DD）。")
        inputs.append(
            PageInput(
                source=page.file.path.name,
                sha256=page.sha256,
                parsed=page.parsed,
                date=page.file.date,
                page_number=page.file.page_number,
                page_name=page.file.page_name,
            )
        )
    return load_pages(inputs, status=status, user=user, force=force)
