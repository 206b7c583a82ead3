"""The rules of the craft the parser follows, one class of page at a time.

Each test is a minimal page of its own (made-up county, people and events),
laid out the way the PDF extraction prints it.
"""

import pytest

from editions.importer import accounted_text, parse_page
from editions.importer.bylines import COMPOUND_SURNAMES, join_name_break, parse_credit, split_dateline
from editions.importer.furniture import furniture_kind, is_column_label, is_commentary_label
from editions.importer.titles import split_title

from .helpers import page, wrap

A = "昨日上午，东湖镇举行农村人居环境整治现场推进会，全镇二十个行政村的负责人参加会议。"
B = "会上，与会人员实地察看了三个村的整治成效，并就垃圾分类和污水处理交流经验做法。"
C = "据统计，今年以来全镇共清理河道沟渠四十余公里，拆除乱搭乱建一百二十余处。"
D = "近日，县图书馆在城南社区开设分馆，藏书八千余册，周边居民可凭借书证免费借阅。"
E = "分馆还设置了少儿阅读区和自习区，每天开放十个小时，节假日照常开放。"
F = "连日来，县供电公司组织抢修队伍深入山区乡镇，对老旧线路和变压器开展集中检修。"


def credits(article):
    return [(b.name, b.role) for b in article.bylines]


def paras(article):
    return [b.text for b in article.body if b.type == "paragraph"]


def nothing_lost(text, parsed):
    assert sorted("".join(accounted_text(parsed).split())) == sorted("".join(text.split()))


# ---------------------------------------------------------------- padded names


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("记者 王　军", [("王军", "记者")]),
        ("本报记者 郭　珊 黄佳琪", [("郭珊", "记者"), ("黄佳琪", "记者")]),
        ("记者 王 军 通讯员 李　华", [("王军", "记者"), ("李华", "通讯员")]),
    ],
)
def test_padded_two_character_name_is_one_name(line, expected):
    assert [(e.name, e.role) for e in parse_credit(line, standalone=True).entries] == expected


def test_padded_name_in_dateline_leaves_no_bracket_in_body():
    text = page("东湖镇推进人居环境整治", wrap("本报讯（记者 王　军 通讯员 孔　洁）" + A))
    parsed = parse_page(text)
    (a,) = parsed.articles
    assert credits(a) == [("王军", "记者"), ("孔洁", "通讯员")]
    assert paras(a) == [A]
    nothing_lost(text, parsed)


# ---------------------------------------------------------------- compound surnames


def test_compound_surname_list_is_a_proper_one():
    assert len(COMPOUND_SURNAMES) >= 80
    assert {
        "欧阳",
        "上官",
        "司马",
        "诸葛",
        "东方",
        "皇甫",
        "司徒",
        "令狐",
        "慕容",
        "夏侯",
    } <= COMPOUND_SURNAMES


@pytest.mark.parametrize(
    ("before", "after", "joined"),
    [
        ("记者 上官", "青禾 通讯员 李四", "记者 上官青禾 通讯员 李四"),
        ("记者 欧阳", "晓峰）", "记者 欧阳晓峰）"),
        ("记者 皇甫", "明远", "记者 皇甫明远"),
        ("记者 王五", "李四", "记者 王五 李四"),  # two ordinary names stay two people
    ],
)
def test_compound_surname_broken_across_lines(before, after, joined):
    assert join_name_break(before, after) == joined


def test_compound_surname_never_a_byline_of_its_own():
    c = parse_credit("记者 欧阳 晓峰 实习生 诸葛 明", standalone=True)
    assert [(e.name, e.role) for e in c.entries] == [("欧阳晓峰", "记者"), ("诸葛明", "实习生")]
    d = split_dateline("本报讯（记者 司马\n云帆 通讯员 东方\n婷）" + A)
    assert [(e.name, e.role) for e in d.entries] == [("司马云帆", "记者"), ("东方婷", "通讯员")]


def test_compound_surname_wrapped_byline_line():
    text = page("东湖镇推进人居环境整治\n□记者 欧阳\n晓峰 见习记者 彭　悦", wrap(A))
    (a,) = parse_page(text).articles
    assert credits(a) == [("欧阳晓峰", "记者"), ("彭悦", "记者")]
    assert a.headline == "东湖镇推进人居环境整治" and paras(a) == [A]


# ---------------------------------------------------------------- brief end credits


