"""On PostgreSQL with a few thousand stories, every search query is planned on indexes, never a table scan.

Each statement the search runs is explained where it runs (same session, same settings), so the
plans checked are the plans used.
"""

import random
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from articles import search
from articles.models import Article
from articles.search import find, postgres
from articles.search.query import parse_query
from tests.factories import SectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

STORIES = 4000
SEED = next((Path(settings.BASE_DIR) / "fixtures" / "seeds").glob("*.txt")).read_text(encoding="utf-8")
SENTENCES = [s.strip() for s in re.split(r"(?<=[。！？])", SEED.replace("\n", "")) if len(s.strip()) > 6]
PLANTED = [
    "草庵摩尼光佛造像吸引游客。",
    "安海镇举办民俗文化活动。",
    "晋江经验持续深化。",
    "集成电路产业加快发展。",
]
QUERIES = ["晋江", "安海镇", "摩尼", "晋江经验", "集成电路产业", "草庵摩尼光佛"]


_DERIVED = []


def _derived():
    """The stories' derived fields, computed once per test run (sanitizing is the slow part)."""
    if not _DERIVED:
        rng = random.Random(5)
        statuses = [Article.Status.PUBLISHED] * 8 + [Article.Status.DRAFT, Article.Status.REVIEW]
        for _ in range(STORIES):
            paragraphs = ["".join(rng.sample(SENTENCES, 3)) for _ in range(3)]
            if rng.random() < 0.03:
                paragraphs.insert(1, rng.choice(PLANTED))
            article = Article(
                headline="".join(rng.sample(SENTENCES, 1))[:30],
                body="".join(f"<p>{p}</p>" for p in paragraphs),
                status=rng.choice(statuses),
            ).derive_fields()
            fields = ("headline", "body", "status", "char_count", "search_document")
            _DERIVED.append({name: getattr(article, name) for name in fields})
    return _DERIVED


@pytest.fixture(autouse=True)
def fresh_statistics():
    """The search remembers statistics for a minute per process: each test reads its own table's."""
    postgres._statistics.clear()
    yield
    postgres._statistics.clear()


@pytest.fixture
def archive(db):
    """STORIES stories as save() writes them (bulk: the trigger fills the vector), analyzed."""
    sections = [SectionFactory(slug=f"s{i}", name=f"栏目{i}") for i in range(4)]
    now = timezone.now()
    rows = [
        Article(
            section=sections[i % 4],
            published_at=now - timedelta(hours=i) if fields["status"] == Article.Status.PUBLISHED else None,
            **fields,
        )
        for i, fields in enumerate(_derived())
    ]
    Article.objects.bulk_create(rows, batch_size=500)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")


def _explained(run):
    """Run ``run()`` and return (sql, plan text) for every SELECT on the article table it made."""
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


def _assert_no_table_scan(plans):
    assert plans
    for sql, plan in plans:
        assert "Seq Scan on articles_article" not in plan, f"{sql}\n{plan}"


def test_the_stored_vector_is_filled_by_every_write_path(archive):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM articles_article WHERE search_vector IS NULL")
        assert cursor.fetchone()[0] == 0
        article = Article.objects.filter(status=Article.Status.DRAFT).first()
        article.body = "<p>新写的安海镇草庵摩尼光佛故事</p>"
        article.save()
        Article.objects.filter(pk=article.pk).update(search_document=search.document("后改的独有词语"))
        cursor.execute("SELECT search_vector::text FROM articles_article WHERE id = %s", [article.pk])
        vector = cursor.fetchone()[0]
    assert "'独有'" in vector and "'安海'" not in vector
    # Lexemes only: no positions are stored.
    assert not re.search(r"'\S+':\d", vector)


def test_public_search_queries_use_indexes(archive):
    for text in QUERIES:
        plans = _explained(lambda text=text: find.find_ids(parse_query(text)))
        _assert_no_table_scan(plans)
        # Rare words are answered by the GIN index on the stored vector.
        if text != "晋江":
            assert any("article_search_gin" in plan for _sql, plan in plans), (text, plans)


def test_the_admins_capped_search_uses_indexes_whichever_way_it_goes(archive, monkeypatch):
    # The walk needs a large table; here 4,000 analyzed stories count as large, the estimates are real.
    monkeypatch.setattr(postgres, "CAPPED_WALK_MIN_STORIES", 0)
    ordered = Article.objects.order_by("-published_at", "-created_at", "-id")
    walked = []
    for text in QUERIES:
        plans = _explained(lambda text=text: list(search.filter_queryset(ordered, text, limit=200)))
        _assert_no_table_scan(plans)
        walked.append(any("walked" in sql for sql, _plan in plans))
    # The commonest word is walked newest first; the rare ones come from the GIN index.
    assert walked[QUERIES.index("晋江")]
    assert not walked[QUERIES.index("草庵摩尼光佛")]


def test_admin_filter_uses_indexes(archive):
    ordered = Article.objects.order_by("-published_at", "-created_at", "-id")
    for text in QUERIES:
        plans = _explained(lambda text=text: list(search.filter_queryset(ordered, text)[:100]))
        _assert_no_table_scan(plans)
    for text in ["安海镇", "草庵摩尼光佛", "集成电路产业"]:
        # Without an ordering to walk, rare words are found through the GIN index.
        plans = _explained(
            lambda text=text: list(search.filter_queryset(Article.objects.all(), text).values("pk"))
        )
        _assert_no_table_scan(plans)
        assert any("article_search_gin" in plan for _sql, plan in plans), (text, plans)
