"""Admin views around the article form: workflow buttons, history, compare, restore.

Each view checks the right on the server and calls the workflow or versioning functions; a
request the user's buttons could not have made is refused with 403 and logged.
"""

from datetime import datetime

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
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


def refused(request, message):
    """A clear Chinese 403 page; the caller has already logged the attempt."""
    context = {**admin.site.each_context(request), "title": "操作被拒绝", "message": message}
    return TemplateResponse(request, "admin/articles/refused.html", context, status=403)


def redirect_to_change(*, obj_id):
    """Back to the article's change page."""
    return redirect(reverse("admin:articles_article_change", args=[obj_id]))


def _article(request, object_id):
    """The article if this user may see it (``visible_to``), else 404: a hidden story is not confirmed."""
    articles = Article.objects.visible_to(request.user).select_related("section", "created_by")
    try:
        pk = Article._meta.pk.to_python(unquote(object_id))
    except ValidationError as exc:  # /article/abc/history/: no such article, not a server error
        raise Http404("没有这篇稿件。") from exc
    return get_object_or_404(articles, pk=pk)


def panel_context(request, article):
    """What the change page shows above the form: badge, buttons, return note, timeline, links.

    The buttons come from the workflow's one table (``workflow.MOVES``). Where the user may edit the
    article, they submit the article form itself (``form="article_form"``): the edit is saved and the
    move made in one transaction (ArticleAdmin.changeform_view); otherwise each is a small form of its own.
    """
    user = request.user
    moves = []
    for key in workflow.allowed_moves(user, article):
        move = workflow.MOVES[key]
        moves.append(
            {
                "key": key,
                "label": move.label,
                "needs_note": bool(move.note_label),
                "note_label": move.note_label,
                "url": reverse("admin:articles_article_move", args=[article.pk, key]),
            }
        )
    events = list(article.events.select_related("actor__person").order_by("created_at", "pk"))
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
        # A refused in-form move redisplays what was typed into the panel too.
        "move_note": request.POST.get("_move_note", ""),
        "move_when": request.POST.get("_move_when", ""),
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


def move_kwargs(post, *, key, article, user, prefix=""):
    """The workflow function's arguments for move ``key`` from a POST (note; publish: now or a time).

    The change page's own forms name the fields ``note``/``mode``/``when``; the buttons inside the
    article form use the same names with the prefix ``_move_``.
    """
    kwargs = {"article": article, "user": user, "note": post.get(f"{prefix}note", "")}
    scheduled = post.get(f"{prefix}mode") == "schedule" or post.get("_move") == "schedule"
    if key == "publish" and scheduled:
        when = _parse_when(post.get(f"{prefix}when", ""))
        if when is None:
            raise workflow.InvalidSchedule("请填写有效的定时发布时间（北京时间），或选择“立即发布”。")
        kwargs["when"] = when
    return kwargs


def move_done_message(request, article, key):
    """Tell the user what the move did (a scheduled publication with its Beijing time)."""
    if article.is_scheduled:
        messages.success(
            request,
            f"已设为定时发布：{timezone.localtime(article.published_at):%Y-%m-%d %H:%M}（北京时间）。",
        )
    else:
        label = workflow.MOVES[key].label
        messages.success(request, f"已{label}：{article}（当前状态：{article.get_status_display()}）。")


def refuse_move(request, article, key):
    """A 403 (logged and audited) for a move this user lacks the right to make; None otherwise.

    A move that is merely not possible in the article's state is left to the workflow, which names
    the state (IllegalTransition) for the user.
    """
    move = workflow.MOVES[key]
    if request.user.has_perm(move.perm) and (
        article.status != move.source or workflow.may_move(request.user, article, key)
    ):
        return None
    workflow.record_refusal(user=request.user, article=article, what=f"move {key}")
    return refused(request, f"您没有权限执行“{move.label}”。")


@require_POST
def move(request, object_id, move):
    """Run one workflow move from the change page's own forms (where the article is not editable)."""
    if move not in workflow.MOVES:
        raise Http404("没有这个操作。")
    article = _article(request, object_id)
    refusal = refuse_move(request, article, move)
    if refusal is not None:
        return refusal
    try:
        kwargs = move_kwargs(request.POST, key=move, article=article, user=request.user)
        workflow.MOVE_FUNCTIONS[move](**kwargs)
    except workflow.TransitionForbidden as refusal:
        return refused(request, refusal.message)
    except workflow.WorkflowError as error:
        messages.error(request, error.message)
        return redirect_to_change(obj_id=article.pk)
    move_done_message(request, article, move)
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
    article = _article(request, object_id)
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
    article = _article(request, object_id)
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
    article = _article(request, object_id)
    try:
        versioning.article_restore(article=article, user=request.user, revision_id=revision_id)
    except workflow.EditForbidden as refusal:
        return refused(request, refusal.message)
    except workflow.WorkflowError as error:
        messages.error(request, error.message)
        return redirect(reverse("admin:articles_article_history", args=[article.pk]))
    messages.success(request, f"已恢复到历史版本 #{revision_id}，这次恢复也已记为一个新版本。")
    return redirect_to_change(obj_id=article.pk)
