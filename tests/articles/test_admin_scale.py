"""The admin's article list at scale (issue 13): never counted whole, constant queries, index plans.

The list counts at most ``count_limit`` rows (``newsroom/paginators.py``) and says its size in
words (共/约/超过 N 篇); a page costs the same queries whatever its number and the list's length;
the search goes through the public search's index; on PostgreSQL every query of the list is
planned on an index of the article table, never a sequential scan.
"""

import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Byline
from newsroom.paginators import CappedPaginator
from tests.factories import ArticleFactory, ColumnFactory, PersonFactory, SectionFactory

pytestmark = pytest.mark.django_db

LIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def article_admin():
    return admin.site.get_model_admin(Article)


@pytest.fixture
def small_limits(article_admin, monkeypatch):
    """A list that counts to 5 and links 2 pages of 3: the big list's behaviour on a few rows."""
    monkeypatch.setattr(article_admin, "count_limit", 5)
    monkeypatch.setattr(article_admin, "max_pages", 2)
    monkeypatch.setattr(article_admin, "list_per_page", 3)
    return article_admin


def make_articles(count, *, section=None, created_by=None, status=Article.Status.PUBLISHED, body=None):
    """``count`` stories, newest first by publication, written as save() writes them (in one insert)."""
    section = section or SectionFactory(slug="yaowen", name="要闻")
    now = timezone.now()
    rows = [
        Article(
            headline=f"规模测试稿件{i:05d}",
            body=body or f"<p>第{i}篇：昨日，泉州市举行活动。</p>",
            section=section,
            status=status,
            published_at=now - timedelta(hours=i + 1) if status == Article.Status.PUBLISHED else None,
            created_at=now - timedelta(hours=i + 1),
            created_by=created_by,
        ).derive_fields()
        for i in range(count)
    ]
    return Article.objects.bulk_create(rows, batch_size=500)


def article_counts(queries):
    """The COUNT queries on the article table among captured queries."""
    return [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "articles_article" in q["sql"]]


def assert_no_full_count(queries):
    """Every COUNT on the article table counts a LIMIT-ed subquery, never the table or a filter of it."""
    for sql in article_counts(queries):
        assert re.search(r"COUNT\(\*\).*FROM \(SELECT .* LIMIT \d+\)", sql, re.S), sql


# --- counting ------------------------------------------------------------------------------------------


def test_a_short_list_is_counted_exactly_in_chinese(editor_client):
    make_articles(3)
    response = editor_client.get(LIST)
    html = response.content.decode()
    assert "共 3 篇" in html
    assert response.context["cl"].full_result_count is None


def test_a_long_list_is_counted_only_to_its_limit(editor_client, small_limits):
    make_articles(9)
    with CaptureQueriesContext(connection) as ctx:
        response = editor_client.get(LIST + "?status__exact=published")
    html = response.content.decode()
    assert "超过 5 篇" in html
    assert_no_full_count(ctx.captured_queries)
    assert article_counts(ctx.captured_queries), "the capped count is one query"


def test_no_changelist_view_counts_the_whole_table(editor_client, small_limits):
    make_articles(9)
    for query in ("", "?q=泉州", "?queue=review", "?queue=mine", "?status__exact=draft", "?o=7", "?p=2"):
        with CaptureQueriesContext(connection) as ctx:
            response = editor_client.get(LIST + query)
        assert response.status_code == 200, query
        assert_no_full_count(ctx.captured_queries)


def test_facets_are_never_counted(editor_client):
    make_articles(3)
    with CaptureQueriesContext(connection) as ctx:
        response = editor_client.get(LIST + "?_facets=1")
    assert response.status_code == 200
    assert len(article_counts(ctx.captured_queries)) <= 1  # the paginator's capped count only
    assert_no_full_count(ctx.captured_queries)


# --- pages ----------------------------------------------------------------------------------------------


