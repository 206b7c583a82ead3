"""Autosave of the article form: a user's unsaved content, kept on the server while they type.

static/admin_newsroom/autosave.js posts the form's content fields here every
``NEWSROOM_AUTOSAVE_SECONDS`` (only when something changed) and when a field loses focus. The
content lands in ``ArticleAutosave`` (one per user and article; ``article`` empty for the add
form): never a revision, never read by a public page, never written into the article. When the
same user opens the form again, the change page offers it (恢复未保存的内容) with a diff against
the saved article; restoring fills the form in the browser and the user saves as usual.
"""

import json

from django.conf import settings
from django.contrib import admin, messages
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from taggit.utils import parse_tags

from .. import versioning, workflow
from ..models import Article, ArticleAutosave, Column, Photo, Section
from ..sanitize import sanitize_body
from .workflow_views import _article

# The form fields an autosave keeps: the text fields as typed, the choices as ids.
TEXT_FIELDS = ("kicker", "headline", "subheadline", "summary", "body", "tags")
CHOICE_FIELDS = {"section": Section, "column": Column, "lead_photo": Photo}
FIELDS = (*TEXT_FIELDS, *CHOICE_FIELDS)


def interval_seconds():
    """How often the form autosaves while someone types (``NEWSROOM_AUTOSAVE_SECONDS``, default 30)."""
    return getattr(settings, "NEWSROOM_AUTOSAVE_SECONDS", 30)


def max_bytes():
    """The largest autosave accepted (``NEWSROOM_AUTOSAVE_MAX_BYTES``, default 1 MB); beyond it: 413."""
    return getattr(settings, "NEWSROOM_AUTOSAVE_MAX_BYTES", 1024 * 1024)


class PayloadError(ValueError):
    """The posted autosave is not what the form sends."""


def clean_payload(payload):
    """The stored form of a posted autosave: only the content fields, strings and ids, body sanitized."""
    if not isinstance(payload, dict) or not isinstance(payload.get("fields"), dict):
        raise PayloadError("缺少表单内容。")
    fields = payload["fields"]
    data = {}
    for name in TEXT_FIELDS:
        value = fields.get(name) or ""
        if not isinstance(value, str):
            raise PayloadError(f"字段 {name} 应为文字。")
        data[name] = value
    data["body"] = sanitize_body(data["body"])
    for name in CHOICE_FIELDS:
        value = fields.get(name)
        if value in (None, ""):
            data[name] = None
        elif isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            data[name] = int(value)
        else:
            raise PayloadError(f"字段 {name} 应为编号。")
    loaded = payload.get("loaded_version")
    if loaded in (None, ""):
        loaded = None
    elif isinstance(loaded, int) or (isinstance(loaded, str) and loaded.isdigit()):
        loaded = int(loaded)
    else:
        raise PayloadError("版本号无效。")
    return data, loaded


def _target(request, object_id):
    """The article being autosaved (404 if this user may not see it), or None for the add form."""
    return _article(request, object_id) if object_id is not None else None


@require_POST
def store(request, object_id=None):
    """Store (or replace) this user's autosave of the article: JSON in, JSON out."""
    article = _target(request, object_id)
    if not workflow.can_edit(request.user, article or Article()):
        workflow.record_refusal(user=request.user, article=article, what="autosave")
        return JsonResponse({"error": "您现在不能修改这篇稿件，自动保存已停止。"}, status=403)
    # Refuse an oversized body before reading it.
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > max_bytes():
        return JsonResponse({"error": "内容过大，未能自动保存。"}, status=413)
    body = request.body
    if len(body) > max_bytes():
        return JsonResponse({"error": "内容过大，未能自动保存。"}, status=413)
    try:
        data, loaded = clean_payload(json.loads(body or b"null"))
    except (ValueError, UnicodeDecodeError) as error:
        message = str(error) if isinstance(error, PayloadError) else "内容格式无效。"
        return JsonResponse({"error": message}, status=400)
    now = timezone.now()
    values = {"data": data, "loaded_version": loaded, "saved_at": now}
    try:
        with transaction.atomic():
            ArticleAutosave.objects.update_or_create(article=article, user=request.user, defaults=values)
    except IntegrityError:
        # Two autosaves of the same form raced to create the row: the other one exists now.
        ArticleAutosave.objects.filter(article=article, user=request.user).update(**values)
    return JsonResponse(
        {"saved_at": now.isoformat(), "message": f"已自动保存 {timezone.localtime(now):%H:%M:%S}"}
    )


