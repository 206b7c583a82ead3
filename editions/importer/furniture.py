"""Page furniture and column labels: the lines a page prints around its stories.

Furniture belongs to the page (its ``banner``) wherever it is printed: the
staff line (责任编辑：… 美编：… 校对：…), the page number (3, 第3版), the date
line (2025年4月2日 星期三 农历乙巳年三月初五), the issue line (第3862期 今日8版)
and a 版名 printed beside them. A *column label* (简讯, 乡镇传真, 图片新闻,
今日快评, 岚溪观察 …) heads a column of stories; it is never a headline.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .text import SENTENCE_PUNCT, has_sentence_punct

_DIGITS = "0-9０-９"
_CN_NUM = "一二三四五六七八九十〇零"

# One token (a space-separated piece) of a furniture line.
_DATE = re.compile(
    rf"^(?:[{_DIGITS}]{{4}}年)?[{_DIGITS}]{{1,2}}月[{_DIGITS}]{{1,2}}日$|^[{_DIGITS}]{{4}}年[{_DIGITS}]{{1,2}}月[{_DIGITS}]{{1,2}}日"
)
_CN_DATE = re.compile(
    r"^[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日"
)
_WEEKDAY = re.compile(r"^(?:星期|周|礼拜)[一二三四五六日天]$")
_LUNAR = re.compile(r"^农历\S{2,12}$")
_PAGE_NO = re.compile(
    rf"^(?:第\s*)?[{_DIGITS}]{{1,2}}\s*版?$|^第[{_CN_NUM}{_DIGITS}]{{1,3}}版$|^[A-Za-zＡ-Ｚ][{_DIGITS}]{{1,2}}$"
)
_ISSUE = re.compile(
    rf"^(?:第\s*[{_DIGITS}]{{1,6}}\s*期|总第\s*[{_DIGITS}]{{1,6}}\s*期|今日\s*[{_DIGITS}{_CN_NUM}]{{1,3}}\s*版|本期\s*[{_DIGITS}{_CN_NUM}]{{1,3}}\s*版)$"
)
_STAFF = re.compile(
    r"^\s*(?:本版)?(?:责任编辑|责编|编辑|美编|美术编辑|版式|版式设计|校对|审校|审读|终审|值班主任|组版|制图|排版)\s*[：:]"
)
_STAFF_ANYWHERE = re.compile(r"(?:责任编辑|责编|美编|校对|版式|审校|终审)\s*[：:]")
_PUBLISHING = re.compile(r"(?:国内统一刊号|统一连续出版物号|邮发代号|CN\s*\d{2}\s*[-－]\s*\d{4})")


def _is_date_token(tok: str) -> bool:
    return bool(_DATE.match(tok) or _CN_DATE.match(tok) or _WEEKDAY.match(tok) or _LUNAR.match(tok))


def is_staff_line(text: str) -> bool:
    """责任编辑：林　涛　美编：陈小燕　校对：黄　丽 (any one of them, anywhere on the page)."""
    return bool(_STAFF.match(text) or len(_STAFF_ANYWHERE.findall(text)) >= 2)


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NO.match(text.strip()))


# Every furniture line with sentence punctuation has one of these characters: one
# of each staff or publishing word (编辑 校对 审读 值班 制图 刊号 出版物 邮发 CN) or
# of a date (年, 农历) in the token that carries the punctuation.
_FURNITURE_CHAR = re.compile("[编版校审值图刊邮C年历]")
# And every furniture line has one of these: the colon of a staff line, a publishing
# word (刊号 出版物号 邮发 CN), a digit (page number, date), 年 星期 周 礼拜 农历 (a
# date, weekday or lunar date), 期 or 版 (issue and page lines). Most lines have none.
_MAY_BE_FURNITURE = re.compile("[：:刊版邮C0-9０-９年期星周礼农]")


def may_be_furniture(text: str) -> bool:
    """Whether ``text`` (a line, or lines joined) has a character every furniture line has."""
    return _MAY_BE_FURNITURE.search(text) is not None


def furniture_kind(text: str) -> str:
    """ "staff", "date", "page", "issue" or "" for a line that is (not) page furniture.

    A date line may carry the page number and the 版名 with it (2  要闻  2025年4月3日
    星期四): every token must then be a date, weekday, lunar date, page number,
    issue number or a short name, and one of them a date or a weekday.
    """
    if _MAY_BE_FURNITURE.search(text) is None:
        return ""  # no digit, date word, colon or page word: a title or a line of text
    if has_sentence_punct(text) and _FURNITURE_CHAR.search(text) is None:
        return ""  # a line of text (the common case)
    return _furniture_kind(text)


@lru_cache(maxsize=8192)
def _furniture_kind(text: str) -> str:
    s = text.strip()
    if not s:
        return ""
    if is_staff_line(s) or _PUBLISHING.search(s):
        return "staff"
    if is_page_number(s):
        return "page"
    tokens = s.split()
    kinds = []
    for tok in tokens:
        if _is_date_token(tok):
            # a bare 3月15日 may open a headline; a year, weekday or lunar date may not
            kinds.append("date" if ("年" in tok or not _DATE.match(tok)) else "day")
        elif _ISSUE.match(tok):
            kinds.append("issue")
        elif _PAGE_NO.match(tok):
            kinds.append("page")
        elif len(tok) <= 6 and not any(c in SENTENCE_PUNCT for c in tok):
            kinds.append("name")
        else:
            return ""
    if "date" in kinds and kinds.count("name") <= 1:
        return "date"
    if "issue" in kinds and "name" not in kinds:
        return "issue"
    return ""


def may_be_page_name(text: str) -> bool:
    """A 版名 (要闻, 综合新闻, 社会·观察): a short line, no punctuation but a middle dot."""
    s = text.strip()
    return 1 <= len(s) <= 6 and not any(c in SENTENCE_PUNCT or c in "“”《》（）()" or c.isdigit() for c in s)


# ---------------------------------------------------------------- column labels

#: Labels a county daily prints over a column of briefs, photos or commentary.
COLUMN_LABELS = frozenset(
    [
        "简讯",
        "快讯",
        "短讯",
        "要闻简讯",
        "新闻简讯",
        "本地简讯",
        "图片新闻",
        "图片报道",
        "新闻图片",
        "图说",
        "图片故事",
        "新闻速递",
        "要闻速递",
        "今日快评",
        "快评",
        "短评",
        "社评",
        "时评",
        "评论",
        "编者按",
        "编后",
        "编后语",
        "短论",
        "热评",
        "微评",
        "锐评",
        "论坛",
        "言论",
        "来论",
        "乡镇传真",
        "基层传真",
        "部门传真",
        "一线传真",
        "新闻纵横",
        "本地新闻",
        "简明新闻",
        "新闻集萃",
        "信息快递",
        "动态",
    ]
)
#: How a column's own name ends (岚溪观察, 东湾时评, 乡镇传真 …).
_LABEL_SUFFIXES = (
    "观察",
    "时评",
    "快评",
    "短评",
    "热评",
    "锐评",
    "微评",
    "社评",
    "评论",
    "论坛",
    "传真",
    "简讯",
    "快讯",
    "速递",
    "视点",
    "视窗",
    "聚焦",
    "纵横",
    "扫描",
    "直击",
    "图片新闻",
    "图说",
    "简报",
    "集萃",
    "杂谈",
    "漫谈",
    "随笔",
    "茶座",
)
#: Labels whose stories are commentary (a bare signature is the 评论员's).
_COMMENTARY = ("评", "论", "观察", "编后", "编者按", "杂谈", "漫谈", "随笔", "茶座")


@lru_cache(maxsize=8192)
def is_column_label(text: str) -> bool:
    """A column label: printed on its own line, 2–6 characters, no punctuation, and
    either a label every paper uses (简讯, 图片新闻, 今日快评) or a column's name of
    that shape (岚溪观察, 乡镇传真: a place or topic and a label word)."""
    s = "".join(text.split())
    if not 2 <= len(s) <= 6 or any(c in SENTENCE_PUNCT or c in "“”《》（）()—" or c.isdigit() for c in s):
        return False
    if s in COLUMN_LABELS:
        return True
    return any(s.endswith(suffix) and 1 <= len(s) - len(suffix) <= 3 for suffix in _LABEL_SUFFIXES)


def is_commentary_label(text: str) -> bool:
    s = "".join(text.split())
    return is_column_label(s) and any(word in s for word in _COMMENTARY)


_BRIEFS = ("讯", "传真", "速递", "简报", "集萃", "动态", "纵横", "扫描", "快递")


def is_briefs_label(text: str) -> bool:
    """A label over a column of briefs (简讯, 快讯, 乡镇传真 …): every headline in
    it heads a brief of its own, never a subhead."""
    s = "".join(text.split())
    return is_column_label(s) and not is_commentary_label(s) and any(word in s for word in _BRIEFS)
