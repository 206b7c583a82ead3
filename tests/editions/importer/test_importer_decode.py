"""decode_bytes: encodings recognised and reported, line ends normalised, bad input refused."""

import codecs
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editions.importer import DecodeError, decode_bytes

SAMPLE = "本报讯（记者 林伊婷 秦越）昨日上午，晋江市\n安海实验幼儿园举行活动。\n"


def test_utf8():
    d = decode_bytes(SAMPLE.encode("utf-8"), source="a.txt")
    assert (d.text, d.encoding) == (SAMPLE, "utf-8")


def test_utf8_bom_reported_and_stripped():
    d = decode_bytes(codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), source="a.txt")
    assert d.encoding == "utf-8-sig"
    assert d.text == SAMPLE
    assert not d.text.startswith("\ufeff")


@pytest.mark.parametrize("codec", ["gb18030", "gbk", "gb2312"])
def test_gb_family(codec):
    d = decode_bytes(SAMPLE.encode(codec), source="a.txt")
    assert d.encoding == "gb18030"
    assert d.text == SAMPLE


def test_gb18030_beyond_gbk():
    text = "𠀀字与€符号，还有全角标点：“引号”。\n"
    d = decode_bytes(text.encode("gb18030"), source="a.txt", min_ideographs=0)
    assert (d.text, d.encoding) == (text, "gb18030")


@pytest.mark.parametrize("eol", ["\r\n", "\r", "\n"])
def test_line_ends_normalised(eol):
    raw = eol.join(["第一行", "", "第二行，", "第三行。"]) + eol
    d = decode_bytes(raw.encode("utf-8"), source="a.txt", min_ideographs=0)
    assert d.text == "第一行\n\n第二行，\n第三行。\n"


def test_crlf_gb18030():
    d = decode_bytes("标题\r\n正文。\r\n".encode("gb18030"), source="a.txt", min_ideographs=0)
    assert d.text == "标题\n正文。\n"


def test_no_nfkc():
    text = "全角标点：，。！？（１２３）ＡＢＣ　℃\n"
    assert decode_bytes(text.encode("utf-8"), source="a.txt", min_ideographs=0).text == text


@pytest.mark.parametrize(
    "data", [b"", b"   \n\t\r\n", codecs.BOM_UTF8, codecs.BOM_UTF8 + b" \n", "\u3000\n".encode()]
)
def test_empty_refused(data):
    with pytest.raises(DecodeError) as exc:
        decode_bytes(data, source="empty.txt")
    assert "文件是空的" in str(exc.value)
    assert exc.value.source == "empty.txt"
    assert "empty.txt" in str(exc.value)


def test_nul_refused_with_line():
    data = "第一行\n第二行\n第三\x00行\n".encode()
    with pytest.raises(DecodeError) as exc:
        decode_bytes(data, source="bin.txt")
    assert exc.value.line == 3
    assert "bin.txt 第3行" in str(exc.value)
    assert "NUL" in str(exc.value)


def test_utf16_refused():
    with pytest.raises(DecodeError):
        decode_bytes(SAMPLE.encode("utf-16"), source="u16.txt")


def test_png_refused():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    with pytest.raises(DecodeError) as exc:
        decode_bytes(png, source="img.png")
    assert exc.value.line == 3  # \r\n and \n are two line ends before the NUL


def test_control_chars_refused():
    with pytest.raises(DecodeError) as exc:
        decode_bytes("正文\n更多\x01正文\n".encode(), source="c.txt")
    assert exc.value.line == 2
    assert "控制字符" in str(exc.value)


def test_form_feed_and_tab_allowed():
    d = decode_bytes("正文\t内容\f\n下一页\n".encode(), source="f.txt", min_ideographs=0)
    assert d.encoding == "utf-8"
    assert d.text == "正文\t内容\n\n\n下一页\n"  # a form feed is a paragraph break


def test_invalid_utf8_and_not_gb18030_names_line():
    # valid UTF-8 lines, then a byte that is neither UTF-8 nor GB18030 (0xFF)
    data = "第一行\n第二行\n".encode() + b"\xe6\x96\xff\xff\n"
    with pytest.raises(DecodeError) as exc:
        decode_bytes(data, source="bad.txt")
    assert exc.value.line == 3
    assert "bad.txt 第3行" in str(exc.value)
    assert "UTF-8" in str(exc.value) and "GB18030" in str(exc.value)


