"""The anonymous page cache: hits, purge on withdrawal and edition changes, never for logged-in users,
conditional GETs (ETag, Last-Modified → 304)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import workflow
from articles.models import Article
from newsroom import cache as page_cache
from tests.factories import ArticleFactory, EditionFactory, PageFactory, PlacementFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_anonymous_pages_are_served_from_cache(client, world, django_assert_max_num_queries):
    url = world.lead.get_absolute_url()
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_max_num_queries(0):
        second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_withdrawn_story_disappears_at_once_from_every_cached_page(
    client, world, chief, django_capture_on_commit_callbacks
):
    urls = [
        "/",
        world.lead.get_absolute_url(),
        world.section.get_absolute_url(),
        world.reporter.get_absolute_url(),
        world.pages[0].get_absolute_url(),
        "/feeds/latest/rss/",
        f"/sitemap-articles-{timezone.localtime(world.lead.published_at):%Y-%m}.xml",
    ]
    for url in urls:
        assert client.get(url).status_code == 200
        assert client.get(url)["X-Page-Cache"] == "hit"
    urls.append("/search/?q=大风降温")  # never cached, but must not show the story either
    Article.objects.filter(pk=world.lead.pk).update(status=Article.Status.REVIEW)
    stale = client.get("/")
    assert world.lead.headline in stale.content.decode()  # proves the page really was cached
    world.lead.refresh_from_db()
    Article.objects.filter(pk=world.lead.pk).update(status=Article.Status.PUBLISHED)
    world.lead.refresh_from_db()
    # The workflow sends article_transitioned on commit; the receiver bumps the site generation.
    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_withdraw(article=world.lead, user=chief, note="事实有误")
    for url in urls:
        response = client.get(url)
        assert world.lead.headline not in response.content.decode(), url
        assert response.get("X-Page-Cache") != "hit", url


def test_edition_release_and_placement_changes_purge(client, world):
    edition = EditionFactory(date=timezone.localdate(), number=8000)
    page = PageFactory(edition=edition, number=1, name="要闻")
    PlacementFactory(page=page, article=ArticleFactory(published=True, headline="今天的新头条"), is_lead=True)
    front = f'href="/epaper/{edition.date.isoformat()}/1/"'
    assert front not in client.get("/").content.decode()
    edition.status = edition.Status.PUBLISHED
    edition.released_at = timezone.now() - timedelta(minutes=1)
    edition.save()
    assert front in client.get("/").content.decode()


def test_logged_in_users_neither_read_nor_fill_the_cache(client, world, reporter):
    url = world.lead.get_absolute_url()
    client.get(url)  # anonymous: stored
    client.force_login(reporter)
    response = client.get(url)
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]
    client.logout()
    page_cache.bump_generation()
    client.force_login(reporter)
    client.get(url)
    client.logout()
    assert client.get(url)["X-Page-Cache"] == "miss"  # the logged-in visit stored nothing


@pytest.mark.parametrize("sets_cookie", [False, True])
def test_responses_setting_cookies_are_not_stored(rf, db, sets_cookie):
    from django.http import HttpResponse

    calls = []

    def view(request):
        calls.append(1)
        request.page_cache_public = True  # as cache_public_page marks it
        response = HttpResponse("x")
        if sets_cookie:
            response.set_cookie("tracking", "1")
        return response

    middleware = page_cache.PageCacheMiddleware(view)
    for _ in range(2):
        middleware(rf.get("/robots.txt"))  # the address of a cached view; ``view`` stands in for it
    assert len(calls) == (2 if sets_cookie else 1)


def test_scheduled_story_appears_when_its_time_comes_despite_the_cache(client, db, time_machine):
    time_machine.move_to(timezone.now())
    ArticleFactory(published=True, headline="已发布")
    ArticleFactory(scheduled=True, published_at=timezone.now() + timedelta(minutes=2), headline="定时稿")
    assert "定时稿" not in client.get("/").content.decode()
    time_machine.shift(timedelta(minutes=3))
    assert "定时稿" in client.get("/").content.decode()


@pytest.mark.parametrize("cached_first", [False, True])
def test_conditional_get_answers_304(client, world, cached_first):
    url = world.lead.get_absolute_url()
    if cached_first:
        client.get(url)
    response = client.get(url)
    assert response.status_code == 200
    assert response["ETag"] and response["Last-Modified"]
    assert client.get(url, headers={"if-none-match": response["ETag"]}).status_code == 304
    assert client.get(url, headers={"if-modified-since": response["Last-Modified"]}).status_code == 304
    assert client.get(url, headers={"if-none-match": '"other"'}).status_code == 200


def test_epaper_page_has_last_modified(client, world):
    response = client.get(world.pages[0].get_absolute_url())
    assert response["Last-Modified"]
    headers = {"if-modified-since": response["Last-Modified"]}
    assert client.get(world.pages[0].get_absolute_url(), headers=headers).status_code == 304


def test_edition_release_service_purges(client, db, chief, django_capture_on_commit_callbacks):
    from editions import services

    edition = EditionFactory(date=timezone.localdate(), number=8100)
    page = PageFactory(edition=edition, number=1, name="要闻")
    PlacementFactory(page=page, article=ArticleFactory(published=True, headline="签发后的头条"), is_lead=True)
    page.state = page.State.SIGNED_OFF
    page.save()
    front = f'href="/epaper/{edition.date.isoformat()}/1/"'
    assert front not in client.get("/").content.decode()
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        services.edition_release(edition=edition, user=chief)
    assert front in client.get("/").content.decode()


def _purges(change):
    before = page_cache.generation()
    change()
    return page_cache.generation() != before


def test_each_app_purges_for_the_models_readers_see_and_only_those(db):
    from taggit.models import Tag

    from articles.models import ArticleEvent
    from editions.models import EditionEvent, ImportRun

    article = ArticleFactory()
    edition = EditionFactory(number=8200)
    page = PageFactory(edition=edition, number=1)
    # What readers see, in both apps and in the tags.
    assert _purges(lambda: SectionFactory(slug="purge-test"))
    assert _purges(lambda: Tag.objects.create(name="晋江", slug="jinjiang"))
    assert _purges(lambda: PageFactory(edition=edition, number=2))
    assert _purges(lambda: EditionEvent.objects.create(edition=edition, action=EditionEvent.Action.RELEASE))
    assert _purges(page.delete)
    # The logs nobody reads on the site.
    assert not _purges(
        lambda: ArticleEvent.objects.create(article=article, action=ArticleEvent.Action.REFUSED)
    )
    assert not _purges(lambda: ImportRun.objects.create(source="a.txt", sha256="0" * 64, outcome="imported"))


# Every public method of a cache backend that talks to the store (one round trip each on Redis).
_ROUND_TRIPS = ("get", "get_many", "set", "set_many", "add", "incr", "decr", "delete", "has_key", "touch")


def _counting(backend_path):
    """The configured backend's class, counting each call that reaches the store."""
    from django.utils.module_loading import import_string

    base = import_string(backend_path)

    def counted(name):
        method = getattr(base, name)

        def call(self, *args, **kwargs):
            # Only the outermost call: LocMemCache.get_many calls get (Redis sends one MGET).
            outer = not self._in_call
            if outer:
                type(self).calls.append(name)
            self._in_call = True
            try:
                return method(self, *args, **kwargs)
            finally:
                if outer:
                    self._in_call = False

        return call

    namespace = {"calls": [], "_in_call": False, **{name: counted(name) for name in _ROUND_TRIPS}}
    return type("Counting" + base.__name__, (base,), namespace)


