"""Reporters see only their own unpublished stories; editors and 值班主任 see everything.

Every admin URL that shows an article, for a reporter (a colleague's draft, review, scheduled or
withdrawn story is a 404 or absent from the list; their own and the published ones are there) and
for an editor and a chief (everything is there). The photo library follows the same rule.
"""

import json

import pytest
from django.urls import reverse

from articles.models import Article, ArticleEvent, Byline
from tests.factories import ArticleFactory, BylineFactory, PersonFactory

from .photos.test_files import jpeg_bytes, upload
from .test_admin import form_data

pytestmark = pytest.mark.django_db

# name → (created by, factory traits); every headline carries 晋江 so one search term finds all.
STORIES = {
    "own_draft": ("reporter", {}),
    "own_review": ("reporter", {"review": True}),
    "own_withdrawn": ("reporter", {"withdrawn": True}),
    "bylined_draft": ("other_reporter", {}),  # a colleague's draft with the reporter in its byline
    "their_draft": ("other_reporter", {}),
    "their_review": ("other_reporter", {"review": True}),
    "their_scheduled": ("other_reporter", {"scheduled": True}),
    "their_withdrawn": ("other_reporter", {"withdrawn": True}),
    "their_published": ("other_reporter", {"published": True}),
}
VISIBLE_TO_REPORTER = {"own_draft", "own_review", "own_withdrawn", "bylined_draft", "their_published"}
HIDDEN_FROM_REPORTER = set(STORIES) - VISIBLE_TO_REPORTER


def headline(name):
    return f"晋江稿件{name.replace('_', '')}"


@pytest.fixture
def stories(reporter, other_reporter):
    users = {"reporter": reporter, "other_reporter": other_reporter}
    made = {}
    for name, (owner, traits) in STORIES.items():
        made[name] = ArticleFactory(
            created_by=users[owner], headline=headline(name), body=f"<p>{name}的正文。</p>", **traits
        )
    BylineFactory(article=made["bylined_draft"], person=reporter.person)
    BylineFactory(article=made["their_draft"], person=other_reporter.person)
    return made


def test_visible_to_is_the_one_rule(stories, reporter, other_reporter, editor, chief):
    def names(user):
        pks = set(Article.objects.visible_to(user).values_list("pk", flat=True))
        return {name for name, article in stories.items() if article.pk in pks}

    assert names(reporter) == VISIBLE_TO_REPORTER
    assert names(other_reporter) == set(STORIES) - {"own_draft", "own_review", "own_withdrawn"}
    assert names(editor) == names(chief) == set(STORIES)
    # No duplicates from the byline (two bylines on one story would join twice).
    BylineFactory(article=stories["own_draft"], person=PersonFactory(name="通讯员甲"))
    BylineFactory(article=stories["own_draft"], person=reporter.person, role=Byline.Role.PHOTOGRAPHER)
    assert Article.objects.visible_to(reporter).filter(pk=stories["own_draft"].pk).count() == 1


# --- every URL that shows one article ------------------------------------------------------------------


def _get(client, url):
    return client.get(url)


def _post(client, url):
    return client.post(url, {"note": "测试"})


ARTICLE_URLS = {
    "change": (_get, lambda pk: reverse("admin:articles_article_change", args=[pk])),
    "delete": (_get, lambda pk: reverse("admin:articles_article_delete", args=[pk])),
    "history": (_get, lambda pk: reverse("admin:articles_article_history", args=[pk])),
    "compare": (_get, lambda pk: reverse("admin:articles_article_compare", args=[pk]) + "?a=1&b=2"),
    "move": (_post, lambda pk: reverse("admin:articles_article_move", args=[pk, "submit"])),
    "restore": (_post, lambda pk: reverse("admin:articles_article_restore", args=[pk, 1])),
    "preview": (_get, lambda pk: reverse("preview:article", args=[pk])),
    "preview_link": (_post, lambda pk: reverse("preview:make_link", args=[pk])),
}


