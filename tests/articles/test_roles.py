"""Every role against every move and every edit, allowed and refused, on the server."""

import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article, ArticleEvent
from tests.articles.test_admin import form_data
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

S = Article.Status
ROLES = ("reporter_own", "reporter_other", "editor", "chief")

# move → (state the article starts in, state it ends in, who may make it)
MOVES = {
    "submit": ("draft", "review", {"reporter_own", "editor", "chief"}),
    "return": ("review", "draft", {"editor", "chief"}),
    "publish": ("review", "published", {"editor", "chief"}),
    "schedule": ("review", "published", {"editor", "chief"}),
    "withdraw": ("published", "withdrawn", {"editor", "chief"}),
    "reopen": ("withdrawn", "review", {"editor", "chief"}),
}
TRAITS = {
    "draft": {},
    "review": {"review": True},
    "published": {"published": True},
    "withdrawn": {"withdrawn": True},
}


@pytest.fixture
def people(reporter, other_reporter, editor, chief):
    return {"reporter_own": reporter, "reporter_other": other_reporter, "editor": editor, "chief": chief}


def make_article(state, owner):
    return ArticleFactory(created_by=owner, **TRAITS[state])


def call_move(move, article, user):
    later = timezone.now() + timezone.timedelta(hours=3)
    funcs = {
        "submit": lambda: workflow.article_submit(article=article, user=user),
        "return": lambda: workflow.article_return(article=article, user=user, note="导语太长，请压缩。"),
        "publish": lambda: workflow.article_publish(article=article, user=user),
        "schedule": lambda: workflow.article_publish(article=article, user=user, when=later),
        "withdraw": lambda: workflow.article_withdraw(article=article, user=user, note="事实有误"),
        "reopen": lambda: workflow.article_reopen(article=article, user=user),
    }
    return funcs[move]()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("move", MOVES)
def test_every_role_against_every_move_in_the_workflow_functions(people, reporter, role, move):
    start, end, allowed = MOVES[move]
    article = make_article(start, owner=reporter)
    user = people[role]
    if role in allowed:
        call_move(move, article, user)
        article.refresh_from_db()
        assert article.status == end
        assert article.events.filter(actor=user, from_status=start, to_status=end).count() == 1
    else:
        with pytest.raises(workflow.TransitionForbidden):
            call_move(move, article, user)
        article.refresh_from_db()
        assert article.status == start
        assert not article.events.exclude(action=ArticleEvent.Action.REFUSED).exists()
        assert article.events.filter(action=ArticleEvent.Action.REFUSED, actor=user).count() == 1


def post_move(client, article, move):
    key = "publish" if move == "schedule" else move
    data = {"note": "请补充采访对象的全名。"}
    if key == "publish":
        data["mode"] = "now"
    if move == "schedule":
        later = timezone.localtime() + timezone.timedelta(hours=5)
        data.update(mode="schedule", when=later.strftime("%Y-%m-%dT%H:%M"))
    return client.post(reverse("admin:articles_article_move", args=[article.pk, key]), data)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("move", MOVES)