def test_page_links_work_and_stop_at_the_depth(editor_client, small_limits):
    make_articles(9)
    first = editor_client.get(LIST + "?status__exact=published")
    html = first.content.decode()
    assert "规模测试稿件00000" in html and "规模测试稿件00003" not in html
    assert "?p=2&amp;status__exact=published" in html or "?status__exact=published&amp;p=2" in html
    assert "页码只列到第 2 页" in html
    second = editor_client.get(LIST + "?status__exact=published&p=2")
    html = second.content.decode()
    assert [f"规模测试稿件{i:05d}" in html for i in range(6)] == [False] * 3 + [True] * 3
    # Past the depth: Django's own answer to a page out of range (back to the list, ?e=1).
    beyond = editor_client.get(LIST + "?status__exact=published&p=3")
    assert beyond.status_code == 302 and "e=1" in beyond["Location"]


def test_pages_come_in_the_lists_order(editor_client, article_admin, monkeypatch):
    monkeypatch.setattr(article_admin, "list_per_page", 4)
    make_articles(10)
    seen = []
    for page in (1, 2, 3):
        cl = editor_client.get(LIST + f"?p={page}").context["cl"]
        seen += [a.headline for a in cl.result_list]
    assert seen == [f"规模测试稿件{i:05d}" for i in range(10)]


@pytest.mark.parametrize("rows", [3, 40])
def test_a_page_costs_the_same_queries_whatever_the_lists_length(
    editor_client, django_assert_max_num_queries, rows
):
    section = SectionFactory(slug="yaowen", name="要闻")
    person = PersonFactory()
    for article in make_articles(rows, section=section):
        Byline.objects.create(article=article, person=person)
    editor_client.get(LIST)  # warm per-process caches (content types, permissions)
    # Session, user, groups/permissions, sections and columns (filters), date bounds, the capped
    # count, the page's ids, its rows, their bylines; the same for 3 rows and for 40.
    with django_assert_max_num_queries(14):
        response = editor_client.get(LIST)
    assert response.status_code == 200
    with django_assert_max_num_queries(14):
        assert editor_client.get(LIST + "?p=1&status__exact=published").status_code == 200


def test_a_page_fetches_its_rows_by_id():
    make_articles(12)
    paginator = CappedPaginator(Article.objects.order_by("-published_at", "-created_at", "-pk"), 5)
    page = paginator.page(2)
    assert [a.headline for a in page.object_list] == [f"规模测试稿件{i:05d}" for i in range(5, 10)]
    assert paginator.count == 12 and paginator.count_label == "共 12 条"
    assert "IN" in str(page.object_list.query)


# --- ordering and filters -------------------------------------------------------------------------------


def test_only_indexed_columns_sort(editor_client):
    make_articles(2)
    cl = editor_client.get(LIST).context["cl"]
    assert set(cl.sortable_by) == {"submitted_at", "updated_at"}
    # Sorting by 更新时间 ascending breaks ties by pk in the same direction (one index walk).
    cl = editor_client.get(LIST + f"?o={cl.list_display.index('updated_at')}").context["cl"]
    assert str(cl.queryset.query).rstrip().endswith('"articles_article"."id" ASC')


def test_no_date_hierarchy_and_the_year_month_filter_narrows(editor_client):
    section = SectionFactory(slug="yaowen", name="要闻")
    make_articles(2, section=section)
    old = ArticleFactory(published=True, section=section, headline="二〇一九年的旧稿")
    Article.objects.filter(pk=old.pk).update(
        published_at=timezone.make_aware(timezone.datetime(2019, 5, 3, 9))
    )
    response = editor_client.get(LIST)
    assert response.context["cl"].date_hierarchy is None
    html = response.content.decode()
    assert "发布年月" in html and "2019 年" in html
    html = editor_client.get(LIST + "?published=2019").content.decode()
    assert "二〇一九年的旧稿" in html and "规模测试稿件00000" not in html and "2019 年 5 月" in html
    html = editor_client.get(LIST + "?published=2019-05").content.decode()
    assert "二〇一九年的旧稿" in html
    html = editor_client.get(LIST + "?published=2019-06").content.decode()
    assert "二〇一九年的旧稿" not in html


