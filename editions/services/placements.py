"""Stories on a page: the page screen's whole list, one story at a time, and the jumps between pages.

Every change runs under the page lock (``base._changing``): positions 1..n without gaps, one lead,
a story once per edition, a jump only to another page of the same edition.
"""

from dataclasses import dataclass

from django.db.models import Max

from articles.models import Article

from ..models import Page, Placement
from .base import ASSEMBLE_PERM, InvalidPlacement, _changing, _service, describe

# Stories an editor may place: in review (published by the release) or already on the website.
PLACEABLE = (Article.Status.REVIEW, Article.Status.PUBLISHED)


def _renumber(page, ordered):
    """Give ``ordered`` (this page's placements) positions 1..n.

    UniqueConstraint(page, position) is not deferrable (and SQLite cannot defer it), so the rows
    first move past every position in use, then to their final places: no moment has two rows
    on one position. The caller holds the page lock.
    """
    if not ordered:
        return
    top = Placement.objects.filter(page=page).aggregate(m=Max("position"))["m"] or 0
    for index, placement in enumerate(ordered, start=1):
        placement.position = top + index
    Placement.objects.bulk_update(ordered, ["position"])
    for index, placement in enumerate(ordered, start=1):
        placement.position = index
    Placement.objects.bulk_update(ordered, ["position"])


def _page_placements(page):
    return list(Placement.objects.filter(page=page).order_by("position", "pk"))


@dataclass
class Row:
    """One story as the page screen submits it: an existing placement (or None) and its wishes."""

    placement: Placement | None
    article: Article
    is_lead: bool = False
    continues_on: Page | None = None
    position: int | None = None


def placement_problems(*, page, rows, removed=()):
    """Check the page's wanted stories; return Chinese messages (empty when all is well)."""
    problems = []
    removed_ids = {p.pk for p in removed if p.pk}
    kept_ids = {r.placement.pk for r in rows if r.placement is not None and r.placement.pk}
    seen = {}
    for row in rows:
        article = row.article
        changed = row.placement is None or row.placement.article_id != article.pk
        if changed and article.status not in PLACEABLE:
            problems.append(
                f"{describe(article)}状态为“{article.get_status_display()}”，只能编排待审或已发布的稿件。"
            )
        if article.pk in seen:
            problems.append(f"{describe(article)}在本版出现了两次，请删去其中一条。")
        seen[article.pk] = row
        if row.continues_on is not None:
            target = row.continues_on
            if target.pk == page.pk:
                problems.append(f"{describe(article)}不能“下转”本版，请选择本期的另一个版面。")
            elif target.edition_id != page.edition_id:
                problems.append(f"{describe(article)}的下转版面不属于本期，请选择本期的版面。")
    elsewhere = (
        Placement.objects.filter(edition_id=page.edition_id, article_id__in=list(seen))
        .exclude(pk__in=kept_ids | removed_ids)
        .select_related("page")
    )
    for other in elsewhere:
        problems.append(
            f"{describe(seen[other.article_id].article)}已在第{other.page.number}版，"
            "一篇稿件在一期中只能见报一次（续文请用“下转”）。"
        )
    leads = [r for r in rows if r.is_lead]
    if len(leads) > 1:
        problems.append("每版只能有一篇头条，请只勾选一篇。")
    return problems


@_service(ASSEMBLE_PERM, "编排版面")
def page_save_placements(*, page, user, rows, removed=(), version=None, loaded=None):
    """Make the page's story list ``rows``, in their order (the admin's page screen saves here).

    Locks the page, refuses a signed-off page, and with ``version`` (the page's version when the
    screen was loaded) refuses a page someone changed since with PageConflict naming the change
    (``loaded``, the screen's snapshot, tells what). Then checks the rows, deletes ``removed``, and
    writes positions in two phases and the lead last, so no constraint ever sees a half-made page.
    """
    with _changing(page, user, version=version, loaded=loaded) as page:
        return _save_placements(page, rows, removed)


