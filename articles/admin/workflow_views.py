"""Admin views around the article form: workflow buttons, history, compare, restore.

Each view checks the right on the server and calls the workflow or versioning functions; a
request the user's buttons could not have made is refused with 403 and logged.
"""

from datetime import datetime

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from .. import versioning, workflow
from ..models import Article, ArticleEvent

Status = Article.Status

# The buttons: key → (function, permission, label, needs a note, note label).
MOVES = {
    "submit": (workflow.article_submit, "articles.submit_article", "送审", False, ""),
    "return": (
        workflow.article_return,
        "articles.review_article",
        "退回修改",
        True,
        "退回意见（必填，记者会看到）",
    ),
    "publish": (workflow.article_publish, "articles.publish_article", "发布", False, ""),
    "withdraw": (workflow.article_withdraw, "articles.withdraw_article", "撤回", True, "撤回原因（必填）"),
    "reopen": (workflow.article_reopen, "articles.withdraw_article", "重新送审", False, ""),
}


def _move_key(source, target):
    if target == Status.REVIEW:
        return "reopen" if source == Status.WITHDRAWN else "submit"
    return {Status.DRAFT: "return", Status.PUBLISHED: "publish", Status.WITHDRAWN: "withdraw"}[target]


def refused(request, message):
    """A clear Chinese 403 page; the caller has already logged the attempt."""
    context = {**admin.site.each_context(request), "title": "操作被拒绝", "message": message}
    return TemplateResponse(request, "admin/articles/refused.html", context, status=403)


def redirect_to_change(*, obj_id):
    """Back to the article's change page."""
    return redirect(reverse("admin:articles_article_change", args=[obj_id]))


def _article(object_id):
    return get_object_or_404(Article.objects.select_related("section", "created_by"), pk=unquote(object_id))


def panel_context(request, article):
    """What the change page shows above the form: badge, buttons, return note, timeline, links."""
    user = request.user
    moves = []
    for target in workflow.allowed_moves(user, article):
        key = _move_key(Status(article.status), target)
        _func, _perm, label, needs_note, note_label = MOVES[key]
        moves.append(
            {
                "key": key,
                "label": label,
                "needs_note": needs_note,
                "note_label": note_label,
                "url": reverse("admin:articles_article_move", args=[article.pk, key]),
            }
        )
    events = list(article.events.select_related("actor").order_by("created_at", "pk"))
    transitions = [e for e in events if e.action != ArticleEvent.Action.REFUSED and e.to_status]
    last = transitions[-1] if transitions else None
    return_note = (
        last if (last and last.action == ArticleEvent.Action.RETURN and article.status == "draft") else None
    )
    now_local = timezone.localtime()
    return {
        "article_obj": article,
        "status_badge": status_badge_html(article),
        "moves": moves,
        "timeline": events,
        "return_note": return_note,
        "scheduled_at": timezone.localtime(article.published_at) if article.is_scheduled else None,
        "can_preview": workflow.can_preview(user, article),
        "can_make_link": user.has_perm("articles.preview_article"),
        "can_view_history": workflow.can_view_history(user, article),
        "may_edit": workflow.can_edit(user, article),
        "schedule_min": now_local.strftime("%Y-%m-%dT%H:%M"),
    }


def status_badge_html(article):
    """The coloured status label; a scheduled article shows its time in Asia/Shanghai."""
    label = article.get_status_display()
    css = article.status
    if article.is_scheduled:
        label = f"定时发布 {timezone.localtime(article.published_at):%m-%d %H:%M}"
        css = "scheduled"
    return format_html('<span class="status-badge status-{}">{}</span>', css, label)


def _parse_when(value):
    """A datetime-local value, read in the newsroom's time zone (Asia/Shanghai)."""
    try:
        naive = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if timezone.is_aware(naive):
        return naive
    return timezone.make_aware(naive, timezone.get_default_timezone())


