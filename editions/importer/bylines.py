"""Credits: byline lines (本报记者 张茂霖), datelines opening a paragraph
(本报讯（记者 林伊婷 秦越）), commentator lines (□ 本报评论员 X), end credits of
briefs (（记者 X）) and photo credits (记者 X 摄, a bare X 摄).

Names are read the way an editor reads them: a padded two-character name
(王　军) is one name, a compound surname (欧阳, 上官 …) is never a person of its
own, and a name broken across two lines is joined back."""

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
        ("本报见习记者", "记者"),
        ("本报特约记者", "记者"),
        ("特约记者", "记者"),
        ("见习记者", "记者"),
        ("首席记者", "记者"),
        ("融媒体记者", "记者"),
        ("全媒体记者", "记者"),
        ("本报通讯员", "通讯员"),
        ("特约通讯员", "通讯员"),
        ("本报评论员", "评论员"),
        ("特约评论员", "评论员"),
        ("本报实习生", "实习生"),
        ("见习生", "实习生"),
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
_LABEL_WORDS = frozenset(label for label, _ in _LABELS)
#: The first of the labels (longest first) printed at a position.
_LABEL_AT = re.compile("|".join(re.escape(label) for label, _ in _LABELS))

#: Compound surnames (复姓): never a person of their own, never split from the
#: given name that follows them (欧阳 晓峰, 上官 / 青禾 across a line break).
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "上官",
        "司马",
        "诸葛",
        "东方",
        "皇甫",
        "司徒",
        "令狐",
        "慕容",
        "尉迟",
        "公孙",
        "长孙",
        "宇文",
        "夏侯",
        "轩辕",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "百里",
        "呼延",
        "万俟",
        "闻人",
        "赫连",
        "澹台",
        "公冶",
        "宗政",
        "濮阳",
        "淳于",
        "单于",
        "太叔",
        "申屠",
        "仲孙",
        "钟离",
        "乐正",
        "鲜于",
        "闾丘",
        "东郭",
        "公羊",
        "司空",
        "司寇",
        "子车",
        "颛孙",
        "壤驷",
        "公良",
        "漆雕",
        "拓跋",
        "谷梁",
        "宰父",
        "段干",
        "巫马",
        "公西",
        "微生",
        "羊舌",
        "梁丘",
        "左丘",
        "东门",
        "第五",
        "亓官",
        "公户",
        "公玉",
        "公仪",
        "梁丘",
        "呼衍",
        "即墨",
        "达奚",
        "褚师",
        "吴铭",
        "纳兰",
        "完颜",
        "爱新",
        "叶赫",
        "乌雅",
        "觉罗",
        "钮祜",
        "富察",
        "那拉",
        "上门",
        "欧侯",
        "司城",
        "第一",
        "夹谷",
        "主父",
        "相里",
        "南门",
        "东里",
        "北堂",
        "况后",
        "有琴",
        "归海",
        "墨哈",
        "谯笪",
        "年爱",
        "阳佟",
        "母丘",
        "伯赏",
    ]
)

# Ornaments printed before a credit line: □ 本报评论员 X.
_ORNAMENTS = "□■◎●○★☆▲△◆◇◻◼"
_MAYBE_CREDIT = re.compile("记者|通讯员|实习生|评论员|见习生|编辑|摄")
_SEPARATORS = " \t\u3000、，,/／：:"
_SPACES = " \t\u3000"
_NAME_DOT = "·•．・"
_MAX_NAME = 4  # Han names are 2–4 characters; names with · may be longer
_OPEN = "（("
_CLOSE = "）)"


@dataclass
class Credit:
    """A parsed credit: the first label as printed and the people credited.

    ``bracketed``: printed in brackets (（记者 X）), the way a brief's end credit is.
    ``ornamented``: led by an ornament (□ X), the way a commentary is signed.
    """

    label: str
    entries: list[BylineEntry] = field(default_factory=list)
    is_photo: bool = False
    bracketed: bool = False
    ornamented: bool = False


def _valid_name(name: str) -> bool:
    if any(c in _NAME_DOT for c in name):
        return 3 <= len(name) <= 16 and all(is_ideograph(c) or c in _NAME_DOT for c in name)
    return 2 <= len(name) <= _MAX_NAME and all(is_ideograph(c) for c in name)


def _tokens(s: str, i: int) -> list[tuple[str, str]]:
    """Split a credit into ("label", text), ("name", text) and ("gap", sep) tokens."""
    out: list[tuple[str, str]] = []
    n = len(s)
    while i < n:
        if s[i] in _SEPARATORS:
            j = i
            while j < n and s[j] in _SEPARATORS:
                j += 1
            out.append(("gap", s[i:j]))
            i = j
            continue
        m = _LABEL_AT.match(s, i)
        if m is not None:
            out.append(("label", m.group()))
            i = m.end()
        else:
            j = i
            while j < n and (is_ideograph(s[j]) or s[j] in _NAME_DOT):
                j += 1
            if j == i:
                return [("bad", s[i:])]
            token = s[i:j]
            # A name glued to a following label (记者王五通讯员李四): split there.
            glued = _LABEL_AT.search(token, 2)
            if glued is not None:
                k = glued.start()
                token = token[:k]
                j = i + k
            out.append(("name", token))
            i = j
    return out