def test_brief_credit_in_brackets_at_end_of_text():
    lines = wrap(D)
    lines[-1] += "（记者 黄　琪）"
    text = page(
        "简讯", "县图书馆城南分馆开馆", lines, "县供电公司检修山区线路", wrap(F) + ["（通讯员 司徒嘉怡）"]
    )
    parsed = parse_page(text)
    first, second = parsed.articles
    assert (first.headline, credits(first), paras(first)) == ("县图书馆城南分馆开馆", [("黄琪", "记者")], [D])
    assert (second.headline, credits(second), paras(second)) == (
        "县供电公司检修山区线路",
        [("司徒嘉怡", "通讯员")],
        [F],
    )
    nothing_lost(text, parsed)


def test_bare_end_credit_line_closes_the_brief_not_opens_the_next():
    text = page(
        "县图书馆城南分馆开馆",
        wrap(D) + ["记者 吕书涵 实习生 周可馨"],
        "县供电公司检修山区线路",
        wrap("本报讯 " + F),
    )
    first, second = parse_page(text).articles
    assert credits(first) == [("吕书涵", "记者"), ("周可馨", "实习生")]
    assert credits(second) == [] and paras(second) == [F]


def test_briefs_without_blank_lines_are_not_one_blob():
    text = "\n".join(
        ["简讯", "县图书馆城南分馆开馆"]
        + wrap(D, 12)[:-1]
        + [wrap(D, 12)[-1] + "（记者 欧阳"]
        + ["晓峰）", "县供电公司检修山区线路"]
        + wrap(F, 12)
        + ["通讯员 姚　琳", "东湖镇召开整治推进会"]
        + wrap("本报讯（记者 王　军）" + A, 12)
    )
    parsed = parse_page(text + "\n")
    assert [a.headline for a in parsed.articles] == [
        "县图书馆城南分馆开馆",
        "县供电公司检修山区线路",
        "东湖镇召开整治推进会",
    ]
    assert [credits(a) for a in parsed.articles] == [
        [("欧阳晓峰", "记者")],
        [("姚琳", "通讯员")],
        [("王军", "记者")],
    ]
    assert [paras(a) for a in parsed.articles] == [[D], [F], [A]]
    assert parsed.banner == ["简讯"] and parsed.unassigned == []


def test_every_headline_in_a_column_of_briefs_heads_a_brief():
    text = page("快讯", "县图书馆城南分馆开馆", wrap(D), "县供电公司检修山区线路", wrap(F))
    parsed = parse_page(text)
    assert [(a.headline, paras(a)) for a in parsed.articles] == [
        ("县图书馆城南分馆开馆", [D]),
        ("县供电公司检修山区线路", [F]),
    ]


def test_end_credit_after_dateline_without_names_belongs_to_that_brief():
    lines = wrap("本报讯 " + D)
    lines[-1] += "（记者 陈一帆 通讯员 谢"
    text = page("县图书馆城南分馆开馆", lines + ["明辉）"])
    (a,) = parse_page(text).articles
    assert a.dateline == "本报讯"
    assert credits(a) == [("陈一帆", "记者"), ("谢明辉", "通讯员")]
    assert paras(a) == [D]


# ---------------------------------------------------------------- column labels


@pytest.mark.parametrize(
    "label",
    ["简讯", "快讯", "图片新闻", "今日快评", "社评", "短评", "东湖观察", "江城时评", "乡镇传真", "部门传真"],
)
def test_column_labels(label):
    assert is_column_label(label)


@pytest.mark.parametrize("line", ["油桐花开", "东湖镇推进人居环境整治", "观察", "县委常委会观察发展形势"])
def test_not_column_labels(line):
    assert not is_column_label(line)


def test_commentary_labels():
    assert is_commentary_label("今日快评") and is_commentary_label("东湖观察") and is_commentary_label("社评")
    assert not is_commentary_label("简讯") and not is_commentary_label("图片新闻")


def test_column_label_never_takes_the_headline_slot():
    text = page("江城时评\n让文明新风吹进千家万户\n□ 钟　文", wrap(A), wrap(B))
    parsed = parse_page(text)
    (a,) = parsed.articles
    assert a.headline == "让文明新风吹进千家万户"
    assert credits(a) == [("钟文", "评论员")]  # a commentary's bare signature
    assert parsed.banner == ["江城时评"]


def test_commentator_without_name():
    text = page("今日快评\n办实事贵在常态长效\n□ 本报评论员", wrap(A))
    parsed = parse_page(text)
    (a,) = parsed.articles
    assert (a.headline, a.dateline, a.bylines) == ("办实事贵在常态长效", "本报评论员", [])
    assert parsed.banner == ["今日快评"]


