"""The anonymous page cache and its invalidation by a site-wide generation counter.

Every cached public page is stored with the *site generation* it was drawn in, a counter kept
in the cache itself; an entry of an older generation is never served. Each app's receivers (``articles/receivers.py``,
``editions/receivers.py``) bump the counter on every workflow transition, every article save and
every change to an edition, page or placement (``purge_on_changes``); from that moment every old
entry is stale, so a withdrawn story disappears from every page **at once** (stale entries are
overwritten by the next miss or age out). One ``incr`` purges the whole site: cheaper and safer
than tracking which pages show which story. A hit costs one round trip: the counter and the page
are read together (``get_many``, one ``MGET`` on Redis), since the page's key does not name the
generation.

The backend is the project's default cache: Redis when ``REDIS_URL`` is set (shared by every
gunicorn worker, so a purge is seen everywhere at once), local memory otherwise (per process:
fine for one process and tests; with several workers and no Redis a purge made in one worker
reaches the others only when their entries expire after ``NEWSROOM_PAGE_CACHE_SECONDS``).

Only anonymous GET/HEAD requests are served from or stored into this cache (by
``PageCacheMiddleware``, for views wrapped in ``cache_public_page``), for an allowed host only
(``request.get_host()`` is checked before the cache is read), and keyed by the scheme, host, path
and the *known* query parameters of that URL (declared with ``cache_public_page(view, query=...)``):
other parameters are dropped before the view sees them, so ``?utm_source=x`` or a random string
is the same page as none and cannot fill the cache with copies. A view that must never be stored
(search) is wrapped with ``store=False``. A stored page says ``s-maxage`` (the time it stays in
this cache) so that a CDN may keep it as long. Logged-in users (and
anything with a session cookie), previews, non-200 responses and responses that set a cookie
are never stored. A scheduled story or edition becomes visible by the clock, not by a
transition: entries are therefore kept no longer than the next scheduled release.
"""

import functools
import hashlib
import time
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse, HttpResponseNotAllowed, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import parse_http_date_safe

from articles.models import Article
from editions.models import Edition

GENERATION_KEY = "site:generation"


