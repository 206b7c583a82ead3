"""The load step, called directly with hand-built page structures: what it writes, replaces and refuses."""

import datetime as dt

import pytest
from reversion.models import Version

from articles.models import Article, ArticleEvent, Byline, Person, Section
from editions.importer.load import LoadRefused, PageInput, body_html, load_pages
from editions.importer.structure import BodyBlock, BylineEntry, ParsedArticle, ParsedPage
from editions.models import Edition, EditionEvent, ImportRun, Page, Placement
from editions.services import imported_release_time
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

DATE = dt.date(2024, 12, 9)


def story(headline, *, lead=False, names=("张三",), body=("正文一段。",), **extra):
    return ParsedArticle(
        headline=headline,
        dateline="本报记者",
        bylines=[BylineEntry(name, "记者") for name in names],
        body=[BodyBlock("paragraph", text) for text in body],
        is_lead=lead,
        **extra,
    )


def page_input(articles, *, number=1, source="p1.txt", sha="a" * 64, name="要闻", date=DATE, **extra):
    parsed = ParsedPage(source=source, encoding="utf-8", page_number=number, articles=articles, **extra)
    return PageInput(source=source, sha256=sha, parsed=parsed, date=date, page_number=number, page_name=name)


def placements(page):
    return list(
        Placement.objects.filter(page=page)
        .order_by("position")
        .values_list("position", "is_lead", "article__headline")
    )


def test_new_page_creates_edition_page_articles_bylines_and_placements_lead_first():
    items = [story("短讯", names=("张三", "李四")), story("头条", lead=True), story("尾条", names=("张三",))]
    [outcome] = load_pages([page_input(items, banner=["报眉口号"], unassigned=["无处安放"])], status="draft")

    edition = Edition.objects.get(date=DATE)
    assert edition.number == 1 and edition.status == Edition.Status.PLANNING
    page = Page.objects.get(edition=edition, number=1)
    assert (page.name, page.banner_text, page.unassigned_text) == ("要闻", "报眉口号", "无处安放")
    assert placements(page) == [(1, True, "头条"), (2, False, "短讯"), (3, False, "尾条")]
    assert Person.objects.filter(name="张三").count() == 1
    short = Article.objects.get(headline="短讯")
    assert [(b.person.name, b.get_role_display(), b.order) for b in short.bylines.order_by("order")] == [
        ("张三", "记者", 1),
        ("李四", "记者", 2),
    ]
    assert short.status == Article.Status.DRAFT and short.section.name == "要闻"
    assert outcome.outcome == "imported" and outcome.articles_created == 3 and outcome.unassigned_chars == 4
    run = ImportRun.objects.get()
    assert run.page == page and run.unassigned_text == "无处安放" and run.articles_created == 3
    assert ArticleEvent.objects.filter(action=ArticleEvent.Action.IMPORT).count() == 3


def test_body_is_escaped_html_with_paragraphs_and_subheads():
    article = ParsedArticle(
        headline="标题",
        body=[
            BodyBlock("paragraph", "甲<b>乙</b>&丙"),
            BodyBlock("subhead", "小标题"),
            BodyBlock("paragraph", "丁。"),
        ],
    )
    html = body_html(article)
    assert html == "<p>甲&lt;b&gt;乙&lt;/b&gt;&amp;丙</p><h3>小标题</h3><p>丁。</p>"
    load_pages([page_input([article])], status="draft")
    stored = Article.objects.get().body
    assert "<h3>小标题</h3>" in stored and "<b>" not in stored


def test_existing_person_and_section_are_reused_and_new_section_gets_ascii_slug():
    person = Person.objects.create(name="张三")
    Section.objects.create(name="要闻", slug="yaowen")
    load_pages([page_input([story("一", lead=True)])], status="draft")
    load_pages(
        [page_input([story("二", lead=True)], number=2, source="p2.txt", name="社会新闻")], status="draft"
    )
    assert Person.objects.filter(name="张三").get() == person
    assert Article.objects.get(headline="一").section.slug == "yaowen"
    new = Section.objects.get(name="社会新闻")
    assert new.slug == f"section-{new.pk}"


