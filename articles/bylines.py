"""The printed byline line, rendered from bylines (never stored as free text)."""

from itertools import groupby


def byline_groups(bylines):
    """Group ordered bylines by consecutive role: [(printed role word, [person, …]), …]."""
    return [
        (group[0].get_role_display(), [b.person for b in group])
        for group in (list(g) for _role, g in groupby(bylines, key=lambda b: b.role))
    ]


def staff_credit(groups):
    """True when one role of the paper's own staff signs alone: printed 本报记者 X Y / 本报评论员 X."""
    from .models import Byline

    return len(groups) == 1 and groups[0][0] in (Byline.Role.REPORTER.label, Byline.Role.COMMENTATOR.label)


def byline_line(bylines):
    """Return the line as printed: 本报记者 X Y, or 记者 X 通讯员 Y when several roles share a story."""
    groups = byline_groups(list(bylines))
    if not groups:
        return ""
    if staff_credit(groups):
        role, people = groups[0]
        return f"本报{role} " + " ".join(p.name for p in people)
    return " ".join(f"{role} " + " ".join(p.name for p in people) for role, people in groups)
