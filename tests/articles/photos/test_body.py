"""Library photos inside article bodies: the normaliser, the admin picker endpoint and post, the public page."""

import re

import pytest
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.urls import reverse

from articles.forms import PROSE_EXTENSIONS, ArticleForm
from articles.models import Article, Photo
from articles.photos import services
from articles.photos.body import normalise_body_photos, photo_ids
from articles.sanitize import sanitize_body
from tests.factories import ArticleFactory, PersonFactory, SectionFactory

from ..test_admin import csrf_client, form_data
from .test_files import jpeg_bytes, upload

pytestmark = pytest.mark.django_db


def make_photo(user, caption="安海镇龙舟赛现场。", credit="王摄影", alt="龙舟竞渡", size=(2000, 1500)):
    return services.photo_ingest(
        user=user,
        upload=upload(jpeg_bytes(*size, metadata=False)),
        caption=caption,
        credit=PersonFactory(name=credit) if credit else None,
        alt_text=alt,
    )


@pytest.fixture
def photo(reporter):
    return make_photo(reporter)


def stem(photo):
    return photo.image.name.rsplit(".", 1)[0]


def saved_body(html):
    """What Article.save() stores for ``html``."""
    return normalise_body_photos(sanitize_body(html))


# --- the normaliser ----------------------------------------------------------------------------------------


def test_figure_is_rebuilt_from_the_photo_row(photo):
    html = saved_body(
        f'<p>甲</p><figure data-photo-id="{photo.pk}"><img src="/media/x.jpg"></figure><p>乙</p>'
    )
    media = f"/media/{stem(photo)}"
    assert html == (
        f'<p>甲</p><figure data-photo-id="{photo.pk}">'
        f'<img src="{media}/orig-960.jpg" srcset="{media}/orig-480.jpg 480w, {media}/orig-960.jpg 960w, '
        f'{media}/orig-1600.jpg 1600w" sizes="(max-width: 42em) 100vw, 42em" width="960" height="720" '
        f'alt="龙舟竞渡" data-file="{photo.pk}">'
        "<figcaption>安海镇龙舟赛现场。 · 记者 王摄影 摄</figcaption></figure><p>乙</p>"
    )


@pytest.mark.parametrize(
    "src",
    [
        "https://evil.example/track.gif",
        "javascript:alert(1)",
        "data:image/png;base64,AAAA",
        "/media/../etc/passwd",
        "/media/photos/2020/01/someone-elses.jpg",
    ],
)
def test_hostile_or_stale_src_is_replaced(photo, src):
    html = saved_body(f'<figure data-photo-id="{photo.pk}"><img src="{src}" alt="x"></figure>')
    assert src not in html and "evil" not in html and "javascript" not in html
    assert f'src="/media/{stem(photo)}/orig-960.jpg"' in html


def test_editor_output_with_data_file_and_classes_is_normalised(photo):
    # What django-prose-editor serialises: classes on figure/figcaption, the id in the image's data-file.
    editor = (
        '<figure class="figure"><img src="/media/old.jpg" alt="旧" width="9" height="9" '
        f'data-file="{photo.pk}"><figcaption class="figure-caption">改过的图说</figcaption></figure>'
    )
    html = saved_body(editor)
    assert html.startswith(f'<figure data-photo-id="{photo.pk}"><img src="/media/{stem(photo)}/orig-960.jpg"')
    assert "改过的图说" not in html and "安海镇龙舟赛现场。 · 记者 王摄影 摄" in html
    assert 'class="' not in html
    # Stable: saving the stored HTML again gives the same HTML.
    assert saved_body(html) == html


def test_figure_whose_photo_is_missing_is_dropped(photo):
    html = saved_body(
        f'<p>前</p><figure data-photo-id="{photo.pk + 999}"><img src="/media/a.jpg">'
        "<figcaption>不存在</figcaption></figure><p>后</p>"
    )
    assert html == "<p>前</p><p>后</p>"


def test_bare_picked_image_becomes_a_figure_and_unknown_one_vanishes(photo):
    html = saved_body(
        f'<img src="/media/a.jpg" data-file="{photo.pk}"><img src="/media/b.jpg" data-file="99999">'
    )
    assert html.count("<figure") == 1 and f'data-photo-id="{photo.pk}"' in html
    assert "/media/b.jpg" not in html


def test_caption_credit_and_alt_are_escaped(reporter):
    hostile = make_photo(
        reporter,
        caption='<script>alert(1)</script> & "引号"',
        credit="<b>王</b>",
        alt='"><img src=x onerror=alert(1)>',
        size=(800, 600),
    )
    html = saved_body(f'<figure data-photo-id="{hostile.pk}"><img src="/media/a.jpg"></figure>')
    assert "<script" not in html and "<b>" not in html and html.count("<img") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; " in html
    assert "记者 &lt;b&gt;王&lt;/b&gt; 摄" in html
    assert 'alt="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"' in html
    # A small original has only the renditions that fit: no enlarged 960/1600.
    assert 'width="480" height="360"' in html and "orig-960" not in html