def test_filters_list_sections_and_columns_without_reading_articles(editor_client):
    make_articles(3)
    ColumnFactory(name="晋江经验")
    with CaptureQueriesContext(connection) as ctx:
        html = editor_client.get(LIST).content.decode()
    assert "要闻" in html and "晋江经验" in html
    article_reads = [q["sql"] for q in ctx.captured_queries if 'FROM "articles_article"' in q["sql"]]
    # The 发布年月 bounds (MIN/MAX over an index), the capped count and the one page's rows.
    assert len(article_reads) == 3, article_reads


# --- search and the reporter's own list -----------------------------------------------------------------


def test_search_finds_through_the_search_index_with_substring_recall(editor_client):
    section = SectionFactory(slug="yaowen", name="要闻")
    make_articles(3, section=section)
    hit = ArticleFactory(section=section, headline="无关标题", body="<p>安海镇举办民俗文化活动。</p>")
    inside = ArticleFactory(section=section, headline="另一篇", body="<p>西安海港城建设。</p>")
    with CaptureQueriesContext(connection) as ctx:
        cl = editor_client.get(LIST + "?q=安海").context["cl"]
    assert set(cl.result_list) == {hit, inside}
    assert not any("LIKE" in q["sql"] and "UPPER" in q["sql"] for q in ctx.captured_queries)
    assert "共 2 篇" in editor_client.get(LIST + "?q=安海").content.decode()


def test_search_of_punctuation_only_finds_nothing(editor_client):
    make_articles(2)
    cl = editor_client.get(LIST + "?q=，。").context["cl"]
    assert list(cl.result_list) == []


def test_the_reporter_sees_his_own_and_the_published_ones_in_the_same_queries(
    client, reporter, other_reporter, django_assert_max_num_queries
):
    section = SectionFactory(slug="yaowen", name="要闻")
    make_articles(5, section=section)
    own = make_articles(2, section=section, created_by=reporter, status=Article.Status.DRAFT)
    theirs = make_articles(2, section=section, created_by=other_reporter, status=Article.Status.DRAFT)
    bylined = ArticleFactory(section=section, headline="署名稿件")
    Byline.objects.create(article=bylined, person=reporter.person)
    client.force_login(reporter)
    client.get(LIST)
    with django_assert_max_num_queries(16):
        response = client.get(LIST)
    listed = set(response.context["cl"].result_list)
    assert set(own) <= listed and bylined in listed and not set(theirs) & listed
    assert len(listed) == 5 + 2 + 1
    mine = set(client.get(LIST + "?queue=mine").context["cl"].result_list)
    assert mine == {*own, bylined}


# --- plans on PostgreSQL --------------------------------------------------------------------------------

PLAN_ROWS = 3000


@pytest.fixture
def archive(reporter, other_reporter, article_admin, monkeypatch):
    """PLAN_ROWS stories in four sections, some in columns, drafts and reviews among them, analyzed.

    The list counts to 300 here: the same share of the table as 10,000 of a million is not (the
    planner would rightly read a 3,000-row table whole to count all of it), but what matters is
    that counting stops long before the table's end, as it does at scale.
    """
    monkeypatch.setattr(article_admin, "count_limit", 300)
    sections = [SectionFactory(slug=f"s{i}", name=f"栏目{i}") for i in range(4)]
    columns = [ColumnFactory(name=f"专栏{i}") for i in range(3)]
    now = timezone.now()
    rows = []
    for i in range(PLAN_ROWS):
        status = [Article.Status.PUBLISHED] * 8 + [Article.Status.DRAFT, Article.Status.REVIEW]
        status = status[i % 10]
        rows.append(
            Article(
                headline=f"规模测试稿件{i:05d}",
                body=f"<p>第{i}篇：昨日，{'安海镇' if i % 97 == 0 else '泉州市'}举行民俗文化活动。</p>",
                section=sections[i % 4],
                column=columns[i % 3] if i % 5 == 0 else None,
                status=status,
                published_at=now - timedelta(hours=i + 1) if status == Article.Status.PUBLISHED else None,
                submitted_at=now - timedelta(hours=i) if status == Article.Status.REVIEW else None,
                created_at=now - timedelta(hours=i + 2),
                created_by=(reporter, other_reporter, None, None)[i % 4],
            ).derive_fields()
        )
    made = Article.objects.bulk_create(rows, batch_size=500)
    Byline.objects.bulk_create(Byline(article=article, person=reporter.person) for article in made[1::50])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
        cursor.execute("ANALYZE articles_byline")
    return {"sections": sections, "columns": columns}