# ---------------------------------------------------------------- page furniture


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("责任编辑：林　涛　　美编：陈小燕　　校对：黄　丽", "staff"),
        ("美编：陈小燕  版式：王　丽", "staff"),
        ("7", "page"),
        ("第７版", "page"),
        ("2025年5月6日  星期二  农历乙巳年四月初九", "date"),
        ("4  综合  2025年5月6日  星期二", "date"),
        ("第3901期 今日12版", "issue"),
        ("二〇二五年五月六日 星期二", "date"),
        ("5月6日 县城停水检修", ""),
        ("东湖镇推进人居环境整治", ""),
    ],
)
def test_furniture_lines(line, kind):
    assert furniture_kind(line) == kind


def test_furniture_anywhere_on_the_page_is_banner_and_its_names_never_bylines():
    text = page(
        "东湖镇推进人居环境整治",
        "本报记者 张　平",
        wrap(A),
        "责任编辑：林　涛　美编：陈小燕　校对：黄　丽",
        wrap(B),
        "7\n综合\n2025年5月6日 星期二",
    )
    parsed = parse_page(text)
    (a,) = parsed.articles
    assert credits(a) == [("张平", "记者")]
    assert paras(a) == [A, B]
    assert sorted(parsed.banner) == sorted(
        ["责任编辑：林　涛　美编：陈小燕　校对：黄　丽", "7", "综合", "2025年5月6日 星期二"]
    )


# ---------------------------------------------------------------- title stacks


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # 引题 / 主题 / 副题 without dashes: a couplet-like 副题 under the news line
        (
            ["民生工程跑出“加速度”", "全县新建改建农村公路５６公里", "总投资３．２亿元 惠及群众十二万人"],
            ("民生工程跑出“加速度”", "全县新建改建农村公路５６公里", "总投资３．２亿元 惠及群众十二万人"),
        ),
        # 引题 / 主题 / 副题 with a dash
        (
            ["乡村振兴看东湖", "小庭院里做出大文章", "——东湖镇美丽庭院建设见闻"],
            ("乡村振兴看东湖", "小庭院里做出大文章", "——东湖镇美丽庭院建设见闻"),
        ),
        # a kicker of two phrases over a one-phrase headline
        (
            ["稳增长 促发展", "一季度全县工业产值增长9.6%"],
            ("稳增长 促发展", "一季度全县工业产值增长9.6%", ""),
        ),
        # a headline over a 副题 of two phrases
        (
            ["全县今年实施农田水利项目8个", "总投资1.26亿元 汛前完成主体工程"],
            ("", "全县今年实施农田水利项目8个", "总投资1.26亿元 汛前完成主体工程"),
        ),
        # one headline wrapped over three lines stays one headline
        (
            ["东湖镇中心小学", "建校一百周年", "校庆活动举行"],
            ("", "东湖镇中心小学 建校一百周年 校庆活动举行", ""),
        ),
        # a 副题 clearly longer than the 引题 and 主题 over it
        (
            ["项目建设跑出加速度", "开发区签约项目27个", "总投资126.8亿元同比增长31.5%"],
            ("项目建设跑出加速度", "开发区签约项目27个", "总投资126.8亿元同比增长31.5%"),
        ),
        # a short two-line headline is one headline, not a 主题 with a 副题
        (["文明祭扫", "让清明更“清明”"], ("", "文明祭扫 让清明更“清明”", "")),
        # a long headline over a short second line is one headline
        (
            ["电动自行车及头盔质量抽检", "6批次产品不合格"],
            ("", "电动自行车及头盔质量抽检 6批次产品不合格", ""),
        ),
    ],
)
def test_title_stacks(lines, expected):
    assert split_title(lines) == expected


# ---------------------------------------------------------------- photo credits


def test_photo_credit_belongs_to_its_caption_and_the_headline_under_it():
    caption = "5月5日，东湖镇村民在田间抢收油菜籽。今年全镇种植油菜一万二千亩，喜获丰收。"
    text = page(
        "东湖镇推进人居环境整治\n本报记者 张　平",
        wrap(A),
        wrap(caption, 20) + ["记者 陈一帆 摄", "油菜丰收"],
        "县图书馆城南分馆开馆",
        wrap("本报讯（记者 王　军）" + D),
    )
    parsed = parse_page(text)
    story, photo, other = parsed.articles
    assert credits(story) == [("张平", "记者")]
    assert (photo.headline, credits(photo), paras(photo)) == ("油菜丰收", [("陈一帆", "摄影")], [caption])
    assert other.headline == "县图书馆城南分馆开馆"
    nothing_lost(text, parsed)