def test_photo_without_caption_or_credit_has_no_figcaption(reporter):
    bare = make_photo(reporter, caption="", credit=None, alt="", size=(640, 480))
    html = saved_body(f'<figure data-photo-id="{bare.pk}"><img src="/media/a.jpg"></figure>')
    assert "<figcaption>" not in html and 'alt=""' in html


def test_figure_without_library_id_is_left_to_the_sanitizer():
    html = saved_body('<figure><img src="/media/x.jpg" alt="a"><figcaption>手填</figcaption></figure>')
    assert html == '<figure><img src="/media/x.jpg" alt="a"><figcaption>手填</figcaption></figure>'


def test_text_and_entities_around_figures_are_kept(photo):
    html = saved_body(
        f'<p>A &amp; B &lt;c&gt; 中文</p><figure data-photo-id="{photo.pk}"><img src="/m"></figure>'
    )
    assert html.startswith("<p>A &amp; B &lt;c&gt; 中文</p><figure")


def test_sanitizer_refuses_foreign_srcset_and_odd_sizes():
    html = sanitize_body(
        '<img src="/media/a.jpg" srcset="https://evil.example/a.jpg 480w, /media/b.jpg 960w" '
        'sizes="url(https://evil.example/x)">'
    )
    assert "evil" not in html and "srcset" not in html and "sizes" not in html
    kept = sanitize_body(
        '<img src="/media/a.jpg" srcset="/media/a.jpg 480w, /media/b.jpg 960w" sizes="100vw">'
    )
    assert 'srcset="/media/a.jpg 480w, /media/b.jpg 960w"' in kept and 'sizes="100vw"' in kept


def test_photo_ids_in_order_without_duplicates():
    html = '<figure data-photo-id="3"></figure><img data-file="1"><figure><img data-file="3"></figure>'
    assert photo_ids(html) == [3, 1]


def test_editor_keeps_figures_because_its_extensions_are_enabled():
    # Without Figure/Image/Caption the prose editor's schema drops <figure> when it loads the body.
    assert {"Figure", "Image", "Caption"} <= set(PROSE_EXTENSIONS)
    rendered = str(ArticleForm()["body"])
    assert "body-photo-pick" in rendered and "_popup=1" in rendered
    assert "admin_newsroom/body_photos.js" in str(ArticleForm().media)


# --- saving, reuse, deletion -------------------------------------------------------------------------------


def test_same_photo_in_two_bodies_and_delete_is_refused(photo):
    body = f'<p>正文</p><figure data-photo-id="{photo.pk}"><img src="/media/a.jpg"></figure>'
    one = ArticleFactory(body=body, headline="龙舟赛开幕")
    two = ArticleFactory(body=body, headline="龙舟赛闭幕")
    for article in (one, two):
        article.refresh_from_db()
        assert f'data-photo-id="{photo.pk}"' in article.body
    # Raised inside Django's delete transaction (pre_delete), so keep our own savepoint around it.
    with pytest.raises(ProtectedError) as refused, transaction.atomic():
        photo.delete()
    assert "不能删除这张图片" in str(refused.value) and "龙舟赛开幕" in str(refused.value)
    assert Photo.objects.filter(pk=photo.pk).exists()
    # Once no body shows it, it can go.
    for article in (one, two):
        article.body = "<p>改写后不用图片</p>"
        article.save()
    photo.delete()
    assert not Photo.objects.filter(pk=photo.pk).exists()


def test_photo_id_prefix_does_not_protect_another_photo(reporter, photo):
    other = make_photo(reporter, size=(640, 480))
    ArticleFactory(body=f'<figure data-photo-id="{photo.pk}"><img src="/m"></figure>')
    assert f'data-photo-id="{other.pk}"' != f'data-photo-id="{photo.pk}"'
    other.delete()  # not used in any body
    assert not Photo.objects.filter(pk=other.pk).exists()


def test_admin_delete_page_names_the_story_and_refuses(editor_client, photo):
    ArticleFactory(body=f'<figure data-photo-id="{photo.pk}"><img src="/m"></figure>', headline="龙舟赛开幕")
    url = reverse("admin:articles_photo_delete", args=[photo.pk])
    page = editor_client.get(url).content.decode()
    assert "龙舟赛开幕" in page and "请先从正文中删去" in page
    editor_client.post(url, {"post": "yes"})
    assert Photo.objects.filter(pk=photo.pk).exists()


# --- the admin: picker endpoint and a real post ------------------------------------------------------------