@pytest.mark.parametrize("url", ARTICLE_URLS)
@pytest.mark.parametrize("name", sorted(HIDDEN_FROM_REPORTER))
def test_a_colleagues_unpublished_story_is_a_404_for_a_reporter(reporter_client, stories, url, name):
    method, make = ARTICLE_URLS[url]
    article = stories[name]
    before = (article.status, article.version, article.events.count())
    response = method(reporter_client, make(article.pk))
    assert response.status_code == 404
    # Not a word of it, and nothing written (not even a refusal in its log, which would be a trace).
    assert headline(name) not in response.content.decode()
    article.refresh_from_db()
    assert (article.status, article.version, article.events.count()) == before


@pytest.mark.parametrize("url", ARTICLE_URLS)
@pytest.mark.parametrize("name", sorted(VISIBLE_TO_REPORTER))
def test_a_reporters_own_and_published_stories_are_there(reporter_client, stories, url, name):
    method, make = ARTICLE_URLS[url]
    response = method(reporter_client, make(stories[name].pk))
    # What the reporter may do with it is another rule (403 for what is not his to change).
    assert response.status_code in (200, 302, 403)


@pytest.mark.parametrize("name", sorted(VISIBLE_TO_REPORTER))
def test_a_reporter_reads_his_own_and_published_stories(reporter_client, stories, name):
    response = reporter_client.get(reverse("admin:articles_article_change", args=[stories[name].pk]))
    assert response.status_code == 200
    assert headline(name) in response.content.decode()


@pytest.mark.parametrize("who", ["editor", "chief"])
@pytest.mark.parametrize("url", ARTICLE_URLS)
def test_editors_and_chiefs_reach_every_story(request, client, stories, who, url):
    client.force_login(request.getfixturevalue(who))
    method, make = ARTICLE_URLS[url]
    for name in STORIES:
        response = method(client, make(stories[name].pk))
        # Found (an editor may not delete: 403 there; a chief may).
        assert response.status_code in (200, 302, 403), (name, response.status_code)


@pytest.mark.parametrize("who", ["editor", "chief"])
def test_editors_and_chiefs_read_every_story(request, client, stories, who):
    client.force_login(request.getfixturevalue(who))
    for name in STORIES:
        response = client.get(reverse("admin:articles_article_change", args=[stories[name].pk]))
        assert response.status_code == 200 and headline(name) in response.content.decode()


def test_a_missing_article_is_the_same_404(reporter_client, editor_client, stories):
    gone = max(a.pk for a in stories.values()) + 100
    for client in (reporter_client, editor_client):
        assert client.get(reverse("admin:articles_article_change", args=[gone])).status_code == 404


def test_a_forged_bulk_action_skips_hidden_stories(reporter_client, stories):
    theirs, mine = stories["their_draft"], stories["own_draft"]
    response = reporter_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "submit_selected", "_selected_action": [theirs.pk, mine.pk]},
    )
    assert response.status_code in (200, 302)
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert (theirs.status, mine.status) == ("draft", "review")


# --- lists, their counts and filters -------------------------------------------------------------------

CHANGELIST_QUERIES = [
    "",
    "?q=晋江",
    "?status__exact=draft",
    "?status__exact=review",
    "?status__exact=published",
    "?status__exact=withdrawn",
    "?queue=review",
    "?queue=scheduled",
    "?queue=mine",
    "?_facets=1",
    "?status__exact=draft&_facets=1",
    "?_popup=1&_to_field=id",
]


def _listed(html, names):
    return {name for name in names if headline(name) in html}