def test_a_hit_costs_one_round_trip_to_the_cache(client, world, settings):
    """The generation and the page are read in one get_many: one MGET on Redis."""
    import sys

    config = dict(settings.CACHES["default"])
    counting = _counting(config["BACKEND"])
    module = sys.modules[__name__]
    module.CountingBackend = counting
    config["BACKEND"] = f"{__name__}.CountingBackend"
    settings.CACHES = {"default": config}
    try:
        from django.core.cache import cache

        cache.clear()
        url = world.lead.get_absolute_url()
        assert client.get(url)["X-Page-Cache"] == "miss"
        counting.calls.clear()
        response = client.get(url)
        assert response["X-Page-Cache"] == "hit"
        assert counting.calls == ["get_many"]
        # A purge still reaches the next request: the stale entry is read, refused and redrawn.
        page_cache.bump_generation()
        assert client.get(url)["X-Page-Cache"] == "miss"
        counting.calls.clear()
        assert client.get(url)["X-Page-Cache"] == "hit"
        assert counting.calls == ["get_many"]
    finally:
        del module.CountingBackend


def test_a_cached_page_is_never_served_for_a_host_we_do_not_serve(client, world):
    url = world.lead.get_absolute_url()
    assert client.get(url).status_code == 200
    assert client.get(url)["X-Page-Cache"] == "hit"
    response = client.get(url, headers={"host": "evil.com"})
    assert response.status_code == 400
    assert world.lead.headline not in response.content.decode()
    assert "X-Page-Cache" not in response