def test_figure_endpoint_gives_what_the_editor_inserts(reporter_client, photo):
    data = reporter_client.get(reverse("admin:articles_photo_body_figure", args=[photo.pk])).json()
    assert data == {
        "id": photo.pk,
        "src": f"/media/{stem(photo)}/orig-960.jpg",
        "width": 960,
        "height": 720,
        "alt": "龙舟竞渡",
        "caption": "安海镇龙舟赛现场。 · 记者 王摄影 摄",
    }
    assert (
        reporter_client.get(reverse("admin:articles_photo_body_figure", args=[photo.pk + 99])).status_code
        == 404
    )


def test_figure_endpoint_needs_a_staff_login(client, photo):
    response = client.get(reverse("admin:articles_photo_body_figure", args=[photo.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_photo_library_popup_offers_rows_to_pick(reporter_client, photo):
    page = reporter_client.get(
        reverse("admin:articles_photo_changelist") + "?_popup=1&q=龙舟"
    ).content.decode()
    assert f'data-popup-opener="{photo.pk}"' in page and 'class="photo-thumb"' in page
    by_credit = reporter_client.get(reverse("admin:articles_photo_changelist") + "?_popup=1&q=王摄影")
    assert f'data-popup-opener="{photo.pk}"' in by_credit.content.decode()
    other = reporter_client.get(reverse("admin:articles_photo_changelist") + "?_popup=1&q=茶园")
    assert f'data-popup-opener="{photo.pk}"' not in other.content.decode()


def test_reporter_posts_a_body_with_a_library_photo(reporter, photo):
    client, token = csrf_client(reporter)
    section = SectionFactory()
    data = form_data(section, headline="龙舟赛今日开幕")
    data["csrfmiddlewaretoken"] = token
    data["body"] = (
        '<p>开头。</p><figure class="figure"><img src="https://evil.example/x.jpg" alt="x" '
        f'data-file="{photo.pk}"><figcaption class="figure-caption">随便写</figcaption></figure><p>结尾。</p>'
    )
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(headline="龙舟赛今日开幕")
    assert f'<figure data-photo-id="{photo.pk}"><img src="/media/{stem(photo)}/orig-960.jpg"' in article.body
    assert "evil" not in article.body and "随便写" not in article.body
    assert "安海镇龙舟赛现场。 · 记者 王摄影 摄" in article.body
    # The change page loads the stored figure back into the editor's textarea.
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert f"data-photo-id=&quot;{photo.pk}&quot;" in page or f'data-photo-id="{photo.pk}"' in page


def test_post_without_csrf_token_is_refused(reporter, photo):
    client, _token = csrf_client(reporter)
    data = form_data(SectionFactory(), headline="无令牌")
    data["body"] = f'<figure data-photo-id="{photo.pk}"><img src="/m"></figure>'
    assert client.post(reverse("admin:articles_article_add"), data).status_code == 403
    assert not Article.objects.filter(headline="无令牌").exists()


# --- the public page ---------------------------------------------------------------------------------------


def test_public_article_renders_body_figure_responsively(client, photo):
    article = ArticleFactory(
        published=True, body=f'<p>正文。</p><figure data-photo-id="{photo.pk}"><img src="/x"></figure>'
    )
    html = client.get(article.get_absolute_url()).content.decode()
    body = re.search(r'<div class="story-body">(.*?)</div>', html, re.S).group(1)
    assert f'<figure data-photo-id="{photo.pk}">' in body
    assert "orig-480.jpg 480w" in body and "orig-1600.jpg 1600w" in body
    assert 'sizes="(max-width: 42em) 100vw, 42em" width="960" height="720"' in body
    assert "<figcaption>安海镇龙舟赛现场。 · 记者 王摄影 摄</figcaption>" in body


@pytest.mark.parametrize("state", ["draft", "review", "scheduled", "withdrawn"])
def test_body_photo_of_unpublished_story_is_not_on_public_pages(client, photo, state):
    traits = {} if state == "draft" else {state: True}
    article = ArticleFactory(body=f'<figure data-photo-id="{photo.pk}"><img src="/x"></figure>', **traits)
    assert client.get(article.get_absolute_url()).status_code == 404
    for url in (reverse("articles:home"), article.section.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        assert stem(photo) not in response.content.decode()


def test_bulk_delete_action_refuses_when_one_photo_is_in_a_body(editor_client, reporter, photo):
    free = make_photo(reporter, size=(640, 480))
    ArticleFactory(body=f'<figure data-photo-id="{photo.pk}"><img src="/m"></figure>', headline="龙舟赛开幕")
    page = editor_client.post(
        reverse("admin:articles_photo_changelist"),
        {"action": "delete_selected", "_selected_action": [photo.pk, free.pk], "post": "yes"},
    ).content.decode()
    assert "龙舟赛开幕" in page
    assert Photo.objects.filter(pk__in=[photo.pk, free.pk]).count() == 2