def test_review_status_goes_through_the_workflow_with_an_import_event():
    load_pages([page_input([story("头条", lead=True)])])
    article = Article.objects.get()
    assert article.status == Article.Status.REVIEW and article.submitted_at is not None
    event = ArticleEvent.objects.get(article=article, to_status=Article.Status.REVIEW)
    assert event.action == ArticleEvent.Action.IMPORT and event.from_status == Article.Status.DRAFT
    assert Edition.objects.get().status == Edition.Status.PLANNING


def test_published_status_publishes_stories_and_edition_at_six_in_the_morning():
    load_pages([page_input([story("头条", lead=True)])], status="published")
    edition = Edition.objects.get()
    expected = dt.datetime(2024, 12, 9, 6, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert edition.status == Edition.Status.PUBLISHED and edition.released_at == expected
    assert Edition.objects.released().get() == edition
    article = Article.objects.published().get()
    assert article.published_at == expected
    assert EditionEvent.objects.filter(edition=edition, action=EditionEvent.Action.RELEASE).exists()


def test_release_time_is_now_when_the_date_lies_ahead():
    now = dt.datetime(2024, 12, 9, 1, 0, tzinfo=dt.UTC)
    assert imported_release_time(dt.date(2030, 1, 1), now) == now
    assert imported_release_time(dt.date(2024, 12, 8), now) == dt.datetime(2024, 12, 7, 22, 0, tzinfo=dt.UTC)


def test_continued_to_page_points_at_a_placeholder_page_that_a_later_import_fills():
    load_pages([page_input([story("头条", lead=True, continued_to_page=2)])], status="draft")
    placeholder = Page.objects.get(number=2)
    assert placeholder.name == "待定"
    assert Placement.objects.get().continues_on == placeholder
    continued = story("头条", lead=True, body=("续文。",), continued_from_page=1)
    [outcome] = load_pages([page_input([continued], number=2, source="p2.txt", name="综合")], status="draft")
    placeholder.refresh_from_db()
    assert placeholder.name == "综合"
    # The continuation joins the story begun on page 1: one article, its jump pointing here.
    assert Article.objects.count() == 1
    assert Article.objects.get().body == "<p>正文一段。</p><p>续文。</p>"
    assert not Placement.objects.filter(page=placeholder).exists()
    assert "上接1版" in outcome.run.message


def test_continued_from_without_a_match_stays_its_own_article_and_is_noted():
    [outcome] = load_pages(
        [page_input([story("孤立续文", lead=True, continued_from_page=1)], number=3)], status="draft"
    )
    assert Article.objects.get().headline == "孤立续文"
    assert "作为独立稿件导入" in outcome.run.message


def test_same_content_twice_changes_nothing():
    load_pages([page_input([story("头条", lead=True), story("短讯")])], status="published")
    versions = dict(Article.objects.values_list("pk", "version"))
    [outcome] = load_pages([page_input([story("头条", lead=True), story("短讯")])], status="published")
    assert outcome.outcome == "unchanged" and outcome.articles_created == 0
    assert dict(Article.objects.values_list("pk", "version")) == versions
    assert (Placement.objects.count(), Byline.objects.count(), Page.objects.count()) == (2, 2, 1)


def test_changed_version_replaces_articles_in_place_and_drops_leftovers():
    load_pages([page_input([story("头条", lead=True), story("短讯"), story("删掉")])], status="review")
    lead_pk = Article.objects.get(headline="头条").pk
    changed = [story("新短讯"), story("头条", lead=True, body=("改过的正文。",), names=("王五",))]
    [outcome] = load_pages([page_input(changed, sha="b" * 64)], status="review")
    assert outcome.outcome == "replaced"
    assert Article.objects.count() == 2
    lead = Article.objects.get(pk=lead_pk)
    assert lead.body == "<p>改过的正文。</p>"
    assert [b.person.name for b in lead.bylines.all()] == ["王五"]
    assert placements(Page.objects.get()) == [(1, True, "头条"), (2, False, "新短讯")]


def test_changed_version_refuses_when_an_article_was_edited_and_names_it():
    load_pages([page_input([story("头条", lead=True)])], status="review")
    article = Article.objects.get()
    Article.objects.filter(pk=article.pk).update(version=article.version + 1, body="<p>编辑改过。</p>")
    with pytest.raises(LoadRefused) as refused:
        load_pages([page_input([story("头条", lead=True, body=("新。",))], sha="b" * 64)], status="review")
    assert "《头条》" in refused.value.message and "--force" in refused.value.message
    assert Article.objects.get().body == "<p>编辑改过。</p>"
    assert ImportRun.objects.filter(outcome="refused").count() == 1


def test_force_replaces_an_edited_article_and_keeps_its_text_in_the_history():
    load_pages([page_input([story("头条", lead=True)])], status="review")
    article = Article.objects.get()
    Article.objects.filter(pk=article.pk).update(version=article.version + 1, body="<p>编辑改过。</p>")
    [outcome] = load_pages(
        [page_input([story("头条", lead=True, body=("新。",))], sha="b" * 64)], status="review", force=True
    )
    assert outcome.outcome == "replaced"
    assert Article.objects.get().body == "<p>新。</p>"
    bodies = [v.field_dict["body"] for v in Version.objects.get_for_object(article)]
    assert "<p>编辑改过。</p>" in bodies and "<p>新。</p>" in bodies


def test_an_edit_saved_while_the_import_writes_is_not_overwritten(monkeypatch):
    """The import saves through workflow.claim_version: a save after the check refuses the run, never lost."""
    from editions.importer import load as load_module

    load_pages([page_input([story("头条", lead=True)])], status="review")
    article = Article.objects.get()
    real = load_module.previous_import

    def edited_right_after_the_check(last):
        previous = real(last)
        Article.objects.filter(pk=article.pk).update(version=article.version + 1, body="<p>编辑刚改。</p>")
        return previous

    monkeypatch.setattr(load_module, "previous_import", edited_right_after_the_check)
    with pytest.raises(LoadRefused, match="刚被他人修改"):
        load_pages([page_input([story("头条", lead=True, body=("新。",))], sha="b" * 64)], status="review")
    # The whole run rolled back (the simulated edit with it, here): the import overwrote nothing.
    assert Article.objects.get().body == "<p>正文一段。</p>"
    assert ImportRun.objects.count() == 1


def test_replacing_and_continuing_bump_each_version_once():
    first = page_input([story("头条", lead=True)])
    second = page_input([story("头条", continued_from_page=1)], number=2, source="p2.txt", sha="c" * 64)
    load_pages([first, second], status="review")
    article = Article.objects.get()
    # Made (1), moved to review (2), its continuation appended from page 2 (3).
    assert article.version == 3 and article.body == "<p>正文一段。</p><p>正文一段。</p>"
    load_pages(
        [page_input([story("头条", lead=True, body=("新。",))], sha="b" * 64)], status="review", force=True
    )
    article.refresh_from_db()
    assert article.version == 4 and article.body == "<p>新。</p>"
    assert article.updated_by is None


def test_a_page_imported_from_another_file_is_refused_without_force():
    load_pages([page_input([story("头条", lead=True)])], status="draft")
    with pytest.raises(LoadRefused, match="已由文件 p1.txt 导入"):
        load_pages([page_input([story("别的", lead=True)], source="other.txt", sha="c" * 64)], status="draft")
    assert Article.objects.get().headline == "头条"


def test_a_page_with_hand_made_placements_is_refused():
    edition = Edition.objects.create(date=DATE, number=7)
    page = Page.objects.create(edition=edition, number=1, name="要闻")
    Placement.objects.create(page=page, article=ArticleFactory(), position=1)
    with pytest.raises(LoadRefused, match="手工编排"):
        load_pages([page_input([story("头条", lead=True)])], status="draft")


def test_all_or_nothing_across_pages_and_bad_page_numbers():
    good = page_input([story("头条", lead=True)])
    with pytest.raises(LoadRefused, match="版次 0 无效"):
        load_pages([good, page_input([story("二")], number=0, source="p0.txt")])
    with pytest.raises(LoadRefused, match="占用"):
        load_pages([good, page_input([story("二")], source="dup.txt")])
    assert not Edition.objects.exists() and not Article.objects.exists()
    # A refusal in the second page rolls back the first.
    load_pages([page_input([story("旧", lead=True)], number=2, source="p2.txt")], status="draft")
    Article.objects.filter(headline="旧").update(version=99)
    with pytest.raises(LoadRefused):
        load_pages([good, page_input([story("新", lead=True)], number=2, source="p2.txt", sha="d" * 64)])
    assert not Page.objects.filter(number=1).exists()
    assert list(Article.objects.values_list("headline", flat=True)) == ["旧"]


def test_new_editions_take_the_next_number():
    Edition.objects.create(date=dt.date(2024, 12, 8), number=41)
    load_pages([page_input([story("头条", lead=True)])], status="draft")
    assert Edition.objects.get(date=DATE).number == 42


def test_a_signed_off_page_is_refused():
    edition = Edition.objects.create(date=DATE, number=7)
    Page.objects.create(edition=edition, number=1, name="要闻", state=Page.State.SIGNED_OFF)
    with pytest.raises(LoadRefused, match="已签发"):
        load_pages([page_input([story("头条", lead=True)])], status="draft")
    assert not Article.objects.exists()


def test_each_new_article_keeps_its_import_events_and_a_revision_with_its_bylines():
    load_pages(
        [page_input([story("头条", lead=True, names=("张三", "李四")), story("短讯")])], status="review"
    )
    for article in Article.objects.all():
        events = list(
            article.events.order_by("created_at", "pk").values_list(
                "action", "from_status", "to_status", "note"
            )
        )
        assert events == [
            ("import", "", "draft", "导入自 p1.txt"),
            ("import", "draft", "review", "导入自 p1.txt"),
        ]
        assert article.version == 2 and article.submitted_at is not None
        [version] = Version.objects.get_for_object(article)
        assert version.field_dict["status"] == "review"
        names = {v.object_repr for v in version.revision.version_set.filter(content_type__model="byline")}
        assert {f"记者 {b.person.name}" for b in article.bylines.all()} <= names


def test_a_new_pages_revision_holds_its_articles_and_bylines_exactly_as_stored():
    import json

    from django.core import serializers

    load_pages(
        [
            page_input(
                [story("头条", lead=True, names=("张三", "李四", "张三")), story("短讯", names=("王五",))]
            )
        ],
        status="review",
    )
    [revision] = {v.revision for v in Version.objects.all()}
    stored = [*Article.objects.order_by("pk"), *Byline.objects.order_by("pk")]
    versions = {(v.content_type.model, int(v.object_id)): v for v in revision.version_set.all()}
    assert set(versions) == {(obj._meta.model_name, obj.pk) for obj in stored}
    for byline in Byline.objects.all():
        [row] = json.loads(serializers.serialize("json", [byline]))
        [kept] = json.loads(versions["byline", byline.pk].serialized_data)
        assert kept["fields"] == row["fields"]
    assert [b.person.name for b in Article.objects.get(headline="头条").bylines.all()] == ["张三", "李四"]


def test_a_jump_target_made_earlier_in_the_run_is_the_page_its_own_file_fills():
    load_pages(
        [
            page_input([story("头条", lead=True, continued_to_page=2)]),
            page_input([story("综合稿", lead=True)], number=2, source="p2.txt", sha="b" * 64, name="综合"),
        ],
        status="draft",
    )
    page = Page.objects.get(number=2)
    assert Page.objects.count() == 2 and page.name == "综合"
    assert Placement.objects.get(article__headline="头条").continues_on == page
    assert placements(page) == [(1, True, "综合稿")]


def test_the_round_trips_of_a_page_do_not_grow_with_its_stories():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(count, number):
        items = [story(f"稿{number}-{i}", lead=i == 0, names=(f"人{number}{i}",)) for i in range(count)]
        with CaptureQueriesContext(connection) as ctx:
            load_pages([page_input(items, number=number, source=f"p{number}.txt")], status="review")
        return len(ctx.captured_queries)

    queries(2, 1)  # the edition, the section and the system's first rows
    assert queries(8, 3) == queries(2, 2)
