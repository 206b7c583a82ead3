"""Releasing an edition (atomic, now or scheduled) and keeping it consistent afterwards."""

import datetime as dt
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.db.models import ProtectedError
from django.utils import timezone

from articles import workflow
from articles.models import Article
from editions import services
from editions.models import Edition, EditionEvent, Page
from tests.factories import ArticleFactory, EditionFactory, PageFactory, PlacementFactory

pytestmark = pytest.mark.django_db

TZ = dt.timezone(dt.timedelta(hours=8))


def build(edition=None, stories=(("review", "review"), ("published",)), signed=True):
    """An edition with one page per tuple in ``stories``, each story in that state."""
    edition = edition or EditionFactory(date=timezone.localdate() + timedelta(days=1))
    pages = []
    for number, states in enumerate(stories, start=1):
        page = PageFactory(
            edition=edition, number=number, state=Page.State.SIGNED_OFF if signed else "planning"
        )
        for position, state in enumerate(states, start=1):
            traits = {state: True} if state in ("review", "published", "withdrawn") else {}
            PlacementFactory(page=page, position=position, article=ArticleFactory(**traits))
        pages.append(page)
    return edition, pages


def placed(edition):
    return Article.objects.filter(placements__edition=edition)


def test_release_now_publishes_every_story_at_one_time(chief):
    edition, _ = build()
    earlier = placed(edition).get(status="published").published_at
    edition = services.edition_release(edition=edition, user=chief)
    assert edition.status == Edition.Status.PUBLISHED and edition.released_by == chief
    assert Edition.objects.released().filter(pk=edition.pk).exists()
    assert placed(edition).filter(status="published").count() == 3
    fresh = placed(edition).exclude(published_at=earlier)
    assert {a.published_at for a in fresh} == {edition.released_at}
    # A story the website carried earlier keeps its earlier time.
    assert placed(edition).filter(published_at=earlier).count() == 1
    assert edition.events.filter(action=EditionEvent.Action.RELEASE, actor=chief).exists()


def test_scheduled_release_at_six_on_the_edition_date_is_invisible_until_then(chief):
    with time_machine.travel(dt.datetime(2026, 11, 26, 21, 30, tzinfo=TZ), tick=False):
        edition, _ = build(edition=EditionFactory(date=dt.date(2026, 11, 27)))
        when = services.default_release_time(edition)
        assert when == dt.datetime(2026, 11, 27, 6, 0, tzinfo=TZ)
        services.edition_release(edition=edition, user=chief, when=when)
        edition.refresh_from_db()
        assert edition.status == Edition.Status.PUBLISHED and edition.released_at == when
        assert not Edition.objects.released().exists()
        assert Article.objects.published().count() == 1  # only the story published earlier
        assert placed(edition).scheduled().count() == 2
        assert edition.events.get(action=EditionEvent.Action.SCHEDULE).actor == chief
    with time_machine.travel(dt.datetime(2026, 11, 27, 6, 0, 1, tzinfo=TZ), tick=False):
        assert list(Edition.objects.released()) == [edition]
        assert Article.objects.published().count() == 3


def test_release_time_in_the_past_refused(chief):
    edition, _ = build()
    with pytest.raises(services.ReleaseBlocked, match="定时出版时间已过"):
        services.edition_release(edition=edition, user=chief, when=timezone.now() - timedelta(hours=2))
    edition.refresh_from_db()
    assert edition.status == Edition.Status.PLANNING


def test_unsigned_page_blocks_release_naming_the_page(chief):
    edition, pages = build()
    Page.objects.filter(pk=pages[1].pk).update(state=Page.State.PROOFREAD)
    with pytest.raises(services.ReleaseBlocked) as err:
        services.edition_release(edition=edition, user=chief)
    assert "第2版（已校对）" in err.value.message and "请先校对并签发" in err.value.message
    edition.refresh_from_db()
    assert edition.status == Edition.Status.PLANNING
    assert placed(edition).filter(status="review").count() == 2


def test_unpublishable_stories_block_release_and_are_named(chief):
    edition, pages = build(stories=(("review", "draft"), ("withdrawn",)))
    nameless = ArticleFactory(review=True, headline="")
    PlacementFactory(page=pages[1], position=2, article=nameless)
    draft = placed(edition).get(status="draft")
    with pytest.raises(services.ReleaseBlocked) as err:
        services.edition_release(edition=edition, user=chief)
    message = err.value.message
    assert f"第1版《{draft.headline}》" in message and "草稿" in message
    assert "已撤回" in message
    assert f"（无标题，编号{nameless.pk}）" in message and "缺少主题" in message
    assert len(err.value.offenders) == 3
    edition.refresh_from_db()
    assert edition.status == Edition.Status.PLANNING and edition.released_at is None
    assert placed(edition).filter(status="published").count() == 0


