"""Template helpers of the news site: the linked byline line, JSON-LD, query strings for pagination."""

import json

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from articles.bylines import byline_groups, staff_credit

from ..photos import photo_jsonld_images

register = template.Library()

# The same escapes as django.utils.html.json_script: nothing in the data can close the <script>.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def byline_links(article):
    """The printed byline line (本报记者 X Y / 记者 X 通讯员 Y) with a link to each person's page."""
    groups = byline_groups(list(article.bylines.all()))
    if not groups:
        return ""
    single = staff_credit(groups)
    parts = []
    for role, people in groups:
        links = format_html_join(
            " ", '<a href="{}" rel="author">{}</a>', ((p.get_absolute_url(), p.name) for p in people)
        )
        parts.append(format_html("{}{} {}", "本报" if single else "", role, links))
    return mark_safe(" ".join(str(p) for p in parts))  # noqa: S308 - parts are built by format_html


@register.simple_tag(takes_context=True)
def article_jsonld(context, article):
    """A JSON-LD NewsArticle for the article, naming every author; escaped for a <script> block."""
    request = context.get("request")
    base = f"{request.scheme}://{request.get_host()}" if request else ""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "alternativeHeadline": " ".join(p for p in (article.kicker, article.subheadline) if p) or None,
        "description": article.summary or None,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.updated_at.isoformat() if article.updated_at else None,
        "mainEntityOfPage": base + article.get_absolute_url(),
        "articleSection": article.section.name,
        "inLanguage": "zh-Hans",
        "author": [
            {"@type": "Person", "name": b.person.name, "url": base + b.person.get_absolute_url()}
            for b in article.bylines.all()
        ],
        "publisher": {"@type": "NewsMediaOrganization", "name": context.get("paper_name", "")},
        "image": photo_jsonld_images(context, article.lead_photo),
    }
    data = {k: v for k, v in data.items() if v is not None}
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for pagination links), escaped by the caller."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"


@register.simple_tag
def site_sections():
    """The sections for the site navigation."""
    from articles.models import Section

    return list(Section.objects.order_by("position", "name").only("pk", "name", "slug"))