@require_POST
def discard(request, object_id=None):
    """Delete this user's autosave of the article (the offer's 放弃 button)."""
    article = _target(request, object_id)
    ArticleAutosave.objects.filter(article=article, user=request.user).delete()
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"discarded": True})
    messages.info(request, "已放弃自动保存的内容。")
    if article is None:
        return redirect(reverse("admin:articles_article_add"))
    return redirect(reverse("admin:articles_article_change", args=[article.pk]))


def discard_for(*, article, user):
    """Delete the user's autosave of this article (``article`` None: of the add form)."""
    if getattr(user, "pk", None):
        ArticleAutosave.objects.filter(article=article, user=user).delete()


# --- the offer on the change page ---------------------------------------------------------------


def _names(request, name, ids):
    """Labels of the chosen section, column or photo, among those this user may choose."""
    if name == "lead_photo":
        # A reporter does not see every photo of the library (PhotoAdmin.get_queryset).
        choices = admin.site.get_model_admin(Photo).get_queryset(request)
    else:
        choices = CHOICE_FIELDS[name]._base_manager.all()
    found = choices.in_bulk([pk for pk in ids if pk])
    return {pk: str(obj) for pk, obj in found.items()}


def _autosave_snapshot(request, data, current):
    """The autosave in ``versioning.snapshot``'s shape (bylines are not autosaved: the saved ones)."""
    sections = _names(request, "section", [data.get("section")])
    columns = _names(request, "column", [data.get("column")])
    return {
        **versioning.text_snapshot(data),
        "section": sections.get(data.get("section"), ""),
        "column": columns.get(data.get("column"), ""),
        "bylines": current.get("bylines", ""),
        "tags": "、".join(sorted(parse_tags(data.get("tags", "")))),
    }


def _restore_values(request, data):
    """What autosave.js writes back into the form: texts as typed, choices as [id, label]."""
    values = {name: data.get(name, "") for name in TEXT_FIELDS}
    for name in CHOICE_FIELDS:
        pk = data.get(name)
        label = _names(request, name, [pk]).get(pk)
        values[name] = [pk, label] if label is not None else None
    return values


def pending_offer(request, article):
    """This user's autosave of the article worth offering, with its diff; None if there is none.

    Not offered when the user saved the article after autosaving it, nor when it says nothing the
    saved article does not say.
    """
    user = request.user
    autosave = ArticleAutosave.objects.filter(article=article, user=user).first()
    if autosave is None:
        return None
    if article is not None and article.updated_by_id == user.pk and article.updated_at >= autosave.saved_at:
        return None
    current = versioning.current_snapshot(article) if article is not None else {}
    rows = [
        row
        for row in versioning.diff(current, _autosave_snapshot(request, autosave.data, current))
        if row["changed"]
    ]
    saved_photo = article.lead_photo_id if article is not None else None
    if autosave.data.get("lead_photo") != saved_photo:
        photos = _names(request, "lead_photo", [saved_photo, autosave.data.get("lead_photo")])
        before, after = photos.get(saved_photo, ""), photos.get(autosave.data.get("lead_photo"), "")
        lines = [("removed", before)] if before else []
        lines += [("added", after)] if after else []
        rows.append({"key": "lead_photo", "label": "题图", "changed": True, "lines": lines})
    if not rows:
        return None
    if article is None:
        discard_url = reverse("admin:articles_article_autosave_new_discard")
    else:
        discard_url = reverse("admin:articles_article_autosave_discard", args=[article.pk])
    return {
        "saved_at": timezone.localtime(autosave.saved_at),
        "rows": rows,
        "values": _restore_values(request, autosave.data),
        "discard_url": discard_url,
    }


def change_form_context(request, obj):
    """The autosave's URL and interval for the form, and the recovery offer when there is one."""
    article = obj if obj is not None and obj.pk else None
    if not workflow.can_edit(request.user, article or Article()):
        return {}
    if article is None:
        url = reverse("admin:articles_article_autosave_new")
    else:
        url = reverse("admin:articles_article_autosave", args=[article.pk])
    context = {"autosave_url": url, "autosave_seconds": interval_seconds()}
    # A redisplayed form (errors, conflict) already holds what the user typed: no offer then.
    if request.method == "GET":
        context["autosave_offer"] = pending_offer(request, article)
    return context
