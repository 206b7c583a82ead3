"""A page's plan as a plain snapshot, and what changed between two snapshots, said in Chinese.

The services take a snapshot before and after every page change (to know whether a proofread page
really changed), and the page screen carries the snapshot it was loaded with, so that an editor
whose save comes second is told who changed what since (``conflict_message``).
"""

import hashlib
import json

from django.utils import timezone

from articles.models import Article
from articles.people import display_name

from ..models import Page, Placement


def snapshot(page):
    """The page as it stands in the database: its fields and its stories in order (JSON-friendly)."""
    fields = (
        Page.objects.filter(pk=page.pk)
        .values("number", "name", "editor_id", "image", "banner_text", "unassigned_text")
        .get()
    )
    texts = f"{fields['banner_text']}\0{fields['unassigned_text']}"
    stories = (
        Placement.objects.filter(page_id=page.pk)
        .order_by("position", "pk")
        .values_list("pk", "article_id", "is_lead", "continues_on_id")
    )
    return {
        "number": fields["number"],
        "name": fields["name"],
        "editor": fields["editor_id"],
        "image": fields["image"] or "",
        "texts": hashlib.sha256(texts.encode()).hexdigest()[:16],
        "stories": [list(row) for row in stories],
    }


def dumps(plan):
    """The snapshot as the page screen's hidden field carries it."""
    return json.dumps(plan, separators=(",", ":"))


def loads(text):
    """A snapshot back from the hidden field, or None when it is missing or not ours."""
    try:
        plan = json.loads(text or "")
    except ValueError:
        return None
    if not isinstance(plan, dict) or not isinstance(plan.get("stories"), list):
        return None
    try:
        plan["stories"] = [
            [int(a), int(b), bool(c), None if d is None else int(d)] for a, b, c, d in plan["stories"]
        ]
    except (TypeError, ValueError):
        return None
    return plan


def _titles(ids):
    articles = Article.objects.only("headline").in_bulk(ids)
    return {
        pk: f"《{a.headline}》" if a.headline.strip() else f"《（无标题，编号{pk}）》"
        for pk, a in articles.items()
    }


def changes(before, after):
    """What differs from ``before`` to ``after``, as short Chinese phrases in reading order."""
    said = []
    if before.get("number") != after["number"]:
        said.append(f"版次改为第{after['number']}版")
    if before.get("name") != after["name"]:
        said.append(f"版名改为“{after['name']}”")
    if before.get("editor") != after["editor"]:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(pk=after["editor"]).first() if after["editor"] else None
        said.append(f"责任编辑改为{display_name(user)}" if user else "取消了责任编辑")
    if before.get("image", "") != after["image"]:
        said.append("更换了版面图" if after["image"] else "删除了版面图")
    if "texts" in before and before["texts"] != after["texts"]:
        said.append("修改了版面文字")
    old = {row[1]: row for row in before.get("stories", [])}
    new = {row[1]: row for row in after["stories"]}
    added = [a for a in new if a not in old]
    removed = [a for a in old if a not in new]
    old_lead = next((a for a, row in old.items() if row[2]), None)
    new_lead = next((a for a, row in new.items() if row[2]), None)
    jumps = [a for a in new if a in old and new[a][3] != old[a][3]]
    kept_old = [a for a in old if a in new]
    kept_new = [a for a in new if a in old]
    titles = _titles({*added, *removed, *jumps, *(x for x in (old_lead, new_lead) if x)})
    pages = dict(Page.objects.filter(pk__in={new[a][3] for a in jumps} - {None}).values_list("pk", "number"))
    said += [f"新增{titles.get(a, f'《编号{a}》')}" for a in added]
    said += [f"撤下{titles.get(a, f'《编号{a}》')}" for a in removed]
    if new_lead != old_lead:
        said.append(f"头条改为{titles.get(new_lead, '')}" if new_lead else "取消了头条")
    for a in jumps:
        target = new[a][3]
        said.append(
            f"{titles.get(a, '')}下转改为第{pages.get(target, '?')}版"
            if target
            else f"{titles.get(a, '')}取消下转"
        )
    if kept_old != kept_new:
        said.append("调整了稿件顺序")
    return said


def conflict_message(page, loaded):
    """第2版已被 林编辑 于 10:02 修改：新增《…》、撤下《…》 (what changed since ``loaded``)."""
    when = timezone.localtime(page.updated_at)
    today = timezone.localdate()
    stamp = f"{when:%H:%M}" if when.date() == today else f"{when:%m-%d %H:%M}"
    head = f"第{page.number}版已被 {display_name(page.changed_by, default='他人')} 于 {stamp} 修改"
    said = changes(loaded, snapshot(page)) if loaded else []
    return f"{head}：{'、'.join(said)}。" if said else f"{head}。"