def test_failure_midway_rolls_everything_back(chief):
    edition, _ = build()
    real = workflow.article_publish_in_edition
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs["article"].pk)
        if len(calls) == 2:
            raise workflow.IllegalTransition("稿件已被他人处理，请刷新页面后再试。")
        return real(**kwargs)

    with (
        mock.patch.object(workflow, "article_publish_in_edition", flaky),
        pytest.raises(services.ReleaseBlocked, match="已被他人处理"),
    ):
        services.edition_release(edition=edition, user=chief)
    assert len(calls) == 2
    edition.refresh_from_db()
    assert edition.status == Edition.Status.PLANNING
    assert placed(edition).filter(status="review").count() == 2


def test_the_import_release_is_the_systems_and_refused_to_a_person_without_the_right(editor):
    """edition_release_imported checks the release right unless the importer calls it as the system."""
    edition, _ = build(signed=False)
    when = timezone.now()
    with pytest.raises(services.EditionForbidden):
        services.edition_release_imported(edition=edition, user=editor, released_at=when)
    edition.refresh_from_db()
    assert edition.status == Edition.Status.PLANNING
    services.edition_release_imported(edition=edition, user=editor, released_at=when, check_permission=False)
    edition.refresh_from_db()
    assert (edition.status, edition.released_at, edition.released_by) == (
        Edition.Status.PUBLISHED,
        when,
        editor,
    )
    assert (
        edition.events.filter(action=EditionEvent.Action.RELEASE, note__startswith="导入时随稿件").count()
        == 1
    )


@pytest.mark.parametrize("who", ["editor", "reporter"])
def test_only_chief_editor_releases(request, who):
    user = request.getfixturevalue(who)
    edition, _ = build()
    with pytest.raises(services.EditionForbidden):
        services.edition_release(edition=edition, user=user)
    edition.refresh_from_db()
    assert edition.status == Edition.Status.PLANNING
    assert placed(edition).filter(status="review").count() == 2
    assert list(edition.events.values_list("action", flat=True)) == [EditionEvent.Action.REFUSED]


def test_released_edition_cannot_be_released_again_or_reopened(chief):
    edition, pages = build()
    services.edition_release(edition=edition, user=chief)
    with pytest.raises(services.ReleaseBlocked, match="已经出版"):
        services.edition_release(edition=edition, user=chief)
    with pytest.raises(services.PageLocked, match="已出版"):
        services.page_reopen(page=pages[0], user=chief)


def test_withdrawal_after_release_needs_reason_and_enters_edition_history(
    chief, editor, django_capture_on_commit_callbacks
):
    edition, pages = build()
    with django_capture_on_commit_callbacks(execute=True):
        services.edition_release(edition=edition, user=chief)
    story = placed(edition).filter(placements__page=pages[0]).first()
    placement = story.placements.get()
    # The pages are signed off, so the jump is set directly in the database for this check.
    placement.continues_on = pages[1]
    placement.save()
    with pytest.raises(workflow.NoteRequired):
        workflow.article_withdraw(article=story, user=editor, note="")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_withdraw(article=story, user=editor, note="数据有误")
    event = edition.events.get(action=EditionEvent.Action.WITHDRAW_STORY)
    assert event.article == story and event.actor == editor and event.page == pages[0]
    assert "数据有误" in event.note and "第1版" in event.note
    # The edition stays valid: the placement is kept, readers no longer see it, and its jump disappears too.
    assert Edition.objects.released().filter(pk=edition.pk).exists()
    assert story.placements.exists()
    assert list(services.continued_from(pages[1])) == []
    assert list(services.continued_from(pages[1], published_only=False)) == [placement]


def test_withdrawing_a_story_of_an_unreleased_edition_writes_no_edition_history(
    editor, django_capture_on_commit_callbacks
):
    story = ArticleFactory(published=True)
    PlacementFactory(article=story)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_withdraw(article=story, user=editor, note="重复稿")
    assert not EditionEvent.objects.filter(action=EditionEvent.Action.WITHDRAW_STORY).exists()


def test_placed_article_cannot_be_deleted():
    placement = PlacementFactory()
    with pytest.raises(ProtectedError):
        placement.article.delete()
    assert Article.objects.filter(pk=placement.article_id).exists()


def test_public_edition_omits_a_withdrawn_story_and_its_jump(
    client, chief, editor, django_capture_on_commit_callbacks
):
    edition, pages = build(edition=EditionFactory(date=timezone.localdate()))
    services.edition_release(edition=edition, user=chief)
    story = placed(edition).filter(placements__page=pages[0]).order_by("placements__position").first()
    kept = placed(edition).filter(placements__page=pages[0]).exclude(pk=story.pk).get()
    placement = story.placements.get()
    placement.continues_on = pages[1]
    placement.save()
    before = client.get(pages[0].get_absolute_url()).content.decode()
    assert story.headline in before and "下转2版" in before
    with django_capture_on_commit_callbacks(execute=True):  # the workflow's cache purge runs on commit
        workflow.article_withdraw(article=story, user=editor, note="当事人要求更正")
    for page in pages:
        response = client.get(page.get_absolute_url())
        assert response.status_code == 200
        html = response.content.decode()
        assert story.headline not in html and "下转2版" not in html and "上接1版" not in html
    assert kept.headline in client.get(pages[0].get_absolute_url()).content.decode()
