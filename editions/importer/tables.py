"""Tables in page text: rows whose cells are set apart by wide gaps, each row one
paragraph; a caption over them and a source note under them. See :mod:`.lines`."""

from __future__ import annotations

import re

from .furniture import furniture_kind
from .items import Item, Line
from .text import has_sentence_punct, remove_layout_spaces, width

TABLE_GAP = re.compile(r"[ \t\u3000]{2,}")
TABLE_NOTE = re.compile(r"^[（(]?\s*(?:数据|资料|信息)?来源[：:]|^[（(]?\s*注[：:]|^[（(]?\s*制表[：:]")
_NUMERIC_CELL = re.compile(r"^[-+－＋]?[0-9０-９][0-9０-９.．,，%％]*$")


def _table_cells(text: str) -> list[str] | None:
    """The cells of a table row (cells set apart by wide gaps), or None."""
    if TABLE_GAP.search(text) is None:
        return None
    cells = [c for c in TABLE_GAP.split(text.strip()) if c]
    if len(cells) < 2 or any(width(c) > 16 or has_sentence_punct(c.replace("%", "")) for c in cells):
        return None
    return cells


def table_rows(block: list[Line], i: int) -> int:
    """How many table rows start at block[i]: at least two rows of the same
    number of cells, and some cell a figure."""
    first = _table_cells(block[i].text) if i < len(block) else None
    if first is None:
        return 0
    j = i + 1
    numeric = any(_NUMERIC_CELL.match(c) for c in first)
    while j < len(block) and not furniture_kind(block[j].text):
        cells = _table_cells(block[j].text)
        if cells is None or len(cells) != len(first):
            break
        numeric = numeric or any(_NUMERIC_CELL.match(c) for c in cells)
        j += 1
    return j - i if j - i >= 2 and numeric else 0


def table_item(line: Line, *, row: bool) -> Item:
    if row:
        text = " ".join(remove_layout_spaces(c) for c in TABLE_GAP.split(line.text.strip()) if c)
    else:
        text = remove_layout_spaces(line.text)
    return Item(kind="para", lines=[line], text=text, blank_before=line.blank_before, table=True)