def _save_placements(page, rows, removed):
    problems = placement_problems(page=page, rows=rows, removed=removed)
    if problems:
        raise InvalidPlacement(" ".join(problems))
    Placement.objects.filter(page=page, pk__in=[p.pk for p in removed if p.pk]).delete()
    Placement.objects.filter(page=page, is_lead=True).update(is_lead=False)
    # Rows in the order the editor wants (by position, ties by screen order).
    ordered = [
        r
        for _i, r in sorted(
            enumerate(rows), key=lambda ir: (ir[1].position is None, ir[1].position or 0, ir[0])
        )
    ]
    # Phase one: every row goes above all positions in use, so no two rows ever share one.
    base = (Placement.objects.filter(page=page).aggregate(m=Max("position"))["m"] or 0) + 1
    final = []
    for offset, row in enumerate(ordered):
        placement = row.placement if row.placement is not None and row.placement.pk else Placement()
        placement.page = page
        placement.article = row.article
        placement.continues_on = row.continues_on
        placement.is_lead = False
        placement.position = base + offset
        placement.save()
        final.append(placement)
    # Stories a colleague added before this screen was loaded stay, after the editor's.
    known = {p.pk for p in final}
    _renumber(page, final + [p for p in _page_placements(page) if p.pk not in known])
    lead = next((p for r, p in zip(ordered, final, strict=True) if r.is_lead), None)
    if lead is not None:
        Placement.objects.filter(pk=lead.pk).update(is_lead=True)
        lead.is_lead = True
    return final


@_service(ASSEMBLE_PERM, "编排版面")
def placement_add(*, page, article, user, is_lead=False, continues_on=None, position=None, version=None):
    """Put a story on a page: at the end, or at ``position`` (1-based, the stories from there move down).

    Optionally as its lead, optionally continued elsewhere; with ``version`` (the page's version the
    board showed) a page someone changed since is refused with PageConflict.
    """
    with _changing(page, user, version=version) as page:
        current = _page_placements(page)
        rows = [
            Row(
                placement=p, article=p.article, is_lead=p.is_lead and not is_lead, continues_on=p.continues_on
            )
            for p in Placement.objects.filter(page=page)
            .select_related("article", "continues_on")
            .order_by("position", "pk")
        ]
        rows.append(Row(placement=None, article=article, is_lead=is_lead, continues_on=continues_on))
        problems = placement_problems(page=page, rows=rows)
        if problems:
            raise InvalidPlacement(" ".join(problems))
        top = max((p.position for p in current), default=0)
        if is_lead:
            Placement.objects.filter(page=page, is_lead=True).update(is_lead=False)
        added = Placement.objects.create(
            page=page, article=article, position=top + 1, is_lead=is_lead, continues_on=continues_on
        )
        if position is not None and position <= len(current):
            current.insert(max(0, position - 1), added)
            _renumber(page, current)
        return added


@_service(ASSEMBLE_PERM, "调整顺序")
def placement_move(*, placement, user, step, version=None):
    """Move a story ``step`` places up (negative) or down (positive) on its page, renumbering 1..n."""
    page = placement.page
    with _changing(page, user, version=version) as page:
        ordered = _page_placements(page)
        index = next((i for i, p in enumerate(ordered) if p.pk == placement.pk), None)
        if index is None:
            raise InvalidPlacement("这篇稿件已不在本版，请刷新页面。")
        moved = ordered.pop(index)
        ordered.insert(max(0, min(len(ordered), index + step)), moved)
        _renumber(page, ordered)
        return ordered


@_service(ASSEMBLE_PERM, "调整顺序")
def page_reorder(*, page, user, order, version=None):
    """Put the page's stories in the order of ``order`` (placement ids); unknown ones go last."""
    with _changing(page, user, version=version) as page:
        current = _page_placements(page)
        rank = {pk: i for i, pk in enumerate(order)}
        ordered = sorted(current, key=lambda p: (rank.get(p.pk, len(rank)), p.position, p.pk))
        _renumber(page, ordered)
        return ordered


@_service("editions.delete_placement", "撤下版面稿件")
def placement_remove(*, placement, user, version=None):
    """Take a story off its page and close the gap."""
    page = placement.page
    with _changing(page, user, version=version) as page:
        Placement.objects.filter(pk=placement.pk, page=page).delete()
        _renumber(page, _page_placements(page))


@_service(ASSEMBLE_PERM, "设置头条")
def placement_mark_lead(*, placement, user, version=None):
    """Make this story its page's lead (the former lead stays, as an ordinary story) and put it first."""
    page = placement.page
    with _changing(page, user, version=version) as page:
        Placement.objects.filter(page=page, is_lead=True).update(is_lead=False)
        Placement.objects.filter(pk=placement.pk, page=page).update(is_lead=True)
        ordered = _page_placements(page)
        ordered.sort(key=lambda p: p.pk != placement.pk)
        _renumber(page, ordered)
        placement.refresh_from_db()
        return placement


