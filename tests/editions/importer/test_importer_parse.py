"""parse_page, phenomenon by phenomenon, on small texts."""

import pytest

from editions.importer import decode_bytes, parse_page
from editions.importer.bylines import join_name_break, parse_credit, split_dateline
from editions.importer.text import ends_sentence, remove_layout_spaces
from editions.importer.titles import split_title

from .helpers import P1, P2, P3, page, wrap


def paras(article):
    return [b.text for b in article.body if b.type == "paragraph"]


def body(article):
    return [(b.type, b.text) for b in article.body]


# ---------------------------------------------------------------- text helpers


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("成 交 94.31 万 平 方 米 ，同 比 增 加", "成交94.31万平方米，同比增加"),
        ("昨日 9时28分", "昨日9时28分"),
        ("领域17 个项目", "领域17个项目"),
        ("在 2024 中国上市公司", "在2024中国上市公司"),
        ("风 7~8级；气温 13℃~20℃", "风7~8级；气温13℃~20℃"),
        ("比例高达 61.6%；11月", "比例高达61.6%；11月"),
        ("并用人工智能 cAITM进行", "并用人工智能 cAITM进行"),
        ("标志性城市 IP，以求", "标志性城市 IP，以求"),
        ("他说：Hello World！", "他说：Hello World！"),
        ("Hello  World", "Hello World"),
        ("电话 85612345进行", "电话85612345进行"),
        ("（记者 张茂霖） 昨日", "（记者张茂霖）昨日"),
    ],
)
def test_remove_layout_spaces(raw, clean):
    assert remove_layout_spaces(raw) == clean


@pytest.mark.parametrize(
    ("line", "final"),
    [
        ("保暖。", True),
        ("红火。”", True),
        ("的量产）。", True),
        ("难多了！”", True),
        ("以“泉州历史”", False),
        ("初长成，", False),
    ],
)
def test_ends_sentence(line, final):
    assert ends_sentence(line) is final


# ---------------------------------------------------------------- credits


def test_parse_credit_forms():
    c = parse_credit("本报记者 柯国笠 许春", standalone=True)
    assert c.label == "本报记者" and [(e.name, e.role) for e in c.entries] == [
        ("柯国笠", "记者"),
        ("许春", "记者"),
    ]
    c = parse_credit("记者 王小明 通讯员 李四 张三", standalone=False)
    assert [(e.name, e.role) for e in c.entries] == [
        ("王小明", "记者"),
        ("李四", "通讯员"),
        ("张三", "通讯员"),
    ]
    c = parse_credit("□ 本报评论员 郑言", standalone=True)
    assert c.label == "本报评论员" and [(e.name, e.role) for e in c.entries] == [("郑言", "评论员")]
    c = parse_credit("记者 陈晓东 摄", standalone=True)
    assert c.is_photo and c.label == "" and [(e.name, e.role) for e in c.entries] == [("陈晓东", "摄影")]
    c = parse_credit("本报记者 王五 实习生 赵六", standalone=True)
    assert [(e.name, e.role) for e in c.entries] == [("王五", "记者"), ("赵六", "实习生")]
    c = parse_credit("记者林伊婷", standalone=False)
    assert [(e.name, e.role) for e in c.entries] == [("林伊婷", "记者")]


@pytest.mark.parametrize(
    "line",
    [
        "记者从晋江市市长专线办获悉",
        "记者了解到",
        "本报记者",
        "张茂霖",
        "记者 一个很长很长的名字",
        "今起阳光回归",
    ],
)
def test_not_a_credit(line):
    assert parse_credit(line, standalone=True) is None


def test_name_break_rule():
    assert join_name_break("记者 柯雅雅 董严", "军）") == "记者 柯雅雅 董严军）"
    assert join_name_break("记者 林", "伊婷 秦越") == "记者 林伊婷 秦越"
    assert join_name_break("记者 柯雅雅", "董严军") == "记者 柯雅雅 董严军"
    assert join_name_break("记者 王五", "李四") == "记者 王五 李四"
    assert join_name_break("记者", "王五") == "记者 王五"