def _merge_names(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Rejoin names that layout spaces cut apart: 王　军 (a padded two-character
    name) and 欧阳 晓峰 (a compound surname set apart from the given name)."""
    out: list[tuple[str, str]] = []
    k = 0
    while k < len(tokens):
        kind, text = tokens[k]
        if (
            kind == "name"
            and k + 2 < len(tokens)
            and tokens[k + 1][0] == "gap"
            and all(c in _SPACES for c in tokens[k + 1][1])
            and tokens[k + 2][0] == "name"
            and tokens[k + 2][1] != "摄"
        ):
            nxt = tokens[k + 2][1]
            if (len(text) == 1 and len(nxt) == 1) or (text in COMPOUND_SURNAMES and len(nxt) <= 2):
                tokens = tokens[:k] + [("name", text + nxt)] + tokens[k + 3 :]
                continue
        out.append((kind, text))
        k += 1
    return out


# (every alternative opens with a given character, so the search skips ahead in C)
_MAYBE_CREDIT_IN_BLOCK = re.compile(f"{_MAYBE_CREDIT.pattern}|\n[{_ORNAMENTS}]")


def may_have_credit(lines: str) -> bool:
    """Whether some line of ``lines`` (stripped lines joined by "\\n") passes :func:`may_be_credit`."""
    return bool(lines) and (lines[0] in _ORNAMENTS or _MAYBE_CREDIT_IN_BLOCK.search(lines) is not None)


def may_be_credit(s: str) -> bool:
    """Whether the stripped text ``s`` can be a credit at all: it has a role label,
    a 摄 or a leading ornament (the quick test that rules out most lines)."""
    return bool(s) and (_MAYBE_CREDIT.search(s) is not None or s[0] in _ORNAMENTS)


def parse_credit(s: str, *, standalone: bool) -> Credit | None:
    """Parse ``记者 X Y 通讯员 Z [摄]``; ``None`` if ``s`` is not (only) a credit.

    Every name after a role label gets that role; a trailing 摄 makes the
    credit a photo credit (all names get the role 摄影), and then the label may
    be missing (林　峰 摄). A line led by an ornament may carry names without a
    label (□ 钟　文: a commentary's author, role 评论员), or a commentator label
    without a name (□ 本报评论员). A standalone line in brackets (（记者 X）) is
    a credit too. ``standalone`` lines must separate label and name by a space
    (so the body text 记者从晋江… is not taken for a credit); inside the
    parentheses of a dateline they need not.
    """
    s = s.strip()
    if not may_be_credit(s):
        return None  # no role label, no 摄, no ornament: not a credit (the common case)
    bracketed = False
    if standalone and len(s) > 2 and s[0] in _OPEN and s[-1] in _CLOSE:
        s = s[1:-1].strip()
        bracketed = True
    i = 0
    while i < len(s) and (s[i] in _ORNAMENTS or s[i].isspace()):
        i += 1
    ornamented = i > 0 and any(c in _ORNAMENTS for c in s[:i])
    tokens = _merge_names(_tokens(s, i))
    first_label = ""
    role: str | None = None
    entries: list[BylineEntry] = []
    photo = False
    unlabelled = False
    for k, (kind, text) in enumerate(tokens):
        if kind == "bad":
            return None
        if kind == "gap":
            continue
        if kind == "label":
            role = dict(_LABELS)[text]
            first_label = first_label or text
            if standalone and not bracketed and k + 1 < len(tokens) and tokens[k + 1][0] != "gap":
                return None
            continue
        if text == "摄" and entries:
            photo = True
            continue
        if text.endswith("摄") and len(text) > 2 and _valid_name(text[:-1]) and k == len(tokens) - 1:
            text, photo = text[:-1], True  # 陈一帆摄
        if not _valid_name(text):
            return None
        if role is None:
            unlabelled = True
        entries.append(BylineEntry(name=text, role=role or ""))
    if not entries:
        if ornamented and role == "评论员" and standalone:
            return Credit(label=first_label, entries=[], ornamented=True)
        return None
    if photo or (role == "摄影" and s.rstrip().endswith("摄影") and entries[-1].role != "摄影"):
        entries = [BylineEntry(name=e.name, role="摄影") for e in entries]
        photo = True
    elif unlabelled:
        # Names without a role label: only a commentary's signature (□ 钟　文).
        if not (standalone and ornamented and role is None):
            return None
        entries = [BylineEntry(name=e.name, role="评论员") for e in entries]
    if photo:
        first_label = ""  # a photo credit is not the label the story came with
    return Credit(
        label=first_label, entries=entries, is_photo=photo, bracketed=bracketed, ornamented=ornamented
    )


_HAN_TAIL = re.compile(r"[\u3400-\u9fff·]+$")
_HAN_HEAD = re.compile(r"[\u3400-\u9fff·]+")


def join_name_break(before: str, after: str) -> str:
    """Join two pieces of a credit split by a line break.

    A name can break across lines (董严 / 军 → 董严军) but a break can also fall
    between two names. Join when either fragment is a single character, when
    both together are at most three characters (no Han name has one character;
    2+2 is taken as two names), or when the first fragment is a compound
    surname (上官 / 青禾 → 上官青禾).
    """
    b = before.rstrip()
    a = after.lstrip()
    tail = _HAN_TAIL.search(b)
    head = _HAN_HEAD.match(a)
    if not tail or not head:
        return b + a  # the break falls next to a bracket or separator: nothing to split
    t, h = tail.group(), head.group()
    t_is_label = any(t.endswith(lab) for lab in _LABEL_WORDS)
    h_is_label = any(h.startswith(lab) for lab in _LABEL_WORDS) or h.startswith("摄")
    if t_is_label or h_is_label:
        return b + " " + a
    if len(t) == 1 or len(h) == 1 or len(t) + len(h) <= 3 or t in COMPOUND_SURNAMES:
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


# What a dateline can open with (after spaces): 本报…, 新华社/新华网, 中新社/中新网, 人民网.
_DATELINE_FIRST = frozenset("本新中人")


def starts_with_dateline(line: str) -> bool:
    first = line[:1]  # most lines: ruled out by their first character, without the regex
    if first not in _DATELINE_FIRST and not first.isspace():
        return False
    return bool(_DATELINE.match(line))
