"""Properties: parse_page never raises, and nothing in the input is lost.

Pages are generated from pieces of the real front page (paragraphs, titles,
credits, jump markers, banner lines), laid out the way the PDF extraction does
it (random column widths, indents, blank lines at column breaks, layout spaces),
shuffled, with junk lines and mutated characters.
"""

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editions.importer import accounted_text, parse_page
from editions.importer.text import char_width

PARAGRAPHS = [
    "昨日，冷空气如约而至，晋江一下从暖意融融的好天气切换成“大风+降温”模式。晋江市气象台昨日9时28分发布了大风黄色预警信号。",
    "今天多云，气温12℃~18℃，沿海东北风5~6级、阵风7~8级；明天多云，气温13℃~20℃，沿海东北风4~5级。",
    "活动现场举行了安海实验幼儿园新园区落成剪彩仪式、爱心捐赠授牌仪式，以及安海镇幼儿教师师能提升专项资金启动仪式。",
    "欢迎广大民众和企业就以上单位职责范围内的事务，拨打市长专线电话85612345进行咨询、提出意见和建议。",
    "时间回溯到2016年，彼时，晋江正式对外宣告要举全市之力发展集成电路产业。“中国鞋都能造芯片？”“做芯片可比做鞋子难多了！”",
    "据统计，1—11月，晋江市二手房成交94.31万平方米，同比增加22.79%，其中，晋江以外的购房客群比例高达61.6%。",
    "第一幕“红帆”登场时，海面上26艘船射出绚烂的烟花。蔡国强表示，并用人工智能 cAITM进行二次创作，弥补遗憾。",
    "据悉，未来，蔡国强烟花秀将成为泉州的标志性城市 IP，以求吸引越来越多国内外游客。",
    "勇立潮头、主动出击；谋势而动、乘势而兴。创新发展“晋江经验”，一个新晋江正呼之欲出！",
    "“目前，我们正紧锣密鼓地安装调试设备，希望能为尽快量产做足准备工作。”兰州大学国家核产业研究院副院长顾龙说。",
]
DATELINES = [
    "本报讯（记者 林伊婷 秦越）",
    "本报讯（记者 张茂霖） ",
    "本报讯（记者 柯雅雅 董严军）",
    "本报讯（记者 王五 通讯员 李四）",
]
TITLES = [
    ["今起阳光回归", "气温小幅回暖"],
    ["安海实验幼儿园", "幼儿教育145周年", "办学成果展举行"],
    ["晋江市交通运输局、", "林业和园林绿化局", "本周轮值接听市长专线"],
    ["“芯”晋江“核”动能"],
    ["福祉“放心尖”筑就“幸福家”", "晋江全力提升全市住宅小区治理能力和服务水平"],
    ["蔡国强作品《红帆》在家乡绽放", "“希望每年都回泉州放烟花”"],
    ["百亿“芯”曲线"],
    ["“吸睛”又“吸金”", "老旧小区“脱胎换骨”"],
]
CREDITS = [
    "本报记者 张茂霖",
    "本报记者 柯国笠 许春",
    "□ 本报评论员 郑言",
    "记者 陈晓东 摄",
    "本报记者 王五 实习生 赵六",
]
OTHERS = [
    "（下转2版）",
    "（上接1版）",
    " 创新发展“晋江经验”奋力打造中国式现代化县域示范",
    "2023年福建省报刊十大名栏目",
]
POOL = (
    "".join(sorted(set("".join(PARAGRAPHS + DATELINES + CREDITS + OTHERS + [s for t in TITLES for s in t]))))
    + "（）  \t"
)


@st.composite
def wrapped_paragraph(draw):
    text = draw(st.sampled_from(PARAGRAPHS))
    if draw(st.booleans()):
        text = draw(st.sampled_from(DATELINES)) + text
    width = draw(st.integers(min_value=6, max_value=34))
    indent = draw(st.integers(min_value=0, max_value=3))
    lines, first = [], True
    while text:
        n = max(1, width - (indent if first else 0))
        lines.append(text[:n])
        text = text[n:]
        first = False
    out = []
    for line in lines:
        if draw(st.integers(0, 5)) == 0:  # justification spaces
            line = " ".join(line)
        out.append(line)
        if draw(st.integers(0, 6)) == 0:  # column break
            out.append("")
    return out


frame = st.one_of(
    wrapped_paragraph(),
    st.sampled_from(TITLES),
    st.sampled_from(CREDITS).map(lambda s: [s]),
    st.sampled_from(OTHERS).map(lambda s: [s]),
    st.lists(st.text(alphabet=POOL, max_size=20), min_size=1, max_size=3),  # junk lines
)


@st.composite
def page_text(draw):
    frames = draw(st.lists(frame, min_size=1, max_size=14))
    frames = draw(st.permutations(frames))
    chunks = []
    for f in frames:
        chunks.append("\n".join(f))
        chunks.append("\n" * draw(st.integers(0, 2)))
    text = "\n".join(chunks)
    # mutate a few characters
    chars = list(text)
    for _ in range(draw(st.integers(0, 4))):
        if chars:
            k = draw(st.integers(0, len(chars) - 1))
            chars[k] = draw(st.sampled_from(POOL + "\n"))
    text = "".join(chars)
    if draw(st.booleans()):
        text = text.replace("\n", draw(st.sampled_from(["\r\n", "\r", "\n"])))
    return text


def non_ws(s: str) -> Counter:
    return Counter("".join(s.split()))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page_text())
def test_nothing_lost_on_generated_pages(text):
    page = parse_page(text, source="gen")
    assert non_ws(accounted_text(page)) == non_ws(text)
    assert sum(a.is_lead for a in page.articles) <= 1
    for article in page.articles:
        for block in article.body:
            assert block.type in ("paragraph", "subhead")
        for byline in article.bylines:
            assert byline.role in ("记者", "通讯员", "实习生", "摄影", "评论员", "编辑")
    page.to_dict()


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_raises_on_arbitrary_text(text):
    page = parse_page(text)
    assert non_ws(accounted_text(page)) == non_ws(text)
    page.to_dict()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(PARAGRAPHS[:6]), min_size=1, max_size=4), st.integers(12, 30))
def test_wrapped_paragraphs_come_back_whole(paragraphs, width):
    """Paragraphs set in a column with an indented first line are re-joined in
    order, with nothing lost or doubled and no layout artefacts. (Where exactly
    a paragraph breaks can be ambiguous when a sentence ends exactly at the end
    of a full line: that is pinned on the real page and in test_importer_parse.)"""
    lines = []
    for text in paragraphs:
        # wrap by printed width (em), as the column does; first line indented 2 em
        line, limit = "", width - 2
        for ch in text:
            # (kinsoku: closing punctuation never starts a line, it hangs at the end)
            if char_width(ch) + sum(char_width(c) for c in line) > limit and ch not in "，。、；：？！”’）":
                lines.append(line)
                line, limit = "", width
            line += ch
        lines += [line, ""]
    page = parse_page("本报记者 张茂霖\n\n" + "\n".join(lines))
    (article,) = page.articles
    got = [b.text for b in article.body]
    assert "".join(got) == "".join(paragraphs)
    assert all(b.type == "paragraph" for b in article.body)
