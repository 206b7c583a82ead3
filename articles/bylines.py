"""The printed byline line, rendered from bylines (never stored as free text)."""

from itertools import groupby


def byline_groups(bylines):
    """Group ordered bylines by consecutive role: [(role, [person, …]), …]."""
    return [(role, [b.person for b in group]) for role, group in groupby(bylines, key=lambda b: b.role)]


def byline_line(bylines):
    """Return the line as printed: 本报记者 X Y, or 记者 X 通讯员 Y when several roles share a story."""
    groups = byline_groups(list(bylines))
    if not groups:
        return ""
    if len(groups) == 1 and groups[0][0] in ("记者", "评论员"):
        role, people = groups[0]
        return f"本报{role} " + " ".join(p.name for p in people)
    return " ".join(f"{role} " + " ".join(p.name for p in people) for role, people in groups)
