"""Helpers to lay out small page texts the way the PDF extraction prints them."""


def wrap(text: str, width: int = 15) -> list[str]:
    """Wrap a paragraph at ``width`` characters; the first line is indented by two."""
    lines, first = [], True
    while text:
        n = width - 2 if first else width
        lines.append(text[:n])
        text = text[n:]
        first = False
    return lines


def page(*parts) -> str:
    """Join parts (strings = lines, lists = wrapped paragraphs) with blank lines between."""
    out = []
    for part in parts:
        out.append("\n".join(part) if isinstance(part, list) else part)
    return "\n\n".join(out) + "\n"


P1 = "当前，全市上下正在全力推进重点项目建设，各项工作有序开展，成效明显，得到群众的一致好评。"
P2 = "据介绍，该项目总投资约五亿元，建成后将进一步完善城市功能，改善周边居民的出行条件和生活环境。"
P3 = "下一步，有关部门将继续加强统筹协调，倒排工期、挂图作战，确保项目按时保质完成并投入使用。"