def test_the_host_is_part_of_the_address(client, world, settings):
    settings.ALLOWED_HOSTS = ["testserver", "news.example.com"]
    first = client.get("/robots.txt")
    other = client.get("/robots.txt", headers={"host": "news.example.com"})
    assert other["X-Page-Cache"] == "miss"
    assert "http://news.example.com/sitemap.xml" in other.content.decode()
    assert "news.example.com" not in first.content.decode()


def test_unknown_query_parameters_neither_store_pages_nor_reach_the_view(client, world):
    from django.core.cache import cache

    url = world.section.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    keys = set(cache._cache)  # LocMemCache: what is stored
    for junk in ("?x=1", "?utm_source=weixin", "?a=%ff%fe", "?zz=" + "9" * 500):
        response = client.get(url + junk)
        assert response.status_code == 200, junk
        assert response["X-Page-Cache"] == "hit", junk
    assert set(cache._cache) == keys


def test_known_query_parameters_are_pages_of_their_own(client, world):
    from articles import pagination

    url = world.section.get_absolute_url()
    cursor = pagination.cursor_of(world.lead)
    client.get(url)
    response = client.get(f"{url}?before={cursor}&utm_source=x")
    assert response["X-Page-Cache"] == "miss"
    assert world.lead.headline not in response.content.decode()  # the page after the lead, not the first
    # The same page whatever else the address carries, and in any order.
    assert client.get(f"{url}?utm_source=y&before={cursor}")["X-Page-Cache"] == "hit"


def test_search_is_never_stored(client, world):
    from django.core.cache import cache

    keys = set(cache._cache)
    for _ in range(2):
        response = client.get("/search/?q=大风降温")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
        assert "s-maxage" not in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert not {k for k in set(cache._cache) - keys if ":page:" in k}


def test_stored_pages_tell_a_cdn_how_long_to_keep_them(client, world, settings, time_machine):
    from django.utils.cache import get_max_age

    time_machine.move_to(timezone.now(), tick=False)
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 120
    settings.NEWSROOM_BROWSER_CACHE_SECONDS = 20
    url = world.lead.get_absolute_url()
    miss = client.get(url)
    directives = _cache_control(miss)
    assert directives["s-maxage"] == "120" and "public" in directives
    assert get_max_age(miss) == 20
    time_machine.shift(timedelta(seconds=50))
    hit = client.get(url)
    assert hit["X-Page-Cache"] == "hit"
    assert _cache_control(hit)["s-maxage"] == "70"  # what is left of the entry's life


def test_s_maxage_stops_at_the_next_scheduled_release(client, world, settings, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    ArticleFactory(scheduled=True, published_at=timezone.now() + timedelta(seconds=90), headline="定时稿")
    assert _cache_control(client.get("/"))["s-maxage"] == "90"


def _cache_control(response):
    return dict((part.strip().split("=", 1) + [True])[:2] for part in response["Cache-Control"].split(","))