@pytest.mark.parametrize("query", CHANGELIST_QUERIES)
def test_reporter_changelist_lists_and_counts_only_what_he_may_see(reporter_client, stories, query):
    response = reporter_client.get(reverse("admin:articles_article_changelist") + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert not _listed(html, HIDDEN_FROM_REPORTER)
    cl = response.context["cl"]
    # The list never counts its whole table (issue 13); what it starts from is his scope alone
    # (for 我的稿件, only his own stories: a part of it).
    visible = {stories[name] for name in VISIBLE_TO_REPORTER}
    assert set(cl.root_queryset) <= visible
    if "queue=mine" not in query:
        assert set(cl.root_queryset) == visible
    assert set(cl.result_list) <= {stories[name] for name in VISIBLE_TO_REPORTER}


def test_reporter_changelist_shows_all_he_may_see(reporter_client, stories):
    html = reporter_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert _listed(html, STORIES) == VISIBLE_TO_REPORTER


def test_facet_counts_are_never_shown_so_none_leak(reporter_client, stories):
    # Facets count every choice over the whole list (a million rows at scale): the list never offers them.
    response = reporter_client.get(reverse("admin:articles_article_changelist") + "?_facets=1")
    status_filter = next(spec for spec in response.context["cl"].filter_specs if spec.title == "状态")
    labels = {choice["display"] for choice in status_filter.choices(response.context["cl"]) if choice}
    assert labels == {"全部", "草稿", "待审", "已发布", "已撤回"}


@pytest.mark.parametrize("who", ["editor", "chief"])
def test_editor_changelist_lists_everything(request, client, stories, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("admin:articles_article_changelist"))
    assert _listed(response.content.decode(), STORIES) == set(STORIES)
    assert response.context["cl"].root_queryset.count() == len(STORIES)


# --- autocompletes over articles -----------------------------------------------------------------------

# Every field that points at Article; the admin's autocomplete answers from ArticleAdmin.get_queryset.
ARTICLE_FIELDS = [
    ("editions", "placement", "article"),
    ("articles", "byline", "article"),
    ("articles", "articleevent", "article"),
    ("articles", "articleautosave", "article"),
]


def autocomplete_texts(client, app_label, model_name, field_name, term="晋江"):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return {row["text"] for row in json.loads(response.content)["results"]}


@pytest.mark.parametrize("field", ARTICLE_FIELDS, ids="-".join)
def test_article_autocomplete_for_a_reporter(reporter_client, stories, field):
    texts = autocomplete_texts(reporter_client, *field)
    assert texts == {headline(name) for name in VISIBLE_TO_REPORTER}


@pytest.mark.parametrize("who", ["editor", "chief"])
@pytest.mark.parametrize("field", ARTICLE_FIELDS, ids="-".join)
def test_article_autocomplete_for_editors(request, client, stories, who, field):
    client.force_login(request.getfixturevalue(who))
    assert autocomplete_texts(client, *field) == {headline(name) for name in STORIES}


def test_the_page_screens_own_article_autocomplete_hides_colleagues_stories(reporter_client, stories):
    response = reporter_client.get(
        reverse("admin:editions_page_article_autocomplete"),
        {"app_label": "editions", "model_name": "placement", "field_name": "article", "term": "晋江"},
    )
    if response.status_code == 200:
        texts = " ".join(row["text"] for row in json.loads(response.content)["results"])
        assert not [name for name in HIDDEN_FROM_REPORTER if headline(name) in texts]
    else:
        assert response.status_code in (403, 404)


# --- 稿件日志 ------------------------------------------------------------------------------------------


def test_article_log_shows_only_events_of_visible_stories(reporter, stories):
    from django.contrib.auth.models import Permission
    from django.test import Client

    # Reporters are not given 稿件日志 today; should they be, it still shows only what they may see.
    reporter.user_permissions.add(Permission.objects.get(codename="view_articleevent"))
    for article in stories.values():
        ArticleEvent.objects.create(article=article, action="create", note=f"事件{article.headline}")
    client = Client()
    client.force_login(reporter)
    response = client.get(reverse("admin:articles_articleevent_changelist"))
    assert response.status_code == 200
    assert _listed(response.content.decode(), STORIES) == VISIBLE_TO_REPORTER
    assert response.context["cl"].root_queryset.count() == len(VISIBLE_TO_REPORTER)


def test_article_log_shows_editors_everything(editor_client, stories):
    for article in stories.values():
        ArticleEvent.objects.create(article=article, action="create")
    response = editor_client.get(reverse("admin:articles_articleevent_changelist"))
    assert _listed(response.content.decode(), STORIES) == set(STORIES)


# --- the photo library ---------------------------------------------------------------------------------


def make_photo(user, caption):
    from articles.photos import services

    return services.photo_ingest(
        user=user, upload=upload(jpeg_bytes(320, 240, metadata=False)), caption=caption
    )


def figure(photo):
    return f'<figure data-photo-id="{photo.pk}"><img src="/m"></figure>'


@pytest.fixture
def photos(stories, reporter, other_reporter):
    """Photos in every relation to the reporter; the caption says which."""
    made = {
        name: make_photo(reporter if name == "uploaded_by_me" else other_reporter, f"图说{name}")
        for name in (
            "uploaded_by_me",
            "theirs_unused",
            "lead_of_their_draft",
            "body_of_their_draft",
            "lead_of_published",
            "body_of_published",
            "lead_of_my_draft",
            "body_of_my_draft",
            "lead_of_bylined",
        )
    }

    def use(story, lead=None, in_body=None):
        article = stories[story]
        if lead:
            article.lead_photo = made[lead]
        if in_body:
            article.body = f"<p>正文。</p>{figure(made[in_body])}"
        article.save()

    use("their_draft", lead="lead_of_their_draft", in_body="body_of_their_draft")
    use("their_published", lead="lead_of_published", in_body="body_of_published")
    use("own_draft", lead="lead_of_my_draft", in_body="body_of_my_draft")
    use("bylined_draft", lead="lead_of_bylined")
    return made


PHOTOS_VISIBLE_TO_REPORTER = {
    "uploaded_by_me",
    "lead_of_published",
    "body_of_published",
    "lead_of_my_draft",
    "body_of_my_draft",
    "lead_of_bylined",
}


def _captions(html, photos):
    return {name for name in photos if f"图说{name}" in html}


def test_reporter_photo_library_hides_photos_of_hidden_stories(reporter_client, photos):
    for query in ("", "?q=图说", "?_popup=1"):
        response = reporter_client.get(reverse("admin:articles_photo_changelist") + query)
        assert _captions(response.content.decode(), photos) == PHOTOS_VISIBLE_TO_REPORTER
        assert response.context["cl"].full_result_count == len(PHOTOS_VISIBLE_TO_REPORTER)


@pytest.mark.parametrize(
    "url",
    [
        lambda pk: reverse("admin:articles_photo_change", args=[pk]),
        lambda pk: reverse("admin:articles_photo_body_figure", args=[pk]),
    ],
    ids=["change", "body_figure"],
)
def test_reporter_photo_urls(reporter_client, photos, url):
    for name, photo in photos.items():
        response = reporter_client.get(url(photo.pk))
        if name in PHOTOS_VISIBLE_TO_REPORTER:
            assert response.status_code == 200, name
        else:
            assert response.status_code == 404, name
            assert f"图说{name}" not in response.content.decode()


def test_lead_photo_autocomplete_for_a_reporter(reporter_client, photos):
    texts = autocomplete_texts(reporter_client, "articles", "article", "lead_photo", term="图说")
    assert {name for name in photos if any(f"图说{name}" in text for text in texts)} == (
        PHOTOS_VISIBLE_TO_REPORTER
    )


def test_a_reporter_cannot_attach_a_hidden_photo_by_its_id(reporter_client, photos, stories):
    article = stories["own_draft"]
    data = form_data(article.section, headline=article.headline, body=article.body)
    data.update(loaded_version=str(article.version), lead_photo=str(photos["theirs_unused"].pk))
    response = reporter_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 200  # the form again, with the choice refused
    article.refresh_from_db()
    assert article.lead_photo == photos["lead_of_my_draft"]


@pytest.mark.parametrize("who", ["editor", "chief"])
def test_editors_see_the_whole_photo_library(request, client, photos, who):
    client.force_login(request.getfixturevalue(who))
    html = client.get(reverse("admin:articles_photo_changelist")).content.decode()
    assert _captions(html, photos) == set(photos)
    texts = autocomplete_texts(client, "articles", "article", "lead_photo", term="图说")
    assert len(texts) == len(photos)


def test_a_co_author_sees_the_history_and_preview_of_a_story_he_stands_in_the_byline_of(
    reporter, other_reporter
):
    from articles import workflow
    from tests.factories import BylineFactory

    article = ArticleFactory(created_by=other_reporter)
    assert not workflow.can_view_history(reporter, article) and not workflow.can_preview(reporter, article)
    BylineFactory(article=article, person=reporter.person)
    assert workflow.can_view_history(reporter, article) and workflow.can_preview(reporter, article)