def generation():
    """The current site generation (created on first use)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        # add() keeps a value another process set meanwhile.
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return value


def bump_generation():
    """Invalidate every cached public page at once by moving to the next generation."""
    try:
        return cache.incr(GENERATION_KEY)
    except ValueError:
        cache.add(GENERATION_KEY, 2, timeout=None)
        return cache.get(GENERATION_KEY, 2)


def purge_on_changes(app_label, *, ignore=()):
    """Purge every cached page whenever a model of ``app_label`` is saved or deleted (but ``ignore``).

    Each app calls this for the models readers see, from the receivers module its ready() imports.
    """

    def purge(sender, **kwargs):
        if kwargs.get("raw"):
            return
        bump_generation()
        # Also after commit: a reader may have cached the old page between the save and the commit.
        transaction.on_commit(bump_generation)

    for model in apps.get_app_config(app_label).get_models():
        if model._meta.model_name in ignore:
            continue
        uid = f"page_cache.purge.{model._meta.label_lower}"
        post_save.connect(purge, sender=model, weak=False, dispatch_uid=uid + ".save")
        post_delete.connect(purge, sender=model, weak=False, dispatch_uid=uid + ".delete")


def _seconds_until_next_release(gen):
    """Seconds until the next scheduled story or edition becomes visible (memoised per generation)."""
    key = f"site:next-release:{gen}"
    when = cache.get(key)
    if when is None or when <= timezone.now():
        # Unknown, or the release it remembered has happened: look for the next one.
        candidates = [
            Article.objects.scheduled()
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first(),
            Edition.objects.filter(status=Edition.Status.PUBLISHED, released_at__gt=timezone.now())
            .order_by("released_at")
            .values_list("released_at", flat=True)
            .first(),
        ]
        upcoming = [c for c in candidates if c is not None]
        when = min(upcoming) if upcoming else timezone.now() + timedelta(days=3650)
        cache.set(key, when, timeout=settings.NEWSROOM_PAGE_CACHE_SECONDS)
    return (when - timezone.now()).total_seconds()


def is_anonymous_request(request):
    """True for a GET/HEAD without a session cookie or with an anonymous user."""
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


# Query strings are cut here before Django parses them: gunicorn already refuses request lines
# over 4 KB, and behind another server a 1 MB ``?q=`` must not cost seconds of parsing.
MAX_QUERY_STRING = 2048


def bound_query_string(request):
    """Parse at most MAX_QUERY_STRING characters of the query string into ``request.GET``."""
    raw = request.META.get("QUERY_STRING", "")
    if len(raw) > MAX_QUERY_STRING:
        request.GET = QueryDict(raw[:MAX_QUERY_STRING], encoding=request.encoding)
        request.query_string_truncated = True
    return request.GET


def known_query(params, names):
    """``params`` (a QueryDict) reduced to the parameters in ``names``, in that order."""
    known = QueryDict(mutable=True)
    for name in names:
        values = params.getlist(name)
        if values:
            known.setlist(name, values)
    known._mutable = False
    return known


def _key(request, query):
    # Scheme and host are part of the address (robots.txt, feeds and sitemaps write absolute URLs); the query
    # is the known parameters only, in a fixed order. The generation is not in the key but in the entry, so
    # that one get_many reads both.
    raw = f"{request.scheme}://{request.get_host()}{request.path}?{query.urlencode()}"
    digest = hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()
    return f"page:{request.method}:{digest}"


def _storable(request, response):
    return (
        getattr(request, "page_cache_public", False)
        and response.status_code == 200
        and not response.cookies
        and not getattr(response, "streaming", False)
        and not getattr(request, "preview", False)
        and "private" not in response.get("Cache-Control", "")
    )


def cache_public_page(view, *, query=(), store=True):
    """Mark a view's anonymous responses as cacheable by PageCacheMiddleware; bound its query string.

    ``query`` names the query parameters the view reads (a listing's ``before``/``after``): the view sees only
    those, and the cache keys on them. ``store=False`` (search, whose every query is a new page) keeps the
    view's responses out of the cache and off shared caches, while still bounding its query string.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            # Public pages are read, never posted to (a feed or sitemap view would otherwise answer any method).
            return HttpResponseNotAllowed(["GET", "HEAD"])
        bound_query_string(request)
        if store:
            request.GET = known_query(request.GET, query)
        anonymous = is_anonymous_request(request)
        response = view(request, *args, **kwargs)
        if anonymous and store:
            request.page_cache_public = True
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            patch_vary_headers(response, ("Cookie",))
        elif anonymous:
            patch_cache_control(response, private=True, max_age=0)
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return response

    wrapper.page_cache_query = tuple(query) if store else None
    return wrapper


def _page_cache_query(request):
    """The known query parameters of the cached view at ``request.path_info``, or None if it is not one."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return getattr(match.func, "page_cache_query", None)


class PageCacheMiddleware:
    """Serve and store anonymous public pages; stands just after WhiteNoise in MIDDLEWARE.

    Standing outside the session, CSRF, auth and CSP middleware, a hit costs one cache round trip
    (the generation and the page, read together) and none of their work, and a stored response is the final one: if any inner layer set a cookie,
    it is not stored. Only views wrapped in ``cache_public_page`` are ever stored. Conditional
    GETs on a hit are answered here (304 from the stored ETag / Last-Modified).
    """

    SKIP_PREFIXES = ("/admin/", "/preview/", "/static/", "/media/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._eligible(request):
            return self.get_response(request)
        # The host check comes first: a page is never served for (nor stored under) a host we do not serve.
        # DisallowedHost becomes Django's 400 here.
        request.get_host()
        names = _page_cache_query(request)
        if names is None:
            return self.get_response(request)
        key = _key(request, known_query(bound_query_string(request), names))
        found = cache.get_many([GENERATION_KEY, key])
        gen = found.get(GENERATION_KEY)
        if gen is None:
            gen = generation()
        hit = found.get(key)
        # The entry carries the generation it was drawn in and its own deadline (the next scheduled
        # release), checked on our clock rather than trusted to the backend's expiry.
        if hit is not None and hit[4] == gen and time.time() < hit[3]:
            return self._replay(request, *hit[:4])
        response = self.get_response(request)
        if _storable(request, response):
            timeout = min(settings.NEWSROOM_PAGE_CACHE_SECONDS, _seconds_until_next_release(gen))
            if timeout >= 1:
                if not response.has_header("ETag"):
                    response["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
                # A CDN may keep the page as long as we do; browsers briefly (NEWSROOM_BROWSER_CACHE_SECONDS).
                # (patch_cache_control keeps the smaller max-age: the view's max-age=0 is replaced, not patched.)
                del response["Cache-Control"]
                patch_cache_control(
                    response,
                    public=True,
                    max_age=settings.NEWSROOM_BROWSER_CACHE_SECONDS,
                    s_maxage=int(timeout),
                    must_revalidate=True,
                )
                headers = [
                    (k, v) for k, v in response.items() if k.lower() not in ("x-page-cache", "set-cookie")
                ]
                entry = (response.status_code, response.content, headers, time.time() + timeout, gen)
                cache.set(key, entry, timeout=int(timeout))
                response["X-Page-Cache"] = "miss"
        return response

    def _eligible(self, request):
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(self.SKIP_PREFIXES)
        )

    def _replay(self, request, status, content, headers, deadline):
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        # What is left of the entry's life, for a CDN in front.
        patch_cache_control(response, s_maxage=max(0, int(deadline - time.time())))
        response["X-Page-Cache"] = "hit"
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        return get_conditional_response(
            request, etag=response.get("ETag"), last_modified=last_modified, response=response
        )
