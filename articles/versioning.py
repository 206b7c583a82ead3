"""Revision history of articles, with django-reversion; imported in ArticlesConfig.ready().

Why django-reversion rather than django-simple-history: reversion stores a model *together with
its followed relations* (here the bylines and the tag links) as one revision, so "the article as
it stood at 10:42" is one object with its credits and tags, and it ships the building blocks we
need (per-object version lists, field dicts to compare, a revision per save). simple-history
keeps a separate history table per model and does not group related rows into one revision, so
an article's bylines and tags would have to be stitched together by timestamps.

Every save stores a revision: the admin wraps its save in ``reversion.create_revision()``, the
workflow's moves and saves call ``add_to_revision`` themselves (they update with a conditional
UPDATE, which sends no post_save). Restoring is not reversion's ``revert()``: that would write
back ``status`` and ``version`` as they were; here only the content, bylines and tags come back,
through the same conditional update as any edit, and the restore is itself a new revision.
"""

import difflib

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from reversion.models import Revision, Version

from . import workflow
from .models import Article, ArticleEvent, Byline, Column, Person, Section, Tag, TaggedArticle
from .sanitize import plain_text
from .signals import article_transitioned

reversion.register(Byline)
reversion.register(TaggedArticle)
reversion.register(Article, follow=("bylines", "tagged_items"), exclude=("search_document",))

# Fields compared between revisions, with the labels editors know.
COMPARED = (
    ("kicker", "引题"),
    ("headline", "主题"),
    ("subheadline", "副题"),
    ("summary", "摘要"),
    ("body", "正文"),
    ("section", "栏目"),
    ("column", "专栏"),
    ("bylines", "署名"),
    ("tags", "标签"),
)


class RestoreError(workflow.WorkflowError):
    """The revision cannot be restored onto this article."""


def article_versions(article):
    """The article's stored versions, newest first, with their revisions and authors."""
    return Version.objects.get_for_object(article).select_related("revision", "revision__user__person")


def _article_version(revision, article_pk):
    content_type = ContentType.objects.get_for_model(Article)
    return revision.version_set.filter(content_type=content_type, object_id=str(article_pk)).first()


def text_snapshot(data):
    """The title fields and the plain-text body of stored or submitted field values, as diffs compare them."""
    return {
        **{key: data.get(key, "") for key in ("kicker", "headline", "subheadline", "summary")},
        "body": plain_text(data.get("body", "")),
    }


def _role(stored):
    """A byline role as stored in a revision: revisions from before roles were stored in English
    (articles migration 0006) hold the printed word (记者), newer ones the value (reporter)."""
    return stored if stored in Byline.Role.values else Byline.Role.from_label(stored).value


def snapshot(revision, article_pk):
    """The article as stored in ``revision``: title fields, plain-text body, bylines and tags."""
    version = _article_version(revision, article_pk)
    if version is None:
        return None
    data = version.field_dict
    related = {Byline: [], TaggedArticle: []}
    for other in revision.version_set.exclude(pk=version.pk).select_related("content_type"):
        model = other.content_type.model_class()
        if model in related:
            related[model].append(other.field_dict)
    bylines = sorted(
        (b for b in related[Byline] if b.get("article_id") == article_pk),
        key=lambda b: (b.get("order", 0), b.get("id", 0)),
    )
    people = Person.objects.in_bulk([b["person_id"] for b in bylines])
    tag_ids = [t["tag_id"] for t in related[TaggedArticle] if str(t.get("object_id")) == str(article_pk)]
    section = Section.objects.filter(pk=data.get("section_id")).first()
    column = Column.objects.filter(pk=data.get("column_id")).first()
    return {
        **text_snapshot(data),
        "body_html": data.get("body", ""),
        "section_id": data.get("section_id"),
        "column_id": data.get("column_id"),
        "section": section.name if section else "",
        "column": column.name if column else "",
        "byline_rows": [(b["person_id"], _role(b["role"]), b.get("order", 0)) for b in bylines],
        "bylines": "\n".join(
            f"{Byline.Role(_role(b['role'])).label} "
            f"{people[b['person_id']].name if b['person_id'] in people else '（已删除的作者）'}"
            for b in bylines
        ),
        "tag_ids": tag_ids,
        "tags": "、".join(sorted(Tag.objects.filter(pk__in=tag_ids).values_list("name", flat=True))),
    }


