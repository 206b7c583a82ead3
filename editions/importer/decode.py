"""Step 1 of the importer: bytes → text.

Recognises UTF-8 (with or without BOM) and GB18030 (a superset of GBK/GB2312),
reports which one it used, normalises CRLF/CR line ends to LF and refuses
anything that is not plausibly the text of a page. It deliberately does *not*
apply NFKC or any other normalisation: full-width punctuation is kept as printed.

Line and paragraph separators that some PDF extractors write are breaks, not
binary: U+2028 (line separator), ``\v`` and U+0085 become a line end; U+2029
(paragraph separator), ``\f`` (a page or frame break) and the record separators
``\x1c``–``\x1e`` become a blank line. A text with fewer than
:data:`MIN_IDEOGRAPHS` Chinese characters is not a page and is refused.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from .text import is_ideograph

__all__ = ["MIN_IDEOGRAPHS", "DecodeError", "DecodedText", "decode_bytes"]

# Control characters a text file may legitimately contain.
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\x1c\x1d\x1e\x85")
# Breaks other than LF, and what they become.
_BREAK_MAP = {
    "\u2028": "\n",
    "\v": "\n",
    "\x85": "\n",
    "\u2029": "\n\n",
    "\f": "\n\n",
    "\x1c": "\n\n",
    "\x1d": "\n\n",
    "\x1e": "\n\n",
}
_BREAKS = str.maketrans(_BREAK_MAP)
_ANY_BREAK = re.compile("[" + "".join(_BREAK_MAP) + "]")
#: A page prints at least this many Chinese characters; fewer is not a page.
MIN_IDEOGRAPHS = 20


class DecodeError(ValueError):
    """The bytes are not a page text we can read.

    ``source`` is the file name (or whatever the caller passed), ``line`` the
    1-based line of the offending byte when known, else ``None``.
    """

    def __init__(self, message: str, *, source: str = "", line: int | None = None):
        self.source = source
        self.line = line
        self.reason = message
        where = source or "<input>"
        if line is not None:
            where = f"{where} 第{line}行"
        super().__init__(f"{where}：{message}")


@dataclass
class DecodedText:
    text: str
    encoding: str  # "utf-8" | "utf-8-sig" | "gb18030"


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + data.count(b"\r", 0, offset) - data.count(b"\r\n", 0, offset) + 1


_BAD_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f\x80-\x84\x86-\x9f]")


def _first_control(text: str) -> int | None:
    """Index of the first control character that a text file should not contain
    (any C0/C1 control but \t \n \v \f \r, \x1c–\x1e and U+0085)."""
    m = _BAD_CONTROL.search(text)
    return m.start() if m else None


def _text_line_of(text: str, index: int) -> int:
    head = text[:index]
    return head.count("\n") + head.count("\r") - head.count("\r\n") + 1


def _is_plausible_char(ch: str) -> bool:
    """Characters one expects in a Chinese newspaper text (for the GB18030 sanity check)."""
    o = ord(ch)
    if 0x20 <= o < 0x7F or ch in _ALLOWED_CONTROLS:
        return True
    return (
        0x4E00 <= o <= 0x9FFF  # CJK unified ideographs
        or 0x3400 <= o <= 0x4DBF  # extension A
        or 0x20000 <= o <= 0x3134F  # extensions B–G (rare names and places)
        or 0x3000 <= o <= 0x303F  # CJK symbols and punctuation
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or 0x2000 <= o <= 0x206F  # general punctuation (“ ” — … ‰)
        or 0x20A0 <= o <= 0x20CF  # currency signs (€)
        or 0x2100 <= o <= 0x21FF  # ℃ № Ⅻ arrows
        or 0x2460 <= o <= 0x24FF  # ①
        or 0x2500 <= o <= 0x26FF  # box drawing, □■★
        or 0x3200 <= o <= 0x33FF  # ㈠ ㎡
        or 0x3040 <= o <= 0x30FF  # kana
        or 0x3100 <= o <= 0x312F  # bopomofo
        or 0x00A0 <= o <= 0x024F  # Latin-1, pinyin tone marks
        or 0x0370 <= o <= 0x03FF  # Greek
        or 0x0400 <= o <= 0x04FF  # Cyrillic
        or 0xFE30 <= o <= 0xFE4F  # CJK compatibility forms
    )


def _looks_like_text(text: str) -> bool:
    if _first_control(text) is not None:
        return False
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return False
    good = sum(1 for c in chars if _is_plausible_char(c))
    # Allow the odd rare character, but random bytes decoded as GB18030 land in
    # private-use areas, rare planes and symbols far more often than that.
    return good >= 0.98 * len(chars)


def _count_ideographs(text: str, limit: int) -> int:
    """Chinese characters in ``text``, counted up to ``limit``."""
    n = 0
    for ch in text:
        if is_ideograph(ch):
            n += 1
            if n >= limit:
                break
    return n


def decode_bytes(data: bytes, *, source: str, min_ideographs: int = MIN_IDEOGRAPHS) -> DecodedText:
    """Decode the bytes of one page text; raise :class:`DecodeError` if we can't,
    or if the text has fewer than ``min_ideographs`` Chinese characters."""
    if not data.strip():
        raise DecodeError("文件是空的（或只有空白）", source=source)

    nul = data.find(b"\x00")
    if nul != -1:
        raise DecodeError(
            "文件含有 NUL 字节：这是二进制文件或 UTF-16/32 文本，不是版面文字",
            source=source,
            line=_line_of(data, nul),
        )

    encoding: str
    text: str
    if data.startswith(codecs.BOM_UTF8):
        try:
            text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DecodeError(
                f"文件以 UTF-8 BOM 开头，但内容不是有效的 UTF-8（字节 0x{data[exc.start + 3]:02x}）",
                source=source,
                line=_line_of(data, exc.start + 3),
            ) from None
        encoding = "utf-8-sig"
    else:
        try:
            text = data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError as utf8_exc:
            bad_line = _line_of(data, utf8_exc.start)
            try:
                candidate = data.decode("gb18030")
            except UnicodeDecodeError:
                candidate = None
            if candidate is not None and candidate.startswith("\ufeff"):
                candidate = candidate[1:]
            if candidate is None or not _looks_like_text(candidate):
                raise DecodeError(
                    f"无法识别编码：不是有效的 UTF-8（第一个错误字节 0x{data[utf8_exc.start]:02x}），"
                    "也不是 GB18030/GBK 文本",
                    source=source,
                    line=bad_line,
                ) from None
            text = candidate
            encoding = "gb18030"

    bad = _first_control(text)
    if bad is not None:
        raise DecodeError(
            f"含有控制字符 U+{ord(text[bad]):04X}：看起来是二进制文件",
            source=source,
            line=_text_line_of(text, bad),
        )

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _ANY_BREAK.search(text):  # translating is slow on Chinese text: only when needed
        text = text.translate(_BREAKS)
    if not text.strip():
        raise DecodeError("文件是空的（或只有空白）", source=source)
    found = _count_ideographs(text, min_ideographs)
    if found < min_ideographs:
        raise DecodeError(
            f"不是版面文字：只有 {found} 个汉字（一个版面至少有 {min_ideographs} 个汉字）",
            source=source,
        )
    return DecodedText(text=text, encoding=encoding)
