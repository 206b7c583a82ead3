"""Title stacks (引题 kicker / 主题 headline / 副题 subheadline) and subheads.

The PDF text carries no font sizes, so the split of a stack of title lines
follows the way the parts of a stack are written:

* A line ending with 、 (or ，— ·) continues on the next line: the two are one
  part (晋江市交通运输局、/林业和园林绿化局).
* A 副题 is marked — opens with a dash (——记…) or is one whole quotation
  (“希望每年都回泉州放烟花”) — or is an explanatory line clearly longer than
  the 主题 (≥ 1.4× and at least 12 em: 福祉“放心尖”筑就“幸福家” / 晋江全力提升
  全市住宅小区治理能力和服务水平), or a line of two or more phrases set apart by
  spaces under a one-phrase 主题 and wider than it (总投资2.36亿元 汛前完成主体
  工程建设 确保安全度汛).
* A 引题 is marked — ends with ： or ——, or is set in 【】 — or is a line of
  phrases set apart by spaces (延链补链 做强特色产业) over a narrower-set, longer
  one-phrase 主题, or, in a stack of three or more, sits over a 主题 that has a
  副题 under it (the full 引题/主题/副题 stack) or is clearly longer (≥ 1.5×).
* All other lines are one headline wrapped over several lines and are joined with
  a space (今起阳光回归 气温小幅回暖; 安海实验幼儿园 幼儿教育145周年 办学成果展举行),
  which is how such a two- or three-line 主题 reads: the lines of one wrapped
  headline have about the same width.
"""

from __future__ import annotations

from .text import is_cjk, width

_CONTINUES = ("、", "，", "—", "·")


def clean_title_line(line: str) -> str:
    """Normalise spaces in a title line: letter-spaced titles (今 起 阳 光) lose their
    spaces; spaces next to numbers are layout; other spaces (between two phrases
    of a title, or in Latin text) are kept, collapsed to one."""
    tokens = line.split()
    if len(tokens) <= 1:
        return line.strip()
    singles = sum(1 for t in tokens if len(t) == 1 and is_cjk(t))
    if singles >= 0.6 * len(tokens):
        return "".join(tokens)
    out = tokens[0]
    for tok in tokens[1:]:
        a, b = out[-1], tok[0]
        numeric = (a.isascii() and a.isdigit() and is_cjk(b)) or (b.isascii() and b.isdigit() and is_cjk(a))
        out += tok if numeric else " " + tok
    return out


def join_title_lines(lines: list[str]) -> str:
    out = ""
    for line in lines:
        if not out:
            out = line
        elif out.endswith(_CONTINUES):
            out += line
        else:
            out += " " + line
    return out


def _quoted(line: str) -> bool:
    return len(line) >= 3 and line[0] in '“「『"' and line[-1] in '”」』"' and "”" not in line[1:-1]


def _phrases(line: str) -> bool:
    """Two or more phrases set apart by a space (延链补链 做强特色产业)."""
    parts = line.split(" ")
    return (
        len(parts) >= 2
        and all(p and is_cjk(p[0]) or (p and p[0].isdigit()) for p in parts)
        and any(is_cjk(p[-1]) for p in parts[:-1])
    )


def _marked_sub(line: str) -> bool:
    return line.startswith(("——", "─", "－－", "--", "—")) or _quoted(line)


def _marked_kicker(line: str) -> bool:
    return line.endswith(("：", ":", "——")) or (line.startswith("【") and line.endswith("】"))


def _parts(lines: list[str]) -> list[str]:
    """Lines joined into the parts of a stack: a line ending with 、 goes on."""
    parts: list[str] = []
    for line in lines:
        if parts and parts[-1].endswith(_CONTINUES):
            parts[-1] += line
        else:
            parts.append(line)
    return parts


def split_title(lines: list[str]) -> tuple[str, str, str]:
    """Split the lines of a title stack into (kicker, headline, subheadline)."""
    lines = [clean_title_line(s) for s in lines if s.strip()]
    if not lines:
        return "", "", ""
    parts = _parts(lines)
    if len(parts) == 1:
        return "", join_title_lines(lines), ""
    widths = [width(p) for p in parts]
    kicker = sub = ""
    first, last = 0, len(parts)

    def is_sub(k: int, above: list[int]) -> bool:
        line, w = parts[k], widths[k]
        ref = max(widths[m] for m in above)
        # under a two-line 引题/主题 a smaller step in width is enough
        step = 1.25 if len(above) >= 2 else 1.4
        return (
            _marked_sub(line)
            or (w >= step * ref and w >= 12)
            or (_phrases(line) and not any(_phrases(parts[m]) for m in above) and w > ref)
        )

    phrase_kicker = (
        _phrases(parts[0]) and not any(_phrases(p) for p in parts[1:]) and widths[0] < max(widths[1:])
    )
    if not (len(parts) == 2 and phrase_kicker) and is_sub(last - 1, list(range(first, last - 1))):
        sub = parts[last - 1]
        last -= 1
    if last - first >= 2:
        rest = list(range(first + 1, last))
        rest_w = max(widths[m] for m in rest)
        if (
            _marked_kicker(parts[0])
            or (_phrases(parts[0]) and not any(_phrases(parts[m]) for m in rest) and widths[0] < rest_w)
            or (len(parts) >= 3 and (sub or widths[0] >= 1.5 * rest_w))
        ):
            kicker = parts[0]
            first += 1
    return kicker, join_title_lines(parts[first:last]), sub


def subhead_text(lines: list[str]) -> str:
    """A subhead (小标题) printed over several lines is one subhead: its lines are
    joined with a space (“吸睛”又“吸金” 老旧小区“脱胎换骨”), as printed in two lines."""
    return join_title_lines([clean_title_line(s) for s in lines if s.strip()])
