"""Snippets are cut from the text as written: case, full-width forms and ellipses kept, hits marked."""

import pytest
from django.urls import reverse

from articles.search import snippets
from articles.search.query import parse_query
from tests.factories import ArticleFactory


def test_original_case_and_full_width_punctuation_are_kept():
    text = "据悉，HBM内存需求旺盛……晋江企业订单增长（同比）。"
    html = snippets.snippet(text, parse_query("hbm"))
    assert "<mark>HBM</mark>内存需求旺盛……晋江企业" in html
    assert "，" in html and "（同比）。" in html
    assert "hbm" not in html and "..." not in html


def test_hits_after_a_lengthening_character_are_marked_in_place():
    # NFKC turns …… into six dots and ㎡ into "m2": positions after them must still map back.
    text = "面积达3000㎡……安海镇的Ｎｅｗｓ中心"
    html = snippets.snippet(text, parse_query("安海镇 news"))
    assert html == "面积达3000㎡……<mark>安海镇</mark>的<mark>Ｎｅｗｓ</mark>中心"


def test_full_width_query_marks_half_width_text_and_back():
    html = snippets.snippet("晋江5G基站建成，ＣＭＳ上线", parse_query("５ｇ基站 cms"))
    assert html == "晋江<mark>5G基站</mark>建成，<mark>ＣＭＳ</mark>上线"


def test_excerpt_is_cut_around_the_first_hit_of_long_text():
    text = "前文……" * 100 + "晋江经验持续深化。" + "后文。" * 100
    html = snippets.snippet(text, parse_query("晋江经验"), width=40)
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>晋江经验</mark>持续深化。" in html
    assert "……" in html
    # The excerpt holds ``width`` characters of the original text (plus the ellipses and marks).
    plain = html.replace("<mark>", "").replace("</mark>", "")
    assert len(plain) == 40 + 2


def test_no_hit_gives_the_start_of_the_text_and_escapes_it():
    html = snippets.snippet("<b>标题</b>，没有命中", parse_query("安海"))
    assert html == "&lt;b&gt;标题&lt;/b&gt;，没有命中"


@pytest.mark.django_db
def test_search_page_snippets_show_the_story_as_printed(client):
    ArticleFactory(
        published=True,
        headline="HBM芯片项目落地晋江",
        body="<p>记者获悉，该项目主要生产HBM（高带宽存储器）……预计年产值超百亿元。</p>",
    )
    html = client.get(reverse("articles:search"), {"q": "hbm"}).content.decode()
    assert "<mark>HBM</mark>芯片项目落地晋江" in html
    assert "记者获悉，该项目主要生产<mark>HBM</mark>（高带宽存储器）……预计" in html
    assert "hbm" not in html.replace('value="hbm"', "").replace("hbm - 搜索", "").replace("“hbm”", "")
