"""End to end: the real front page (晋江经济报 2024-12-09, page 1) decodes and parses as printed."""

from collections import Counter
from pathlib import Path

import pytest

from editions.importer import accounted_text, decode_bytes, parse_page

# The project ships the seed page in fixtures/seeds/ (a copy of shared/seeds/).
SEED = Path(__file__).resolve().parents[3] / "fixtures" / "seeds" / "000_0566e1bba8b8effc.txt"


@pytest.fixture(scope="module")
def page():
    decoded = decode_bytes(SEED.read_bytes(), source=SEED.name)
    assert decoded.encoding == "utf-8"
    return parse_page(decoded.text, source=SEED.name, encoding=decoded.encoding, page_number=1)


def paras(article):
    return [b.text for b in article.body if b.type == "paragraph"]


def subheads(article):
    return [b.text for b in article.body if b.type == "subhead"]


def test_six_articles_in_reading_order(page):
    assert [a.headline for a in page.articles] == [
        "今起阳光回归 气温小幅回暖",
        "安海实验幼儿园 幼儿教育145周年 办学成果展举行",
        "晋江市交通运输局、林业和园林绿化局 本周轮值接听市长专线",
        "“芯”晋江“核”动能",
        "福祉“放心尖”筑就“幸福家”",
        "蔡国强作品《红帆》在家乡绽放",
    ]
    assert [a.kicker for a in page.articles] == [""] * 6
    assert [a.subheadline for a in page.articles] == [
        "",
        "",
        "",
        "",
        "晋江全力提升全市住宅小区治理能力和服务水平",
        "“希望每年都回泉州放烟花”",
    ]
    assert [len(paras(a)) for a in page.articles] == [3, 4, 2, 24, 14, 5]
    assert [a.is_lead for a in page.articles] == [False, False, False, True, False, False]
    assert page.lead is page.articles[3]


def test_banner_and_nothing_unassigned(page):
    assert page.banner == ["创新发展“晋江经验”奋力打造中国式现代化县域示范", "2023年福建省报刊十大名栏目"]
    assert page.unassigned == []
    assert page.unassigned_chars == 0


def test_credits(page):
    got = [(a.dateline, [(b.name, b.role) for b in a.bylines]) for a in page.articles]
    assert got == [
        ("本报记者", [("张茂霖", "记者")]),
        ("本报讯", [("林伊婷", "记者"), ("秦越", "记者")]),
        ("本报讯", [("张茂霖", "记者")]),
        ("本报记者", [("柯国笠", "记者"), ("许春", "记者")]),
        ("本报记者", [("蔡斯洵", "记者")]),
        ("本报讯", [("柯雅雅", "记者"), ("董严军", "记者")]),
    ]


def test_jumps(page):
    assert [(a.continued_to_page, a.continued_from_page) for a in page.articles] == [(None, None)] * 3 + [
        (2, None)
    ] + [(None, None)] * 2
    lead = page.articles[3]
    assert lead.jump_text == ["（下转2版）"]
    assert not any("下转" in b.text for a in page.articles for b in a.body)


def test_weather(page):
    a = page.articles[0]
    assert paras(a) == [
        "昨日，冷空气如约而至，晋江一下从暖意融融的好天气切换成“大风+降温”模式。晋江市气象台昨日9时28分发布了大风黄色预警信号。据监测，晋江沿海风力达7~8级，午后最高气温也降至17℃上下。",
        "瑞雪从晋江市气象局获悉，预计未来几天，晋江以多云天气为主，阳光再次回归，沿海风力逐渐减弱，气温也将有所回升，后天，晋江白天的最高气温将重返22℃。不过，近期夜晨气温依旧较低，大家要注意添衣保暖。",
        "今天多云，气温12℃~18℃，沿海东北风5~6级、阵风7~8级；明天多云，气温13℃~20℃，沿海东北风4~5级、阵风6~7级；后天多云，气温15℃~22℃，沿海东北风3~4级、阵风5~6级。",
    ]
    assert subheads(a) == []


def test_kindergarten(page):
    a = page.articles[1]
    p = paras(a)
    assert p[0] == (
        "昨日上午，晋江市安海实验幼儿园（原铸英小学）幼儿教育145周年办学成果展示交流活动在安海实验幼儿园新园区举行。"
        "晋江市委副书记吴志朴参加活动。"
    )
    assert p[2] == (
        "据了解，在安海实验幼儿园建园145周年之际，海内外校友及社会贤达热烈响应爱心捐款行动，共筹集善款750多万元，"
        "将用于支持学园高质量发展。其中，100万元作为安海镇幼儿教师师能提升专项资金。"
    )
    assert p[-1].startswith("据悉，自1879年办园以来") and p[-1].endswith("赢得了社会各界的广泛赞誉。")


def test_hotline(page):
    a = page.articles[2]
    assert paras(a) == [
        "昨日，记者从晋江市市长专线办获悉，10日（星期二）下午3时至5时，晋江市林业和园林绿化局局长曾伙明将轮值接听市长专线电话。"
        "12日（星期四）下午3时至5时，晋江市交通运输局局长王景珊将轮值接听市长专线电话。",
        "欢迎广大民众和企业就以上单位职责范围内的事务，拨打市长专线电话85612345进行咨询、提出意见和建议。",
    ]