def test_bom_then_invalid_utf8():
    data = codecs.BOM_UTF8 + "好\n".encode() + b"\xc3\x28\n"
    with pytest.raises(DecodeError) as exc:
        decode_bytes(data, source="bom.txt")
    assert exc.value.line == 2


def test_gb18030_decodable_garbage_refused():
    # decodes as GB18030 (private-use area, rare symbols) but is not text
    junk = bytes([0xAA, 0xA1, 0xAB, 0xA2, 0xFE, 0xFE, 0xA1, 0x40, 0xA7, 0x80] * 10)
    junk.decode("gb18030")  # really decodable
    with pytest.raises(DecodeError):
        decode_bytes(junk, source="junk.bin")


def test_random_bytes_mostly_refused():
    refused = 0
    for seed in range(50):
        data = os.urandom(200) if seed % 2 else bytes((seed * 7 + k * 13) % 256 for k in range(200))
        try:
            decode_bytes(data, source="rnd")
        except DecodeError:
            refused += 1
    assert refused == 50


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_decode_never_raises_anything_else(data):
    try:
        d = decode_bytes(data, source="x")
    except DecodeError as exc:
        assert exc.source == "x"
        assert exc.line is None or exc.line >= 1
    else:
        assert d.encoding in ("utf-8", "utf-8-sig", "gb18030")
        assert "\r" not in d.text
        assert d.text.strip()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(categories=("Lo", "Po", "Nd", "Zs"), max_codepoint=0x9FFF), min_size=1))
def test_utf8_roundtrip(text):
    if not text.strip():
        return
    assert decode_bytes(text.encode("utf-8"), source="x", min_ideographs=0).text == text


# ---------------------------------------------------------------- breaks and pages


LONG = "本报讯 昨日上午，全县召开春季农业生产工作会议，部署春耕备耕各项工作。"


@pytest.mark.parametrize(
    ("sep", "becomes"),
    [
        ("\u2028", "\n"),
        ("\v", "\n"),
        ("\x85", "\n"),
        ("\u2029", "\n\n"),
        ("\f", "\n\n"),
        ("\x1c", "\n\n"),
        ("\x1d", "\n\n"),
        ("\x1e", "\n\n"),
    ],
)
@pytest.mark.parametrize("codec", ["utf-8", "gb18030"])
def test_separators_are_breaks_not_refusals(sep, becomes, codec):
    raw = "春耕会议召开" + sep + LONG
    if codec == "gb18030" and sep == "\x85":
        return  # U+0085 has no GB18030 byte form of its own worth testing
    d = decode_bytes(raw.encode(codec), source="s.txt")
    assert d.text == "春耕会议召开" + becomes + LONG


def test_separators_parse_as_lines_and_paragraphs():
    from editions.importer import parse_page

    para = "昨日上午，全县召开春季农业生产工作会议，部署春耕备耕各项工作。"
    raw = "春耕会议召开\u2028本报记者 王　军\u2029" + para + "\x1e" + para
    d = decode_bytes(raw.encode(), source="s.txt")
    (article,) = parse_page(d.text).articles
    assert article.headline == "春耕会议召开"
    assert [(b.name, b.role) for b in article.bylines] == [("王军", "记者")]
    assert "".join(b.text for b in article.body) == para + para


@pytest.mark.parametrize(
    "text",
    [
        "3\n责任编辑：林　涛\n",
        "2025年4月2日 星期三\n今日8版\n",
        "ABC 123 hello world, this is not a page at all.\n" * 5,
        "不是一个版面" + "，文字" * 6 + "少。",  # 19 ideographs
    ],
)
def test_almost_no_text_is_not_a_page(text):
    with pytest.raises(DecodeError) as exc:
        decode_bytes(text.encode(), source="tiny.txt")
    message = str(exc.value)
    assert message.startswith("tiny.txt：")
    assert "不是版面文字" in message and "汉字" in message


def test_twenty_ideographs_are_enough():
    text = "不是一个版面" + "，文字" * 6 + "很少。"
    assert sum(1 for c in text if "\u4e00" <= c <= "\u9fff") == 20
    assert decode_bytes(text.encode(), source="ok.txt").text == text
