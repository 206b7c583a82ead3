"""Project middleware."""

import base64
import hashlib
import re

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
