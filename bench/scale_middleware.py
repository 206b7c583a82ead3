"""Benchmark-only: the page cache, stepped around for requests that ask to be measured uncached.

``bench/scale.py`` sends ``X-Bench-Uncached: 1`` on its uncached rows. Since the page cache keys on a view's
known query parameters only (an unknown ``?r=…`` no longer makes a new page), a cache-busting parameter
would be answered from the cache; this header makes the request run the view as a miss does, without the
miss's own cache read and write (one round trip and one store, about 0.2 ms each on loopback Redis).
"""

from newsroom.cache import PageCacheMiddleware


class BenchPageCacheMiddleware(PageCacheMiddleware):
    def __call__(self, request):
        if request.headers.get("X-Bench-Uncached") == "1":
            return self.get_response(request)
        return super().__call__(request)
