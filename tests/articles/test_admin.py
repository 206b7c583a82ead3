"""The reporters' admin: the article form, bylines, hostile input, list query counts."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from articles import workflow
from articles.models import Article, Byline, Person
from tests.factories import ArticleFactory, BylineFactory, PersonFactory, SectionFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")


def form_data(section, **overrides):
    data = {
        "kicker": "",
        "headline": "晋江举行活动",
        "subheadline": "",
        "summary": "",
        "body": "<p>正文。</p>",
        "section": section.pk,
        "column": "",
        "tags": "",
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def with_bylines(data, *rows):
    data["bylines-TOTAL_FORMS"] = str(len(rows))
    for i, (person, role) in enumerate(rows):
        data[f"bylines-{i}-order"] = str(i)
        data[f"bylines-{i}-role"] = Byline.Role.from_label(role)
        data[f"bylines-{i}-person"] = person.pk if person else ""
    return data


def csrf_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get(ADD_URL)
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    return client, token


def test_post_without_csrf_token_is_refused(reporter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter)
    response = client.post(ADD_URL, form_data(SectionFactory()))
    assert response.status_code == 403
    assert not Article.objects.exists()


def test_reporter_creates_article_with_bylines_and_chinese_tags(reporter):
    client, token = csrf_client(reporter)
    a, b = PersonFactory(name="林伊婷"), PersonFactory(name="秦越")
    data = with_bylines(form_data(SectionFactory(), tags="集成电路, 晋江"), (a, "记者"), (b, "通讯员"))
    data["csrfmiddlewaretoken"] = token
    response = client.post(ADD_URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert article.created_by == reporter
    assert article.status == Article.Status.DRAFT
    assert [(b.person.name, b.get_role_display()) for b in article.bylines.order_by("order")] == [
        ("林伊婷", "记者"),
        ("秦越", "通讯员"),
    ]
    assert sorted(article.tags.names()) == ["晋江", "集成电路"]


PAYLOADS = {
    "script": "<script>alert('x')</script>",
    "onerror": '<img src=x onerror="alert(1)">',
    "javascript": '<a href="javascript:alert(1)">点我</a>',
    "svg": '<svg onload="alert(1)"></svg>',
}


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_hostile_payloads_posted_to_admin_do_not_survive(reporter, editor, client, payload):
    admin_client, token = csrf_client(reporter)
    data = form_data(
        SectionFactory(),
        kicker=payload,
        headline=f"标题{payload}",
        subheadline=payload,
        summary=payload,
        body=f"<p>正文{payload}</p>",
        csrfmiddlewaretoken=token,
    )
    assert admin_client.post(ADD_URL, data).status_code == 302
    article = Article.objects.get()
    for needle in ("<script", "onerror", "javascript:", "<svg", "onload"):
        assert needle not in article.body.lower()
    # Title fields are stored as typed and escaped wherever rendered.
    workflow.article_submit(article=article, user=reporter)
    workflow.article_publish(article=article, user=editor)
    for url in (article.get_absolute_url(), reverse("articles:home")):
        html = client.get(url).content.decode().lower()
        assert "<script>alert" not in html
        assert "<svg onload" not in html
        assert "<img src=x onerror" not in html
        assert 'href="javascript:' not in html
    change = (
        admin_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode().lower()
    )
    assert "<script>alert" not in change
    assert "<svg onload" not in change


def test_empty_headline_is_a_chinese_form_error_and_nothing_is_saved(reporter_client):
    person = PersonFactory()
    data = with_bylines(form_data(SectionFactory(), headline="  "), (person, "记者"))
    response = reporter_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "主题不能为空" in response.content.decode()
    assert not Article.objects.exists()
    assert not Byline.objects.exists()


def test_byline_without_person_is_a_form_error(reporter_client):
    data = with_bylines(form_data(SectionFactory()), (None, "记者"))
    data["bylines-0-order"] = "3"
    response = reporter_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "请为这条署名选择作者" in response.content.decode()
    assert not Article.objects.exists()


def test_same_person_twice_in_one_role_is_a_form_error_and_nothing_half_saved(reporter_client):
    person = PersonFactory(name="张茂霖")
    data = with_bylines(form_data(SectionFactory()), (person, "记者"), (person, "记者"))
    response = reporter_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "重复署名" in response.content.decode()
    assert not Article.objects.exists()
    assert not Byline.objects.exists()


def test_new_correspondent_can_be_created_from_the_form_popup(reporter_client):
    url = reverse("admin:articles_person_add") + "?_to_field=id&_popup=1"
    response = reporter_client.post(url, {"name": "王通讯", "bio": "", "_popup": "1", "_to_field": "id"})
    assert response.status_code == 200
    assert Person.objects.filter(name="王通讯", user=None).exists()


def test_person_autocomplete_finds_chinese_names(reporter_client):
    PersonFactory(name="柯国笠")
    url = reverse("admin:autocomplete")
    response = reporter_client.get(
        url, {"term": "国笠", "app_label": "articles", "model_name": "byline", "field_name": "person"}
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["柯国笠"]


@pytest.mark.parametrize("rows", [5, 50])
def test_changelist_query_count_does_not_grow(editor_client, django_assert_max_num_queries, rows):
    section = SectionFactory()
    for _ in range(rows):
        article = ArticleFactory(section=section, review=True)
        BylineFactory(article=article)
        BylineFactory(article=article, role=Byline.Role.CORRESPONDENT)
    with django_assert_max_num_queries(14):
        response = editor_client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    assert response.content.decode().count('class="status-badge') == rows


def test_changelist_searches_title_fields_and_body(editor_client):
    ArticleFactory(kicker="引题关键", headline="甲")
    ArticleFactory(headline="乙", body="<p>正文里有安海镇</p>")
    ArticleFactory(headline="丙")
    url = reverse("admin:articles_article_changelist")
    assert "甲" in editor_client.get(url, {"q": "引题关键"}).content.decode()
    body = editor_client.get(url, {"q": "安海"}).content.decode()
    assert "乙" in body and "丙" not in body
