"""generate_demo: published stories recombined from the seed, in editions with pages, searchable."""

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from articles import search
from articles.models import Article
from articles.search import find, query
from editions import demo_load
from editions.demo_generate import LOADED, generate
from editions.models import Edition, Placement

pytestmark = pytest.mark.django_db


def test_generates_published_stories_in_editions_with_pages(client):
    call_command("generate_demo", articles=150, seed=3, verbosity=0)
    assert Article.objects.published().count() == 150
    editions = Edition.objects.released()
    assert editions.count() == 4  # 48 stories per edition
    edition = editions.order_by("-date").first()
    assert edition.pages.count() == 8
    assert Placement.objects.filter(edition=edition, is_lead=True).count() == 8
    assert Placement.objects.filter(edition=edition, continues_on__number=3, page__number=1).exists()
    article = Article.objects.published().first()
    assert article.bylines.exists()
    # The bulk-built search document is exactly what save() would build.
    expected = search.document(
        article.kicker, article.headline, article.subheadline, article.summary, article.body_text()
    )
    assert article.search_document == expected
    word = search.runs(article.body_text())[0][:4]
    assert article.pk in set(find.matching(query.parse_query(word)).values_list("pk", flat=True))
    assert (
        client.get(Placement.objects.filter(edition=edition).first().page.get_absolute_url()).status_code
        == 200
    )


def test_second_run_adds_earlier_editions(db):
    call_command("generate_demo", articles=60, verbosity=0)
    call_command("generate_demo", articles=60, verbosity=0)
    assert Article.objects.count() == 120
    assert Edition.objects.count() == 4


@pytest.mark.parametrize("count", [0, 1_000_001])
def test_refuses_silly_counts(db, count):
    with pytest.raises(CommandError):
        call_command("generate_demo", articles=count, verbosity=0)


def test_refuses_where_demo_data_is_not_allowed(db, settings):
    settings.NEWSROOM_DEMO_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("generate_demo", articles=10, verbosity=0)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="indexes are dropped and rebuilt on PostgreSQL only"
)
def test_a_large_load_rebuilds_every_index_and_foreign_key_it_dropped(db):
    tables = [model._meta.db_table for model in LOADED]
    before = demo_load._catalog(tables)
    assert any("USING gin" in definition for _name, definition in before[0])
    with demo_load.deferred_indexes(LOADED):
        assert demo_load._catalog(tables) == ([], [])  # secondary indexes and foreign keys gone
        made, _ = generate(120, seed=5)
    assert [sorted(part) for part in demo_load._catalog(tables)] == [sorted(part) for part in before]
    assert made == 120
    # Unique constraints were never dropped: a second placement of a story in its edition is refused.
    placement = Placement.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(
            edition=placement.edition, page=placement.page, article=placement.article, position=99
        )
