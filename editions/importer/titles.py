"""Title stacks (引题 kicker / 主题 headline / 副题 subheadline) and subheads.

The PDF text carries no font sizes, so the split of a stack of title lines is
heuristic, on the physical lines:

* A line ending with 、 continues on the next line: the two belong to the same
  title part and are joined without a space (晋江市交通运输局、/林业和园林绿化局).
* The last line is the 副题 when it is marked — opens with a dash (——记…) or is
  one whole quotation (“希望每年都回泉州放烟花”) — or when it is clearly longer
  (≥ 1.5×) than every other line: an explanatory subtitle under a short main
  title (福祉“放心尖”筑就“幸福家” / 晋江全力提升全市住宅小区治理能力和服务水平).
* The first line (with at least one line left for the headline) is the 引题 when
  it is marked — ends with ： or ——, or is set in 【】 — or when it is clearly
  longer (≥ 1.5×) than every headline line.
* All other lines are one headline wrapped over several lines and are joined with
  a space (今起阳光回归 气温小幅回暖; 安海实验幼儿园 幼儿教育145周年 办学成果展举行),
  which is how such a two- or three-line 主题 reads.
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


def split_title(lines: list[str]) -> tuple[str, str, str]:
    """Split the lines of a title stack into (kicker, headline, subheadline)."""
    lines = [clean_title_line(s) for s in lines if s.strip()]
    if not lines:
        return "", "", ""
    if len(lines) == 1:
        return "", lines[0], ""
    widths = [width(s) for s in lines]
    kicker = sub = ""
    first, last = 0, len(lines)

    others = widths[:-1]
    if not lines[-2].endswith(_CONTINUES) and (
        lines[-1].startswith(("——", "─", "－－", "--"))
        or _quoted(lines[-1])
        or widths[-1] >= 1.5 * max(others)
    ):
        sub = lines[-1]
        last -= 1
    if last - first >= 2 and not lines[0].endswith(_CONTINUES):
        rest = widths[1:last]
        if (
            lines[0].endswith(("：", ":", "——"))
            or (lines[0].startswith("【") and lines[0].endswith("】"))
            or widths[0] >= 1.5 * max(rest)
        ):
            kicker = lines[0]
            first += 1
    return kicker, join_title_lines(lines[first:last]), sub


def subhead_text(lines: list[str]) -> str:
    """A subhead (小标题) printed over several lines is one subhead: its lines are
    joined with a space (“吸睛”又“吸金” 老旧小区“脱胎换骨”), as printed in two lines."""
    return join_title_lines([clean_title_line(s) for s in lines if s.strip()])