def test_split_dateline():
    d = split_dateline("本报讯（记者 柯雅雅 董严\n军）昨日下午，在泉州湾")
    assert d.label == "本报讯"
    assert [(e.name, e.role) for e in d.entries] == [("柯雅雅", "记者"), ("董严军", "记者")]
    assert d.rest == "昨日下午，在泉州湾"
    d = split_dateline("本报讯（记者 柯雅雅\n董严军）昨日")
    assert [e.name for e in d.entries] == ["柯雅雅", "董严军"]
    d = split_dateline("本报讯 昨日，全市召开会议。")
    assert d.label == "本报讯" and d.entries == [] and d.rest.strip() == "昨日，全市召开会议。"
    d = split_dateline("新华社北京12月8日电（记者 王五）今天")
    assert d.label == "新华社北京12月8日电" and d.entries[0].name == "王五"
    assert split_dateline("昨日，本报讯息") is None


# ---------------------------------------------------------------- titles


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["今起阳光回归"], ("", "今起阳光回归", "")),
        (["今起阳光回归", "气温小幅回暖"], ("", "今起阳光回归 气温小幅回暖", "")),
        (
            ["晋江市交通运输局、", "林业和园林绿化局", "本周轮值接听市长专线"],
            ("", "晋江市交通运输局、林业和园林绿化局 本周轮值接听市长专线", ""),
        ),
        (
            ["福祉“放心尖”筑就“幸福家”", "晋江全力提升全市住宅小区治理能力和服务水平"],
            ("", "福祉“放心尖”筑就“幸福家”", "晋江全力提升全市住宅小区治理能力和服务水平"),
        ),
        (
            ["蔡国强作品《红帆》在家乡绽放", "“希望每年都回泉州放烟花”"],
            ("", "蔡国强作品《红帆》在家乡绽放", "“希望每年都回泉州放烟花”"),
        ),
        (
            ["坚持创新驱动 加快转型升级步伐", "晋江产业焕新", "——记晋江市集成电路产业发展"],
            ("坚持创新驱动 加快转型升级步伐", "晋江产业焕新", "——记晋江市集成电路产业发展"),
        ),
        (["聚焦民生实事：", "老旧小区换新颜"], ("聚焦民生实事：", "老旧小区换新颜", "")),
        (["今 起 阳 光 回 归"], ("", "今起阳光回归", "")),
    ],
)
def test_split_title(lines, expected):
    assert split_title(lines) == expected


# ---------------------------------------------------------------- bylines in pages


def test_byline_line():
    p = parse_page(page("本报记者 张茂霖", wrap(P1), wrap(P2)))
    (a,) = p.articles
    assert a.dateline == "本报记者"
    assert [(b.name, b.role) for b in a.bylines] == [("张茂霖", "记者")]
    assert paras(a) == [P1, P2]


def test_dateline_opening_first_paragraph():
    p = parse_page(page("项目建设提速", wrap("本报讯（记者 林伊婷 秦越）" + P1), wrap(P2)))
    (a,) = p.articles
    assert a.headline == "项目建设提速"
    assert a.dateline == "本报讯"
    assert [(b.name, b.role) for b in a.bylines] == [("林伊婷", "记者"), ("秦越", "记者")]
    assert paras(a) == [P1, P2]
    assert a.credit_text == ["本报讯（记者 林伊婷 秦越）"]


def test_dateline_reporter_and_correspondent():
    p = parse_page(page("项目建设提速", wrap("本报讯（记者 王小明 通讯员 李四 张三）" + P1)))
    (a,) = p.articles
    assert [(b.name, b.role) for b in a.bylines] == [
        ("王小明", "记者"),
        ("李四", "通讯员"),
        ("张三", "通讯员"),
    ]
    assert paras(a) == [P1]