def current_snapshot(article):
    """The article as saved now, in the same shape as ``snapshot``."""
    bylines = list(article.bylines.select_related("person").order_by("order", "pk"))
    return {
        "kicker": article.kicker,
        "headline": article.headline,
        "subheadline": article.subheadline,
        "summary": article.summary,
        "body": plain_text(article.body),
        "section": article.section.name if article.section_id else "",
        "column": article.column.name if article.column_id else "",
        "bylines": "\n".join(f"{b.get_role_display()} {b.person.name}" for b in bylines),
        "tags": "、".join(sorted(article.tags.names())),
    }


def diff(old, new):
    """A readable, line-based diff of two snapshots: [{label, changed, lines: [(kind, text)]}]."""
    result = []
    for key, label in COMPARED:
        before, after = (old or {}).get(key, "") or "", (new or {}).get(key, "") or ""
        lines = [
            ({"-": "removed", "+": "added"}.get(line[:1], "same"), line[2:])
            for line in difflib.ndiff(before.splitlines(), after.splitlines())
            if not line.startswith("?")  # ndiff's intraline hints are noise to a reader
        ]
        result.append({"key": key, "label": label, "changed": before != after, "lines": lines})
    return result


@transaction.atomic
def article_restore(*, article, user, revision_id, expected_version=None):
    """Bring back the content, bylines and tags of an earlier revision, as a new revision.

    Permission-checked like any edit and guarded by the same conditional update on ``version``.
    Status and publication times are not touched: moves belong to the workflow.
    """
    revision = Revision.objects.filter(pk=revision_id).first()
    if revision is None:
        raise RestoreError("找不到这个历史版本，无法恢复。")
    if _article_version(revision, article.pk) is None:
        raise RestoreError("这个历史版本不属于这篇稿件，不能恢复到本稿件；稿件没有任何改动。")
    if not workflow.can_edit(user, article):
        workflow.record_refusal(user=user, article=article, what=f"restore revision {revision_id}")
        raise workflow.EditForbidden("您没有权限恢复这篇稿件的历史版本。")
    old = snapshot(revision, article.pk)
    data = _article_version(revision, article.pk).field_dict
    for name in workflow.content_fields():
        field = Article._meta.get_field(name)
        if not field.is_relation:
            setattr(article, name, data.get(name, field.get_default()))
            continue
        value = data.get(field.attname)
        if value is not None and not field.related_model._base_manager.filter(pk=value).exists():
            value = None  # the section, column or photo it pointed to has since been deleted
        if value is None and not field.null:
            raise RestoreError(f"这个历史版本的“{field.verbose_name}”已被删除，无法恢复。")
        setattr(article, field.attname, value)
    workflow.claim_version(article=article, user=user, expected_version=expected_version or article.version)
    article.save(update_fields=[*workflow.content_fields(), "version", "updated_by", "updated_at"])

    article.bylines.all().delete()
    existing = Person.objects.in_bulk([person_id for person_id, _role, _order in old["byline_rows"]])
    Byline.objects.bulk_create(
        Byline(article=article, person_id=person_id, role=role, order=order)
        for person_id, role, order in old["byline_rows"]
        if person_id in existing
    )
    article.tags.set(list(Tag.objects.filter(pk__in=old["tag_ids"])))

    when = timezone.localtime(revision.date_created)
    note = f"恢复到历史版本 #{revision.pk}（{when:%Y-%m-%d %H:%M}）"
    ArticleEvent.objects.create(
        article=article,
        actor=user,
        action=ArticleEvent.Action.RESTORE,
        from_status=article.status,
        to_status=article.status,
        note=note,
    )
    workflow.store_revision(article, user, note)
    transaction.on_commit(
        lambda: article_transitioned.send(
            sender=Article, article=article, action=ArticleEvent.Action.RESTORE, actor=user
        )
    )
    return article
