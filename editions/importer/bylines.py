"""Credits: byline lines (本报记者 张茂霖), datelines opening a paragraph
(本报讯（记者 林伊婷 秦越）), commentator lines (□ 本报评论员 X) and photo
credits (记者 X 摄)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .structure import BylineEntry
from .text import is_ideograph

# Printed label → role. Longest labels first so 本报记者 wins over 记者.
_LABELS: list[tuple[str, str]] = sorted(
    [
        ("本报摄影记者", "摄影"),
        ("摄影记者", "摄影"),
        ("本报记者", "记者"),
        ("特约记者", "记者"),
        ("见习记者", "记者"),
        ("本报通讯员", "通讯员"),
        ("特约通讯员", "通讯员"),
        ("本报评论员", "评论员"),
        ("特约评论员", "评论员"),
        ("本报实习生", "实习生"),
        ("责任编辑", "编辑"),
        ("记者", "记者"),
        ("通讯员", "通讯员"),
        ("实习生", "实习生"),
        ("评论员", "评论员"),
        ("摄影", "摄影"),
        ("编辑", "编辑"),
    ],
    key=lambda lr: -len(lr[0]),
)

# Ornaments printed before a credit line: □ 本报评论员 X.
_ORNAMENTS = "□■◎●○★☆▲△◆◇◻◼"
_SEPARATORS = " \t\u3000、，,/／：:"
_NAME_DOT = "·•．・"
_MAX_NAME = 4  # Han names are 2–4 characters; names with · may be longer


@dataclass
class Credit:
    """A parsed credit: the first label as printed and the people credited."""

    label: str
    entries: list[BylineEntry] = field(default_factory=list)
    is_photo: bool = False


def _valid_name(name: str) -> bool:
    if any(c in _NAME_DOT for c in name):
        return 3 <= len(name) <= 16 and all(is_ideograph(c) or c in _NAME_DOT for c in name)
    return 2 <= len(name) <= _MAX_NAME and all(is_ideograph(c) for c in name)


def parse_credit(s: str, *, standalone: bool) -> Credit | None:
    """Parse ``记者 X Y 通讯员 Z [摄]``; ``None`` if ``s`` is not (only) a credit.

    Every name after a role label gets that role; a trailing 摄 makes the
    credit a photo credit (all names get the role 摄影). ``standalone`` lines
    must separate label and name by a space (so the body text 记者从晋江… is
    not taken for a credit); inside the parentheses of a dateline they need not.
    """
    s = s.strip()
    i = 0
    while i < len(s) and (s[i] in _ORNAMENTS or s[i].isspace()):
        i += 1
    first_label = ""
    role: str | None = None
    entries: list[BylineEntry] = []
    photo = False
    n = len(s)
    while i < n:
        if s[i] in _SEPARATORS:
            i += 1
            continue
        for label, label_role in _LABELS:
            if s.startswith(label, i):
                i += len(label)
                role = label_role
                first_label = first_label or label
                if standalone and i < n and s[i] not in _SEPARATORS:
                    return None
                break
        else:
            j = i
            while j < n and (is_ideograph(s[j]) or s[j] in _NAME_DOT):
                j += 1
            token = s[i:j]
            if not token:
                return None
            if token == "摄" and entries:
                photo = True
                i = j
                continue
            if role is None or not _valid_name(token):
                return None
            entries.append(BylineEntry(name=token, role=role))
            i = j
    if not entries:
        return None
    if photo or (role == "摄影" and s.rstrip().endswith("摄影") and entries[-1].role != "摄影"):
        entries = [BylineEntry(name=e.name, role="摄影") for e in entries]
        photo = True
    if photo:
        first_label = ""  # a photo credit is not the label the story came with
    return Credit(label=first_label, entries=entries, is_photo=photo)


def join_name_break(before: str, after: str) -> str:
    """Join two pieces of a credit split by a line break.

    A name can break across lines (董严 / 军 → 董严军) but a break can also fall
    between two names. Heuristic: join when either fragment is a single
    character or both together are at most three characters (no Han name has
    one character; 2+2 is taken as two names).
    """
    b = before.rstrip()
    a = after.lstrip()
    tail = re.search(r"[\u3400-\u9fff·]+$", b)
    head = re.match(r"[\u3400-\u9fff·]+", a)
    if not tail or not head:
        return b + a  # the break falls next to a bracket or separator: nothing to split
    if tail and head:
        t, h = tail.group(), head.group()
        t_is_label = any(t.endswith(lab) for lab, _ in _LABELS)
        h_is_label = any(h.startswith(lab) for lab, _ in _LABELS) or h.startswith("摄")
        if not t_is_label and not h_is_label and (len(t) == 1 or len(h) == 1 or len(t) + len(h) <= 3):
            return b + a
    return b + " " + a


_DATELINE = re.compile(
    r"^\s*(?P<label>本报讯|本报[^\s（(，。、；：]{1,12}?讯|(?:新华社|中新社|中新网|人民网|新华网)[^\s（(，。、；：]{0,16}?电)"
    r"\s*(?:[（(](?P<inner>[^（()）]{1,60})[）)])?"
)


@dataclass
class Dateline:
    label: str  # 本报讯
    raw: str  # 本报讯（记者 柯雅雅 董严军）, as printed (line breaks removed)
    entries: list[BylineEntry]
    rest: str  # the paragraph text after the dateline (may contain "\n")


def split_dateline(text: str) -> Dateline | None:
    """Split a dateline off the start of a paragraph (``text`` keeps its "\\n"s)."""
    m = _DATELINE.match(text)
    if not m:
        return None
    label = m.group("label")
    inner = m.group("inner")
    if inner is None:
        return Dateline(label=label, raw=label, entries=[], rest=text[m.end("label") :])
    pieces = inner.split("\n")
    joined = pieces[0]
    for piece in pieces[1:]:
        joined = join_name_break(joined, piece)
    credit = parse_credit(joined, standalone=False)
    if credit is None:
        return Dateline(label=label, raw=label, entries=[], rest=text[m.end("label") :])
    raw = text[m.start("label") : m.end()].replace("\n", "")
    raw = raw.replace(inner.replace("\n", ""), joined)
    return Dateline(label=label, raw=raw, entries=credit.entries, rest=text[m.end() :])


def starts_with_dateline(line: str) -> bool:
    return bool(_DATELINE.match(line))