@require_POST
def move(request, object_id, move):
    """Run one workflow move from the change page's buttons."""
    article = _article(object_id)
    if move not in MOVES:
        raise Http404("没有这个操作。")
    func, perm, label, _needs_note, _note_label = MOVES[move]
    if not request.user.has_perm(perm):
        workflow.record_refusal(user=request.user, article=article, what=f"move {move}")
        return refused(request, f"您没有权限执行“{label}”。")
    kwargs = {"article": article, "user": request.user, "note": request.POST.get("note", "")}
    if move == "publish" and request.POST.get("mode") == "schedule":
        when = _parse_when(request.POST.get("when", ""))
        if when is None:
            messages.error(request, "请填写有效的定时发布时间（北京时间），或选择“立即发布”。")
            return redirect_to_change(obj_id=article.pk)
        kwargs["when"] = when
    try:
        func(**kwargs)
    except workflow.TransitionForbidden as refusal:
        return refused(request, refusal.message)
    except workflow.WorkflowError as error:
        messages.error(request, error.message)
        return redirect_to_change(obj_id=article.pk)
    if article.is_scheduled:
        messages.success(
            request,
            f"已设为定时发布：{timezone.localtime(article.published_at):%Y-%m-%d %H:%M}（北京时间）。",
        )
    else:
        messages.success(request, f"已{label}：{article}（当前状态：{article.get_status_display()}）。")
    return redirect_to_change(obj_id=article.pk)


def bulk_move(request, queryset, func, label):
    """Apply one move to every selected article, all or nothing."""
    try:
        with transaction.atomic():
            for article in queryset.select_for_update():
                func(article=article, user=request.user)
    except workflow.TransitionForbidden as refusal:
        return refused(request, refusal.message)
    except workflow.WorkflowError as error:
        messages.error(request, f"批量{label}未执行，没有任何稿件被改动：{error.message}")
        return None
    messages.success(request, f"已{label} {queryset.count()} 篇稿件。")
    return None


def history(request, object_id):
    """The article's revisions, newest first, with compare and restore."""
    article = _article(object_id)
    if not workflow.can_view_history(request.user, article):
        workflow.record_refusal(user=request.user, article=article, what="history")
        return refused(request, "您只能查看自己稿件的修改历史。")
    versions = list(versioning.article_versions(article))
    context = {
        **admin.site.each_context(request),
        "title": f"修改历史：{article}",
        "article_obj": article,
        "opts": Article._meta,
        "versions": versions,
        "may_restore": workflow.can_edit(request.user, article),
    }
    return TemplateResponse(request, "admin/articles/article/history.html", context)


def compare(request, object_id):
    """A readable diff between two revisions of the article (title fields, body, bylines, tags)."""
    article = _article(object_id)
    if not workflow.can_view_history(request.user, article):
        workflow.record_refusal(user=request.user, article=article, what="compare")
        return refused(request, "您只能查看自己稿件的修改历史。")
    try:
        ids = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError:
        messages.error(request, "请选择两个要比较的历史版本。")
        return redirect(reverse("admin:articles_article_history", args=[article.pk]))
    from reversion.models import Revision

    revisions = Revision.objects.in_bulk(ids)
    snapshots = [versioning.snapshot(revisions[i], article.pk) if i in revisions else None for i in ids]
    if None in snapshots:
        messages.error(request, "所选的历史版本不属于这篇稿件，无法比较。")
        return redirect(reverse("admin:articles_article_history", args=[article.pk]))
    older, newer = sorted(ids)
    if ids[0] > ids[1]:
        snapshots.reverse()
    context = {
        **admin.site.each_context(request),
        "title": f"比较版本：{article}",
        "article_obj": article,
        "opts": Article._meta,
        "older": revisions[older],
        "newer": revisions[newer],
        "rows": versioning.diff(*snapshots),
    }
    return TemplateResponse(request, "admin/articles/article/compare.html", context)


@require_POST
def restore(request, object_id, revision_id):
    """Restore an earlier revision (a new revision itself), permission-checked."""
    article = _article(object_id)
    try:
        versioning.article_restore(article=article, user=request.user, revision_id=revision_id)
    except workflow.EditForbidden as refusal:
        return refused(request, refusal.message)
    except workflow.WorkflowError as error:
        messages.error(request, error.message)
        return redirect(reverse("admin:articles_article_history", args=[article.pk]))
    messages.success(request, f"已恢复到历史版本 #{revision_id}，这次恢复也已记为一个新版本。")
    return redirect_to_change(obj_id=article.pk)
