"""The anonymous page cache and its invalidation by a site-wide generation counter.

Every cached public page is stored under a key that includes the current *site generation*,
a counter kept in the cache itself. The receivers (``articles.receivers``) bump the counter on
every workflow transition, every article save and every change to an edition, page or
placement; from that moment every old key is unreachable, so a withdrawn story disappears from
every page **at once** (the stale entries simply age out). One ``incr`` purges the whole site:
cheaper and safer than tracking which pages show which story.

The backend is the project's default cache: Redis when ``REDIS_URL`` is set (shared by every
gunicorn worker, so a purge is seen everywhere at once), local memory otherwise (per process:
fine for one process and tests; with several workers and no Redis a purge made in one worker
reaches the others only when their entries expire after ``NEWSROOM_PAGE_CACHE_SECONDS``).

Only anonymous GET/HEAD requests are served from or stored into this cache. Logged-in users
(and anything with a session cookie), previews, non-200 responses and responses that set a
cookie are never stored. A scheduled story or edition becomes visible by the clock, not by a
transition: entries are therefore kept no longer than the next scheduled release.
"""

import functools
import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers

GENERATION_KEY = "site:generation"
_KEPT_HEADERS = ("Content-Type", "Last-Modified", "ETag", "Content-Language", "Vary")


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


def _seconds_until_next_release(gen):
    """Seconds until the next scheduled story or edition becomes visible (memoised per generation)."""
    key = f"site:next-release:{gen}"
    when = cache.get(key)
    if when is None:
        from articles.models import Article

        candidates = [
            Article.objects.scheduled()
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        ]
        try:
            # articles never imports editions at import time; the edition release is read if installed.
            from editions.models import Edition

            candidates.append(
                Edition.objects.filter(status=Edition.Status.PUBLISHED, released_at__gt=timezone.now())
                .order_by("released_at")
                .values_list("released_at", flat=True)
                .first()
            )
        except ImportError:
            pass
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


def _key(request, gen):
    full_path = request.path + "?" + request.GET.urlencode()
    digest = hashlib.sha256(full_path.encode("utf-8", "surrogateescape")).hexdigest()
    return f"page:{gen}:{request.method == 'HEAD'}:{digest}"


def _storable(request, response):
    return (
        response.status_code == 200
        and not response.cookies
        and not getattr(response, "streaming", False)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(request, "preview", False)
    )


def cache_public_page(view):
    """Decorate a public view: anonymous responses are cached per site generation (module docstring)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        bound_query_string(request)
        if not is_anonymous_request(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        gen = generation()
        key = _key(request, gen)
        hit = cache.get(key)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        patch_vary_headers(response, ("Cookie",))
        if _storable(request, response):
            timeout = min(settings.NEWSROOM_PAGE_CACHE_SECONDS, _seconds_until_next_release(gen))
            if timeout >= 1:
                if "ETag" not in response:
                    response["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
                headers = {
                    name: response[name] for name in (*_KEPT_HEADERS, "Cache-Control") if name in response
                }
                cache.set(key, (response.content, headers), timeout=int(timeout))
            response["X-Page-Cache"] = "miss"
        return response

    return wrapper