def test_every_role_against_every_move_through_the_admin_buttons(
    client, people, reporter, role, move, caplog
):
    start, end, allowed = MOVES[move]
    article = make_article(start, owner=reporter)
    user = people[role]
    client.force_login(user)
    with caplog.at_level(logging.WARNING, logger="newsroom.security"):
        response = post_move(client, article, move)
    article.refresh_from_db()
    if role in allowed:
        assert response.status_code == 302
        assert article.status == end
        assert not [r for r in caplog.records if r.name == "newsroom.security"]
    elif role == "reporter_other" and start != "published":
        # A colleague's unpublished story does not exist for him: 404, nothing changes.
        assert response.status_code == 404
        assert article.status == start
    else:
        # A forged request for a button this user does not have: 403, nothing changes, logged.
        assert response.status_code == 403
        assert "操作被拒绝" in response.content.decode()
        assert article.status == start
        assert [r for r in caplog.records if r.name == "newsroom.security"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("move", MOVES)
def test_change_page_shows_exactly_the_buttons_for_the_moves_allowed_now(
    client, people, reporter, role, move
):
    start, _end, allowed = MOVES[move]
    article = make_article(start, owner=reporter)
    client.force_login(people[role])
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    button = {"schedule": 'data-move="publish-schedule"', "publish": 'data-move="publish-now"'}.get(
        move, f'data-move="{move}"'
    )
    assert (button in html) == (role in allowed)


# who may edit an article in each state (the article belongs to reporter_own)
EDITS = {
    "draft": {"reporter_own", "editor", "chief"},
    "review": {"editor", "chief"},
    "published": {"editor", "chief"},
    "withdrawn": {"editor", "chief"},
}


def edit_data(article, **overrides):
    data = form_data(article.section, headline=article.headline, body=article.body)
    data["loaded_version"] = str(article.version)
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", EDITS)
def test_every_role_against_every_edit(client, people, reporter, role, state, caplog):
    article = make_article(state, owner=reporter)
    user = people[role]
    assert workflow.can_edit(user, article) == (role in EDITS[state])
    client.force_login(user)
    url = reverse("admin:articles_article_change", args=[article.pk])
    with caplog.at_level(logging.WARNING, logger="newsroom.security"):
        response = client.post(url, edit_data(article, headline="改过的主题"))
    article.refresh_from_db()
    if role in EDITS[state]:
        assert response.status_code == 302, response.content.decode()[:3000]
        assert article.headline == "改过的主题"
        assert article.status == state
    elif role == "reporter_other" and state != "published":
        # A colleague's unpublished story does not exist for him: 404, nothing changes.
        assert response.status_code == 404
        assert article.headline != "改过的主题"
    else:
        assert response.status_code == 403
        assert article.headline != "改过的主题"
        assert any(r.name == "newsroom.security" for r in caplog.records)
        assert article.events.filter(action=ArticleEvent.Action.REFUSED, actor=user).exists()


@pytest.mark.parametrize("field,value", [("status", "published"), ("published_at", "2020-01-01 08:00")])
def test_a_forged_status_field_in_the_form_is_refused(reporter_client, reporter, field, value, caplog):
    article = make_article("draft", owner=reporter)
    url = reverse("admin:articles_article_change", args=[article.pk])
    with caplog.at_level(logging.WARNING, logger="newsroom.security"):
        response = reporter_client.post(url, edit_data(article, headline="想偷偷发布", **{field: value}))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == S.DRAFT and article.published_at is None
    assert article.headline != "想偷偷发布"
    assert any("forged" in r.getMessage() for r in caplog.records)


def test_a_forged_status_field_on_the_add_form_is_refused(reporter_client, caplog):
    from tests.factories import SectionFactory

    data = form_data(SectionFactory(), status="published")
    with caplog.at_level(logging.WARNING, logger="newsroom.security"):
        response = reporter_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 403
    assert not Article.objects.exists()
    assert any(r.name == "newsroom.security" for r in caplog.records)


def test_a_crafted_publish_action_from_a_reporter_is_refused(reporter_client, reporter, caplog):
    article = make_article("review", owner=reporter)
    url = reverse("admin:articles_article_changelist")
    with caplog.at_level(logging.WARNING, logger="newsroom.security"):
        response = reporter_client.post(url, {"action": "publish_selected", "_selected_action": [article.pk]})
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == S.REVIEW
    assert any("publish_selected" in r.getMessage() for r in caplog.records)


def test_a_crafted_delete_action_from_an_editor_is_refused(editor_client, reporter):
    article = make_article("draft", owner=reporter)
    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "delete_selected", "_selected_action": [article.pk]},
    )
    assert response.status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_reporter_submits_only_his_own_drafts_by_bulk_action(reporter_client, reporter, other_reporter):
    mine, theirs = make_article("draft", reporter), make_article("published", other_reporter)
    url = reverse("admin:articles_article_changelist")
    refused = reporter_client.post(
        url, {"action": "submit_selected", "_selected_action": [mine.pk, theirs.pk]}
    )
    assert refused.status_code in (302, 403)  # refused (not his) or not a draft: either way
    mine.refresh_from_db()
    assert mine.status == S.DRAFT  # all or nothing
    # A colleague's draft does not exist for him: a forged id of one is ignored, like a missing one.
    hidden = make_article("draft", other_reporter)
    ok = reporter_client.post(url, {"action": "submit_selected", "_selected_action": [mine.pk, hidden.pk]})
    assert ok.status_code == 302
    mine.refresh_from_db()
    hidden.refresh_from_db()
    assert (mine.status, hidden.status) == (S.REVIEW, S.DRAFT)


def test_editor_publishes_in_bulk(editor_client, reporter):
    articles = [make_article("review", reporter) for _ in range(3)]
    url = reverse("admin:articles_article_changelist")
    response = editor_client.post(
        url, {"action": "publish_selected", "_selected_action": [a.pk for a in articles]}
    )
    assert response.status_code == 302
    assert Article.objects.published().count() == 3


def test_groups_hold_the_workflow_permissions():
    from django.contrib.auth.models import Group

    def codes(name):
        return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

    reporter, editor, chief = codes("记者"), codes("编辑"), codes("值班主任")
    assert {"submit_article", "add_article", "change_article"} <= reporter
    assert not {"publish_article", "review_article", "withdraw_article", "edit_any_article"} & reporter
    assert {
        "publish_article",
        "review_article",
        "withdraw_article",
        "edit_any_article",
        "preview_article",
    } <= editor
    assert editor <= chief