# A sequential scan of the article table itself (not of articles_articleevent and the like).
TABLE_SCAN = re.compile(r"Seq Scan on articles_article\s")


def explained(run):
    """Run ``run()``; return (sql, plan) for every SELECT on the article table, explained where it ran."""
    plans = []

    def explain_then_execute(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("SELECT") and "articles_article" in sql:
            with connection.connection.cursor() as raw:
                raw.execute("EXPLAIN " + sql, params)
                plans.append((sql, "\n".join(row[0] for row in raw.fetchall())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain_then_execute):
        run()
    return plans


EDITOR_VIEWS = [
    "",
    "?p=2",
    "?p=6",
    "?status__exact=draft",
    "?status__exact=published&p=3",
    "?section__id__exact={section}",
    "?column__id__exact={column}",
    "?queue=review",
    "?queue=scheduled",
    "?queue=mine",
    "?o=7",
    "?o=-7",
    "?o=6",
    "?published={year}",
    "?q=安海镇",
]


@pytest.mark.postgres
@pytest.mark.parametrize("view", EDITOR_VIEWS)
def test_every_query_of_the_editors_list_uses_an_index(editor_client, archive, view):
    url = LIST + view.format(
        section=archive["sections"][1].pk, column=archive["columns"][2].pk, year=timezone.now().year
    )
    responses = []
    plans = explained(lambda: responses.append(editor_client.get(url)))
    assert responses[0].status_code == 200
    assert plans
    for sql, plan in plans:
        assert not TABLE_SCAN.search(plan), f"{view}\n{sql}\n{plan}"
    assert_no_full_count([{"sql": sql} for sql, _plan in plans])


@pytest.mark.postgres
@pytest.mark.parametrize("view", ["", "?p=4", "?queue=mine", "?queue=returned", "?status__exact=draft"])
def test_every_query_of_the_reporters_list_uses_an_index(client, reporter, archive, view):
    client.force_login(reporter)
    responses = []
    plans = explained(lambda: responses.append(client.get(LIST + view)))
    assert responses[0].status_code == 200
    for sql, plan in plans:
        assert not TABLE_SCAN.search(plan), f"{view}\n{sql}\n{plan}"


@pytest.mark.postgres
def test_the_whole_table_is_estimated_not_counted(editor_client, archive):
    with CaptureQueriesContext(connection) as ctx:
        html = editor_client.get(LIST).content.decode()
    assert f"约 {PLAN_ROWS:,} 篇" in html
    assert not article_counts(ctx.captured_queries)
    # A filtered list past the limit says 超过.
    assert "超过 300 篇" in editor_client.get(LIST + "?status__exact=published").content.decode()


# --- the log of moves (several lines per story) ---------------------------------------------------------

LOG = reverse("admin:articles_articleevent_changelist")


def test_the_log_is_never_counted_whole_and_searches_through_the_index(editor_client, editor):
    from articles.models import ArticleEvent

    section = SectionFactory(slug="yaowen", name="要闻")
    stories = make_articles(3, section=section)
    hit = ArticleFactory(section=section, headline="无关标题", body="<p>安海镇举办民俗文化活动。</p>")
    for story in [*stories, hit]:
        ArticleEvent.objects.create(article=story, action="create", actor=editor, note="新建")
    with CaptureQueriesContext(connection) as ctx:
        response = editor_client.get(LOG)
    html = response.content.decode()
    assert "共 4 条" in html and response.context["cl"].date_hierarchy is None
    assert_no_full_count(ctx.captured_queries)
    assert not [
        q
        for q in ctx.captured_queries
        if "COUNT(" in q["sql"] and "articleevent" in q["sql"] and "LIMIT" not in q["sql"]
    ]
    found = editor_client.get(LOG + "?q=安海").context["cl"].result_list
    assert [event.article for event in found] == [hit]
    assert len(editor_client.get(LOG, {"q": editor.person.name}).context["cl"].result_list) == 4