def test_commentator():
    p = parse_page(page("以实干担当书写发展新篇", "□ 本报评论员 郑言", wrap(P1), wrap(P3)))
    (a,) = p.articles
    assert a.headline == "以实干担当书写发展新篇"
    assert a.dateline == "本报评论员"
    assert [(b.name, b.role) for b in a.bylines] == [("郑言", "评论员")]


def test_photo_credit_and_intern():
    p = parse_page(page("项目建设提速", "本报记者 王五 实习生 赵六", wrap(P1), wrap(P2), "记者 陈晓东 摄"))
    (a,) = p.articles
    assert a.dateline == "本报记者"
    assert [(b.name, b.role) for b in a.bylines] == [("王五", "记者"), ("赵六", "实习生"), ("陈晓东", "摄影")]
    assert paras(a) == [P1, P2]


def test_name_broken_across_lines():
    text = page(
        "烟花绽放泉州湾", "本报讯（记者 柯雅雅 董严\n军）昨日下午，在泉州湾的海空之\n间举行了烟花表演。"
    )
    (a,) = parse_page(text).articles
    assert [(b.name, b.role) for b in a.bylines] == [("柯雅雅", "记者"), ("董严军", "记者")]
    assert paras(a) == ["昨日下午，在泉州湾的海空之间举行了烟花表演。"]


# ---------------------------------------------------------------- paragraphs


def test_blank_line_mid_sentence_is_not_a_break():
    lines = wrap(P1)
    text = page("项目建设提速", "本报记者 张茂霖", "\n".join(lines[:2]), "\n".join(lines[2:]), wrap(P2))
    (a,) = parse_page(text).articles
    assert paras(a) == [P1, P2]


def test_paragraph_break_without_blank_line():
    text = page("项目建设提速", "本报记者 张茂霖", wrap(P1) + wrap(P2) + wrap(P3))
    (a,) = parse_page(text).articles
    assert paras(a) == [P1, P2, P3]


def test_full_line_ending_a_sentence_mid_paragraph():
    # the sentence ends exactly at a full line: no break, the next line is not indented
    para = "一二三四五六七八九十一二三。" + "一二三四五六七八九十一二三四五" + "完了。"
    text = page("测试标题", "本报记者 张茂霖", wrap(para), wrap(P2))
    (a,) = parse_page(text).articles
    assert paras(a) == [para, P2]


def test_layout_spaces_in_page():
    text = page(
        "二手房交易回暖",
        "本报记者 蔡斯洵",
        "据统计，1—11月，晋江市二手\n房成 交 94.31 万 平 方 米 ，同 比 增\n加22.79%。晋江市气象台昨日 9\n时28分发布了预警，17 个项目签约。",
    )
    (a,) = parse_page(text).articles
    assert paras(a) == [
        "据统计，1—11月，晋江市二手房成交94.31万平方米，同比增加22.79%。晋江市气象台昨日9时28分发布了预警，17个项目签约。"
    ]


def test_latin_spaces_kept():
    text = page(
        "城市名片",
        "本报记者 蔡斯洵",
        "蔡国强烟花秀将成为泉州的标志性城\n市 IP，用人工智能 cAITM创作，他说\nHello World。",
    )
    (a,) = parse_page(text).articles
    assert paras(a) == ["蔡国强烟花秀将成为泉州的标志性城市 IP，用人工智能 cAITM创作，他说Hello World。"]


def test_wrapped_latin_word_gets_its_space_back():
    text = page("城市名片", "本报记者 蔡斯洵", "他用英文说了一句话：Hello\nWorld，全场鼓掌。")
    (a,) = parse_page(text).articles
    assert paras(a) == ["他用英文说了一句话：Hello World，全场鼓掌。"]


# ---------------------------------------------------------------- subheads


