"""Previews of unpublished articles, as readers will see them.

The author and the editors preview in their session; an editor can also make a signed link
(django.core.signing, salted, timestamped) that expires after NEWSROOM_PREVIEW_HOURS and works
without an account, e.g. for a source to check a quote. Every preview response is
``Cache-Control: no-store`` and ``X-Robots-Tag: noindex``: it must never be cached or indexed.
"""

from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core import signing
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import workflow
from .models import Article

SALT = "newsroom.articles.preview"


def make_token(article):
    """A signed, timestamped token naming the article."""
    return signing.dumps({"article": article.pk}, salt=SALT, compress=True)


def read_token(token):
    """The article id in a token, or raise signing.SignatureExpired / signing.BadSignature."""
    data = signing.loads(token, salt=SALT, max_age=timedelta(hours=settings.NEWSROOM_PREVIEW_HOURS))
    return int(data["article"])


def private(view):
    """No caching anywhere and no indexing, for every response of the view."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return never_cache(wrapped)


def _articles():
    return Article.objects.select_related("section", "column").with_bylines()


def _render(request, article, *, signed):
    context = {"article": article, "preview": True, "signed_preview": signed}
    return TemplateResponse(request, "preview/article.html", context)


def _refused(request, message, status=403):
    return TemplateResponse(request, "preview/refused.html", {"message": message}, status=status)


@private
@staff_member_required
def article_preview(request, pk):
    """The author or an editor sees the article with the public template; a hidden story is a 404."""
    article = _articles().visible_to(request.user).filter(pk=pk).first()
    if article is None:  # missing, or a colleague's unpublished story: the same answer
        return _refused(request, "没有这篇稿件。", status=404)
    if not workflow.can_preview(request.user, article):
        workflow.record_refusal(user=request.user, article=article, what="preview")
        return _refused(request, "您没有权限预览这篇稿件。")
    return _render(request, article, signed=False)


@private
def signed_preview(request, token):
    """The article behind a signed link, for anyone holding a valid, unexpired link."""
    try:
        pk = read_token(token)
    except signing.SignatureExpired:
        return _refused(request, "这个预览链接已过期。请联系编辑重新生成链接。")
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return _refused(request, "这个预览链接无效（可能被改动过或不完整）。请核对链接，或联系编辑重新生成。")
    article = _articles().filter(pk=pk).first()
    if article is None:
        return _refused(request, "这篇稿件已被删除，预览链接不再可用。", status=410)
    return _render(request, article, signed=True)


@private
@staff_member_required
@require_POST
def make_link(request, pk):
    """An editor makes a signed preview link and is shown it with its expiry time."""
    article = get_object_or_404(Article.objects.visible_to(request.user), pk=pk)
    if not request.user.has_perm("articles.preview_article"):
        workflow.record_refusal(user=request.user, article=article, what="preview link")
        return _refused(request, "只有编辑可以生成预览链接。")
    url = request.build_absolute_uri(reverse("preview:signed", args=[make_token(article)]))
    expires = timezone.localtime() + timedelta(hours=settings.NEWSROOM_PREVIEW_HOURS)
    context = {"article": article, "url": url, "expires": expires, "hours": settings.NEWSROOM_PREVIEW_HOURS}
    return TemplateResponse(request, "preview/link.html", context)
