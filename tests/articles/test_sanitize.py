"""The body allow-list (nh3): what survives and what does not."""

import pytest

from articles.sanitize import plain_text, sanitize_body

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<svg onload="alert(1)"><circle/></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_markup_does_not_survive(payload):
    cleaned = sanitize_body(payload).lower()
    for needle in ("<script", "onerror", "javascript:", "<svg", "onload", "<iframe", "style=", "data:"):
        assert needle not in cleaned


def test_allowed_structure_survives():
    html = (
        "<h2>小标题</h2><p><strong>粗</strong><em>斜</em><a href='https://example.com/'>链接</a></p>"
        "<ul><li>一</li></ul><blockquote>引文</blockquote>"
        '<figure><img src="/media/photos/a.jpg" alt="图"><figcaption>图说</figcaption></figure>'
    )
    cleaned = sanitize_body(html)
    for needle in ("<h2>", "<strong>", "<em>", 'href="https://example.com/"', "<ul>", "<blockquote>"):
        assert needle in cleaned
    assert 'src="/media/photos/a.jpg"' in cleaned
    assert 'rel="noopener noreferrer"' in cleaned


def test_foreign_images_are_dropped():
    assert "<img" not in sanitize_body('<p><img src="https://tracker.example/p.gif">文</p>')
    assert "<img" not in sanitize_body('<p><img src="/media/../etc/passwd">文</p>')


def test_plain_text_keeps_blocks_on_lines():
    assert plain_text("<h2>标题</h2><p>一&amp;二</p><p>三</p>") == "标题\n一&二\n三"