def test_subhead_with_and_without_blank_after():
    text = page(
        "项目建设提速",
        "本报记者 张茂霖",
        wrap(P1),
        "攻坚克难",
        wrap(P2),
        "再起“核”动能\n" + "\n".join(wrap(P3)),
    )
    (a,) = parse_page(text).articles
    assert body(a) == [
        ("paragraph", P1),
        ("subhead", "攻坚克难"),
        ("paragraph", P2),
        ("subhead", "再起“核”动能"),
        ("paragraph", P3),
    ]


def test_two_line_subhead():
    text = page("项目建设提速", "本报记者 张茂霖", wrap(P1), "“吸睛”又“吸金”\n老旧小区“脱胎换骨”", wrap(P2))
    (a,) = parse_page(text).articles
    assert body(a) == [("paragraph", P1), ("subhead", "“吸睛”又“吸金” 老旧小区“脱胎换骨”"), ("paragraph", P2)]


def test_paragraph_opening_an_unclosed_quote_is_not_a_subhead():
    para = "“在小区的管理品质提升过程中，我们小区党支部、业委会和物业公司，大家心往一处想。”"
    text = page(
        "项目建设提速",
        "本报记者 张茂霖",
        wrap(P1),
        ["“在小区的管理品质提升过程"] + wrap(para[13:], 16)[0:0] + [para[13:]],
    )
    (a,) = parse_page(text).articles
    assert body(a) == [("paragraph", P1), ("paragraph", para)]


# ---------------------------------------------------------------- order of frames


def test_headline_after_body():
    text = page(
        wrap(P1),
        wrap(P2),
        "项目建设\n全面提速",
        "本报记者 蔡斯洵",
        "另一篇报道的标题",
        wrap("本报讯（记者 王五）" + P3),
    )
    p = parse_page(text)
    assert [a.headline for a in p.articles] == ["项目建设 全面提速", "另一篇报道的标题"]
    first, second = p.articles
    assert paras(first) == [P1, P2]
    assert [(b.name, b.role) for b in first.bylines] == [("蔡斯洵", "记者")]
    assert paras(second) == [P3]
    assert p.unassigned == []


def test_collected_headlines_matched_by_content():
    weather = "昨日，冷空气如约而至，晋江气温明显下降。预计未来几天，阳光再次回归，气温也将有所回升。"
    school = "昨日上午，安海实验幼儿园举行建园周年办学成果展示活动，海内外校友纷纷参加。"
    hotline = "记者从市长专线办获悉，本周由交通运输局局长轮值接听市长专线电话，欢迎来电。"
    text = page(
        "本报记者 张茂霖",
        wrap(weather),
        wrap("本报讯（记者 林伊婷）" + school),
        wrap("本报讯（记者 张三）" + hotline),
        "交通运输局局长轮值\n本周接听市长专线",
        "安海实验幼儿园\n办学成果展举行",
        "今起阳光回归\n气温小幅回暖",
    )
    p = parse_page(text)
    assert [a.headline for a in p.articles] == [
        "今起阳光回归 气温小幅回暖",
        "安海实验幼儿园 办学成果展举行",
        "交通运输局局长轮值 本周接听市长专线",
    ]
    assert [paras(a) for a in p.articles] == [[weather], [school], [hotline]]
    assert p.unassigned == []


def test_sections_before_headline_join_their_story_after_its_intro():
    intro = "近年来，晋江举全市之力发展集成电路、核医疗等新兴产业，重塑产业格局，一个新晋江正呼之欲出！"
    s1 = "日前，记者走进位于晋江新塘的芯智造产业园，集成电路企业纷纷入驻，芯片产业链逐步完善。"
    s2 = "核医疗大健康产业是晋江种下的又一颗新种子，核医学项目加快落地，集成电路与核医疗比翼齐飞。"
    other = "昨日，全市召开安全生产工作会议，部署冬季安全生产和消防安全各项工作，要求压实责任。"
    text = page(
        wrap("本报讯（记者 王五）" + other, 22),
        "百亿“芯”曲线",
        wrap(s1),
        "再起“核”动能",
        wrap(s2),
        "（下转2版）",
        "“芯”晋江“核”动能\n本报记者 柯国笠 许春",
        wrap(intro, 30),
    )
    p = parse_page(text)
    assert [a.headline for a in p.articles] == ["", "“芯”晋江“核”动能"]
    lead = p.articles[1]
    assert body(lead) == [
        ("paragraph", intro),
        ("subhead", "百亿“芯”曲线"),
        ("paragraph", s1),
        ("subhead", "再起“核”动能"),
        ("paragraph", s2),
    ]
    assert lead.continued_to_page == 2 and lead.is_lead
    assert paras(p.articles[0]) == [other]


