"""Project middleware."""

import base64
import hashlib
import re

from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed

IMPORTMAP_RE = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.DOTALL)


class ImportMapCSPMiddleware:
    """Allow the admin editor's inline import map by its hash, keeping script-src strict.

    The rich-text editor (django-prose-editor) loads its ES modules through an inline
    ``<script type="importmap">``; CSP treats that as inline script. Rather than allow
    'unsafe-inline', the exact map on the page is allowed by its SHA-256. Must stand after
    csp.middleware.CSPMiddleware in MIDDLEWARE so that it runs first on the response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if getattr(response, "streaming", False) or not content_type.startswith("text/html"):
            return response
        hashes = [
            f"'sha256-{base64.b64encode(hashlib.sha256(match).digest()).decode()}'"
            for match in IMPORTMAP_RE.findall(response.content)
        ]
        if hashes:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["script-src"] = [*update.get("script-src", []), *hashes]
            response._csp_update = update
        return response


class HostileRequestMiddleware:
    """Refuse, before any view runs, what no view here can answer sensibly.

    * A method no view of this site takes (TRACE, CONNECT, PUT, anything made up): 405. The site reads with
      GET/HEAD and writes with POST; OPTIONS is answered by the views themselves.
    * A query string longer than MAX_QUERY_STRING: 414.
    * An empty ``_to_field`` (see below): 400.
    * A NUL character in the path or the query string (``/tags/%00/``, ``?term=%00``): 400. No address or
      parameter of ours contains one, and PostgreSQL refuses it in any text it is compared with, which would
      turn an ordinary lookup into a server error.

    Stands right after SecurityMiddleware, so these answers still carry the security headers.
    """

    ALLOWED_METHODS = ("GET", "HEAD", "POST", "OPTIONS")
    # gunicorn refuses request lines over 4 KB; behind another server the same bound holds here (414), so a
    # huge query can neither cost seconds of parsing nor grow into a login redirect Django refuses to send.
    MAX_QUERY_STRING = 4096

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.ALLOWED_METHODS:
            response = HttpResponseNotAllowed(self.ALLOWED_METHODS, content="不支持此请求方法。")
            response["Content-Type"] = "text/plain; charset=utf-8"
            return response
        query = request.META.get("QUERY_STRING", "")
        if len(query) > self.MAX_QUERY_STRING:
            return HttpResponse("请求地址过长。", status=414, content_type="text/plain; charset=utf-8")
        if "\x00" in request.path_info or "%00" in query or "\x00" in query:
            return HttpResponseBadRequest("请求地址含有无效字符。", content_type="text/plain; charset=utf-8")
        if request.GET.get("_to_field", None) == "":
            # The admin skips its check of an empty _to_field, then looks up a field named '' (a 500, Django
            # 5.2); its own pages never send one empty.
            return HttpResponseBadRequest("请求参数无效。", content_type="text/plain; charset=utf-8")
        return self.get_response(request)