@_service(ASSEMBLE_PERM, "设置下转")
def placement_set_jump(*, placement, user, continues_on, version=None):
    """Set (or clear, with None) the page where this story continues (下转X版)."""
    page = placement.page
    with _changing(page, user, version=version) as page:
        if continues_on is not None:
            if continues_on.pk == page.pk:
                raise InvalidPlacement(
                    f"{describe(placement.article)}不能“下转”本版，请选择本期的另一个版面。"
                )
            if continues_on.edition_id != page.edition_id:
                raise InvalidPlacement(
                    f"{describe(placement.article)}的下转版面不属于本期，请选择本期的版面。"
                )
        Placement.objects.filter(pk=placement.pk).update(continues_on=continues_on)
        placement.continues_on = continues_on
        return placement


@_service(ASSEMBLE_PERM, "取消头条")
def placement_clear_lead(*, placement, user, version=None):
    """Make the page's lead an ordinary story again (it keeps its place)."""
    page = placement.page
    with _changing(page, user, version=version) as page:
        Placement.objects.filter(pk=placement.pk, page=page).update(is_lead=False)
        placement.is_lead = False
        return placement


@_service(ASSEMBLE_PERM, "移到其他版面")
def placement_transfer(*, placement, user, page, position=None, version=None, target_version=None):
    """Move a story from its page to ``page`` of the same edition, at ``position`` (1-based) or last.

    Both pages are locked (in a fixed order, so two opposite moves never wait on each other) and
    each is checked like any page change: signed off, released, or changed since its ``version`` /
    ``target_version`` refuses. The story arrives as an ordinary story (a lead is the page's own
    choice), and a jump to the page it now stands on is dropped. Moving onto its own page reorders.
    """
    source = placement.page
    if page.pk == source.pk:
        return _reposition(placement, user, position, version)
    if page.edition_id != source.edition_id:
        raise InvalidPlacement(f"{describe(placement.article)}只能移到本期的其他版面。")
    wanted = {source.pk: version, page.pk: target_version}
    first, second = sorted((source, page), key=lambda p: p.pk)
    with (
        _changing(first, user, version=wanted[first.pk]) as one,
        _changing(second, user, version=wanted[second.pk]) as two,
    ):
        origin, target = (one, two) if one.pk == source.pk else (two, one)
        moved = Placement.objects.filter(pk=placement.pk, page=origin).select_related("article").first()
        if moved is None:
            raise InvalidPlacement(f"{describe(placement.article)}已不在第{origin.number}版，请刷新页面。")
        arriving = _page_placements(target)
        top = max((p.position for p in arriving), default=0)
        moved.page, moved.position, moved.is_lead = target, top + 1, False
        if moved.continues_on_id == target.pk:
            moved.continues_on = None
        moved.save(update_fields=["page", "position", "is_lead", "continues_on"])
        _renumber(origin, _page_placements(origin))
        if position is not None and position <= len(arriving):
            arriving.insert(max(0, position - 1), moved)
            _renumber(target, arriving)
        return moved


def _reposition(placement, user, position, version):
    """Move a story to ``position`` (1-based; None: last) on its own page."""
    with _changing(placement.page, user, version=version) as page:
        ordered = _page_placements(page)
        index = next((i for i, p in enumerate(ordered) if p.pk == placement.pk), None)
        if index is None:
            raise InvalidPlacement("这篇稿件已不在本版，请刷新页面。")
        moved = ordered.pop(index)
        at = len(ordered) if position is None else max(0, min(len(ordered), position - 1))
        ordered.insert(at, moved)
        _renumber(page, ordered)
        return moved


def jump_choices(page):
    """Pages a story on ``page`` may continue on: the other pages of the same edition."""
    return Page.objects.filter(edition_id=page.edition_id).exclude(pk=page.pk).order_by("number")


def continued_from(page, *, published_only=True):
    """Placements on other pages that continue on ``page`` (their 上接X版 here), in page order.

    With ``published_only`` (the public e-paper), a withdrawn story's jump disappears together with
    the story, so neither end of the link points at something a reader cannot see.
    """
    qs = Placement.objects.filter(continues_on=page).select_related("page", "article")
    if published_only:
        qs = qs.filter(article__in=Article.objects.published())
    return qs.order_by("page__number", "position")


def jump_to_label(placement):
    """下转X版 for a story that continues elsewhere, else ``""``."""
    return f"下转{placement.continues_on.number}版" if placement.continues_on_id else ""


def jump_from_label(placement):
    """上接X版, shown on the continuation page for a story that began on ``placement.page``."""
    return f"上接{placement.page.number}版"