# ---------------------------------------------------------------- jumps, banner, stacks


def test_continued_to_and_from():
    text = page("项目建设提速", "（上接1版）", wrap(P1), wrap(P2) + ["（下转3版）"])
    (a,) = parse_page(text).articles
    assert a.headline == "项目建设提速"
    assert (a.continued_from_page, a.continued_to_page) == (1, 3)
    assert paras(a) == [P1, P2]
    assert a.jump_text == ["（上接1版）", "（下转3版）"]


def test_inline_jump_at_paragraph_end():
    lines = wrap(P1)
    lines[-1] += "（下转第二版）"
    (a,) = parse_page(page("项目建设提速", "本报记者 张茂霖", lines)).articles
    assert a.continued_to_page == 2
    assert paras(a) == [P1]


def test_three_line_title_stack():
    text = page(
        "坚持创新驱动 加快转型升级步伐\n晋江产业焕新\n——记晋江市集成电路产业发展", "本报记者 张茂霖", wrap(P1)
    )
    (a,) = parse_page(text).articles
    assert (a.kicker, a.headline, a.subheadline) == (
        "坚持创新驱动 加快转型升级步伐",
        "晋江产业焕新",
        "——记晋江市集成电路产业发展",
    )


def test_banner_lines():
    text = page(
        "创新发展“晋江经验”奋力打造中国式现代化县域示范\n2023年福建省报刊十大名栏目",
        "本报记者 张茂霖",
        wrap(P1),
    )
    p = parse_page(text)
    assert p.banner == ["创新发展“晋江经验”奋力打造中国式现代化县域示范", "2023年福建省报刊十大名栏目"]
    (a,) = p.articles
    assert a.headline == "" and paras(a) == [P1]


def test_unplaceable_text_is_unassigned():
    text = page("本报记者 张茂霖", wrap(P1), "（下转2版）", "一段无头无尾的文字，\n没有标题也没有署名")
    p = parse_page(text)
    assert p.unassigned == ["一段无头无尾的文字，没有标题也没有署名"]
    assert p.unassigned_chars == len("一段无头无尾的文字，没有标题也没有署名")


@pytest.mark.parametrize("eol", ["\r\n", "\r"])
def test_crlf_and_cr_through_decode(eol):
    text = page("项目建设提速", "本报记者 张茂霖", wrap(P1), wrap(P2)).replace("\n", eol)
    d = decode_bytes(text.encode("utf-8"), source="p.txt")
    (a,) = parse_page(d.text, source="p.txt", encoding=d.encoding).articles
    assert paras(a) == [P1, P2]


@pytest.mark.parametrize("codec", ["utf-8-sig", "gb18030"])
def test_bom_and_gb18030_through_decode(codec):
    text = page("项目建设提速", "本报讯（记者 林伊婷）" + P1)
    d = decode_bytes(text.encode(codec), source="p.txt")
    assert d.encoding == codec
    p = parse_page(d.text, source="p.txt", encoding=d.encoding, page_number=3)
    assert p.encoding == codec and p.page_number == 3 and p.source == "p.txt"
    assert paras(p.articles[0]) == [P1]


def test_empty_page():
    p = parse_page("")
    assert p.articles == [] and p.banner == [] and p.unassigned == []