@pytest.mark.parametrize("credit", ["林　峰 摄", "通讯员 庄　毅 摄", "本报记者 陈一帆 摄"])
def test_photo_news_column(credit):
    cap1 = "5月5日，东湖镇村民在田间抢收油菜籽，今年全镇油菜喜获丰收。"
    cap2 = "近日，县实验小学学生走进茶园，跟着茶农学习采摘和炒制新茶。"
    text = page(
        "图片新闻\n油菜丰收\n" + "\n".join(wrap(cap1, 20)) + "\n" + credit,
        "\n".join(wrap(cap2, 20)) + "\n柯文杰 摄",
    )
    parsed = parse_page(text)
    first, second = parsed.articles
    assert first.headline == "油菜丰收" and paras(first) == [cap1]
    assert [r for _, r in credits(first)] == ["摄影"]
    assert (second.headline, credits(second), paras(second)) == ("", [("柯文杰", "摄影")], [cap2])
    assert parsed.banner == ["图片新闻"]


def test_bracketed_photo_credit_at_end_of_caption():
    caption = "5月5日，游客在东湖湿地公园观鸟。眼下正是候鸟迁徙季节，吸引大批游客前来观赏。"
    lines = wrap(caption, 20)
    lines[-1] += "（记者 陈一帆 实习生 周可馨 摄）"
    (a,) = parse_page(page("湿地观鸟", lines)).articles
    assert a.headline == "湿地观鸟" and paras(a) == [caption]
    assert credits(a) == [("陈一帆", "摄影"), ("周可馨", "摄影")]


# ---------------------------------------------------------------- continuations and jumps


def test_continuation_headline_after_from_jump():
    text = page("（上接1版）\n东湖镇人居环境整治\n跑出“加速度”", wrap(B, 14), wrap(C, 14))
    (a,) = parse_page(text).articles
    assert a.headline == "东湖镇人居环境整治 跑出“加速度”"
    assert a.continued_from_page == 1 and a.bylines == []
    assert paras(a) == [B, C]


def test_from_jump_after_the_headline():
    text = page("东湖镇人居环境整治\n跑出“加速度”\n（上接第１版）", wrap(B, 14))
    (a,) = parse_page(text).articles
    assert (a.headline, a.continued_from_page, paras(a)) == ("东湖镇人居环境整治 跑出“加速度”", 1, [B])


@pytest.mark.parametrize(
    ("jump", "to"), [("下转第3版", 3), ("（下转第６版）", 6), ("下转７版", 7), ("（下转3版）", 3)]
)
def test_jumps_bare_bracketed_full_width(jump, to):
    text = page("东湖镇推进人居环境整治", "本报记者 张　平", wrap(A), wrap(B) + [jump])
    (a,) = parse_page(text).articles
    assert a.continued_to_page == to and a.jump_text == [jump]
    assert paras(a) == [A, B]


# ---------------------------------------------------------------- stories without dateline


def test_story_without_dateline_after_another_story_body_is_its_own():
    text = page(
        "东湖镇推进人居环境整治",
        "记者 张　平",
        wrap(A),
        wrap(B),
        wrap(D),
        wrap(E) + ["县图书馆城南分馆开馆"],
    )
    parsed = parse_page(text)
    first, second = parsed.articles
    assert first.headline == "东湖镇推进人居环境整治" and paras(first) == [A, B]
    assert second.headline == "县图书馆城南分馆开馆" and paras(second) == [D, E]
    assert second.bylines == []


def test_collected_headlines_over_their_stories_matched_by_content():
    text = page(
        "县供电公司检修\n山区电力线路",
        "县图书馆城南分馆\n正式开馆",
        "东湖镇推进农村\n人居环境整治",
        wrap("本报讯（记者 王　军）" + A),
        wrap(B),
        wrap("本报讯（通讯员 李　华）" + D),
        wrap(E),
        wrap(F),
    )
    parsed = parse_page(text)
    assert [a.headline for a in parsed.articles] == [
        "东湖镇推进农村 人居环境整治",
        "县图书馆城南分馆 正式开馆",
        "县供电公司检修 山区电力线路",
    ]
    assert [paras(a) for a in parsed.articles] == [[A, B], [D, E], [F]]
    assert parsed.unassigned == []


# ---------------------------------------------------------------- tables


def test_table_rows_are_one_paragraph_each():
    text = page(
        "东湖镇推进人居环境整治\n记者 张　平",
        wrap(A),
        "2025年各村整治进度一览\n"
        "村名          清理沟渠（公里）      整治进度\n"
        "湖头村          12.5                80%\n"
        "溪边村           8.0               -\n"
        "山后村           6.2                65%\n"
        "（数据来源：东湖镇政府）",
        wrap(C),
    )
    parsed = parse_page(text)
    (a,) = parsed.articles
    assert paras(a) == [
        A,
        "2025年各村整治进度一览",
        "村名 清理沟渠（公里） 整治进度",
        "湖头村 12.5 80%",
        "溪边村 8.0 -",
        "山后村 6.2 65%",
        "（数据来源：东湖镇政府）",
        C,
    ]
    nothing_lost(text, parsed)