def test_lead_reading_order(page):
    a = page.articles[3]
    types = [b.type for b in a.body]
    assert types == ["paragraph"] * 4 + ["subhead"] + ["paragraph"] * 13 + ["subhead"] + ["paragraph"] * 7
    assert subheads(a) == ["百亿“芯”曲线", "再起“核”动能"]
    p = paras(a)
    assert p[0] == (
        "5日，在2024晋江国资企业-湾区合作项目推介活动（大湾区专场）上，集成电路、大健康、大医疗等领域17个项目现场签约。"
        "往前一周，在2024中国上市公司发展论坛“竞速‘芯’赛道共赢‘芯’未来”活动上，HBM、高阶封装配套产业链项目等落地……"
        "近一个月，新兴产业目光齐聚晋江。"
    )
    assert p[2].endswith("加速构建产业发展新能级。")
    assert p[3] == "勇立潮头、主动出击；谋势而动、乘势而兴。创新发展“晋江经验”，一个新晋江正呼之欲出！"
    assert p[4].startswith("日前，记者走进位于晋江新塘的芯智造产业园项目一期")
    # a blank line inside a sentence (column break) does not break the paragraph
    assert p[6] == "近年来，晋江市不断完善产业链配套，选择落地晋江的集成电路企业越来越多。"
    assert p[8] == (
        "时间回溯到2016年，彼时，晋江正式对外宣告要举全市之力发展集成电路产业。“中国鞋都能造芯片？”"
        "“做芯片可比做鞋子难多了！”“晋江没有基础，怎么和别人争？”——当时，不仅是业内专家，不少晋江人都提出了各种质疑。"
    )
    assert p[16] == "今年，以集成电路为核心的新一代信息技术产业产值将突破百亿元，成为晋江经济新增长极。"
    assert p[17] == (
        "当集成电路的“新苗”初长成，“睡不着的晋江人”又将目光落在了医疗界的“航空母舰”——核医学上。"
        "核医疗大健康产业是晋江种下的又一颗新“种子”。"
    )
    assert (
        p[-1]
        == "不只睿斯科项目落地，今年9月，正大制药集团全面战略合作暨投资招商签约仪式在晋江举行，将落地3个高端医疗器械项目。"
    )


def test_welfare_story_body_before_headline(page):
    a = page.articles[4]
    assert subheads(a) == ["“吸睛”又“吸金” 老旧小区“脱胎换骨”", "“民声”惠“民生” 住宅小区品质提升"]
    types = [b.type for b in a.body]
    assert types == ["paragraph"] * 4 + ["subhead"] + ["paragraph"] * 6 + ["subhead"] + ["paragraph"] * 4
    p = paras(a)
    assert (
        p[0]
        == "党的二十届三中全会提出，加强普惠性、基础性、兜底性民生建设，解决好人民最关心最直接最现实的利益问题。"
    )
    assert "成交94.31万平方米，同比增加22.79%" in p[3]
    assert p[3].endswith("同比上升26.67%。")
    assert p[5].startswith("“在小区的管理品质提升过程中，")
    assert p[5].endswith(
        "乱搭乱建和随意占用公共场所及消防通道的现象得到了明显改善，荒废的绿化带重新焕发了生机。"
    )
    assert p[11].endswith("增加了广大业主的安全感。”")
    assert p[-1].startswith("据了解，近年来，晋江注重基层首创")
    assert p[-1].endswith("推行小区邻里公约，持续提升小区自治能力。")


def test_fireworks(page):
    a = page.articles[5]
    p = paras(a)
    assert p[0] == (
        "昨日下午，在泉州湾的海空之间，泉州籍当代著名艺术家蔡国强以无人机烟花为笔，以“泉州历史”“传统文化”“女性”"
        "三个关键词为主题，为家乡泉州献上了一场宇宙级的浪漫——无人机烟花表演《红帆》。贾樟柯、赵丽颖、林更新、欧阳娜娜、"
        "窦靖童、董宇辉、卡琳娜等大咖也来到现场观看表演。"
    )
    assert "并用人工智能 cAITM进行二次创作" in p[2]
    assert p[-1].startswith("据悉，未来，蔡国强烟花秀将成为泉州的标志性城市 IP，以求吸引")
    assert p[-1].endswith("助力泉州文旅经济实现高质量发展。")


def test_no_layout_spaces_left(page):
    for a in page.articles:
        for text in paras(a):
            for k, ch in enumerate(text):
                if ch == " ":
                    left, right = text[k - 1], text[k + 1]
                    assert left.isascii() or right.isascii(), text


def test_nothing_lost(page):
    source = SEED.read_text(encoding="utf-8")
    want = Counter("".join(source.split()))
    got = Counter("".join(accounted_text(page).split()))
    assert got == want


def test_json_shape(page):
    d = page.to_dict()
    assert d["source"] == SEED.name and d["encoding"] == "utf-8" and d["page_number"] == 1
    assert set(d) >= {"source", "encoding", "page_number", "banner", "unassigned", "articles"}
    art = d["articles"][1]
    assert set(art) >= {
        "kicker",
        "headline",
        "subheadline",
        "dateline",
        "bylines",
        "body",
        "continued_to_page",
        "continued_from_page",
    }
    assert art["bylines"][0] == {"name": "林伊婷", "role": "记者"}
    assert art["body"][0]["type"] == "paragraph"
    assert d["articles"][3]["continued_to_page"] == 2
    assert d["articles"][3]["continued_from_page"] is None
