"""The edition board (版面计划) as data: every page with its stories, the pool of stories to place.

The board's screen (``editions/admin/board.py``) draws itself from these dictionaries and polls
``board_stamp`` to see a colleague's change. Reading the board costs the same few queries whatever
the number of pages and stories: pages, placements with their articles, their bylines, the release
check; the pool one query for its stories and one for their bylines. Nothing here writes: every
change goes through ``editions.services``.
"""

import hashlib

from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.urls import reverse
from django.utils import timezone

from articles.bylines import byline_line
from articles.models import Article, Byline, Section
from articles.people import display_name
from articles.search import filter_queryset

from . import services
from .models import Edition, Page, Placement

# How many pool stories one answer carries; the editor narrows by section or search for more.
POOL_LIMIT = 60

# What the board never shows of a story: its long texts stay in the database.
_LONG_TEXTS = ("body", "search_document", "summary")

_BYLINES = Prefetch(
    "article__bylines", queryset=Byline.objects.select_related("person").order_by("order", "pk")
)


def board_stamp(edition):
    """A short token that changes whenever anything the board shows of the pages changes.

    Every page change raises the page's version (``services.base._changing``) and every sign-off
    changes its state and time, so the pages' (id, version, state, updated_at) and the edition's
    status say whether a poll has to fetch the board again. One query.
    """
    rows = list(
        Page.objects.filter(edition=edition)
        .order_by("pk")
        .values_list("pk", "version", "state", "updated_at", "edition__status", "edition__updated_at")
    )
    if not rows:
        rows = list(Edition.objects.filter(pk=edition.pk).values_list("status", "updated_at"))
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def _url_maker(name):
    """A function pk → the admin URL ``name`` for it, reversed once (a board has dozens of stories)."""
    head, tail = reverse(name, args=[0]).rsplit("/0/", 1)
    return lambda pk: f"{head}/{pk}/{tail}"


def _story(placement, pages_by_id, article_url):
    article = placement.article
    target = pages_by_id.get(placement.continues_on_id)
    return {
        "id": placement.pk,
        "article": article.pk,
        "headline": article.headline or f"（无标题，编号{article.pk}）",
        "kicker": article.kicker,
        "bylines": byline_line(article.bylines.all()),
        "chars": article.char_count,
        "status": article.status,
        "status_label": article.get_status_display(),
        "lead": placement.is_lead,
        "position": placement.position,
        "jump_to": target.number if target else None,
        "jump_to_page": target.pk if target else None,
        "problem": services.article_problem(article),
        "url": article_url(article.pk),
    }


def _plan(page, stories):
    """The page's plan as ``services.plans.snapshot`` has it, built from what the board already loaded.

    The board sends it back with an action, so a refusal for a page changed meanwhile can say what
    changed (``plans.conflict_message``), as the page screen does.
    """
    texts = f"{page.banner_text}\0{page.unassigned_text}"
    return services.plans.dumps(
        {
            "number": page.number,
            "name": page.name,
            "editor": page.editor_id,
            "image": page.image.name or "",
            "texts": hashlib.sha256(texts.encode()).hexdigest()[:16],
            "stories": [[p.pk, p.article_id, p.is_lead, p.continues_on_id] for p in stories],
        }
    )


def board_state(edition, user):
    """The whole board as JSON-ready data: the edition, its pages in order with their stories, the release."""
    pages = list(
        Page.objects.filter(edition=edition)
        .select_related("editor__person", "signed_off_by__person")
        .order_by("number")
    )
    pages_by_id = {p.pk: p for p in pages}
    placements = list(
        Placement.objects.filter(edition=edition)
        .select_related("article")
        .defer(*(f"article__{name}" for name in _LONG_TEXTS))
        .prefetch_related(_BYLINES)
        .order_by("position", "pk")
    )
    article_url = _url_maker("admin:articles_article_change")
    page_url = _url_maker("admin:editions_page_change")
    stories = {p.pk: [] for p in pages}
    rows = {p.pk: [] for p in pages}
    incoming = {p.pk: [] for p in pages}
    for placement in placements:
        placement.page = pages_by_id[placement.page_id]  # loaded above: no query per story
        stories[placement.page_id].append(_story(placement, pages_by_id, article_url))
        rows[placement.page_id].append(placement)
        if placement.continues_on_id in incoming:
            source = pages_by_id[placement.page_id]
            incoming[placement.continues_on_id].append(
                {
                    "id": placement.pk,
                    "headline": placement.article.headline,
                    "from": source.number,
                    "from_page": source.pk,
                }
            )
    planning = edition.status == Edition.Status.PLANNING
    may_assemble = user.has_perm(services.ASSEMBLE_PERM)
    may_sign = user.has_perm(services.SIGNOFF_PERM)
    data_pages = []
    for page in pages:
        open_ = planning and page.state != Page.State.SIGNED_OFF
        signed_at = timezone.localtime(page.signed_off_at) if page.signed_off_at else None
        data_pages.append(
            {
                "id": page.pk,
                "number": page.number,
                "name": page.name,
                "editor": display_name(page.editor) if page.editor_id else "",
                "state": page.state,
                "state_label": page.get_state_display(),
                "version": page.version,
                "plan": _plan(page, rows[page.pk]),
                "chars": sum(s["chars"] for s in stories[page.pk]),
                "stories": stories[page.pk],
                "continued_here": sorted(incoming[page.pk], key=lambda c: c["from"]),
                "editable": open_ and may_assemble,
                "signed_by": display_name(page.signed_off_by) if page.signed_off_by_id else "",
                "signed_at": f"{signed_at:%m-%d %H:%M}" if signed_at else "",
                "can_proofread": planning and may_sign and page.state == Page.State.PLANNING,
                "can_sign_off": planning and may_sign and page.state == Page.State.PROOFREAD,
                "can_reopen": planning and may_sign and page.state != Page.State.PLANNING,
                "url": page_url(page.pk),
            }
        )
    problems, _offenders = (
        services.release_problems(edition, pages=pages, placements=placements) if planning else ([], [])
    )
    released_at = timezone.localtime(edition.released_at) if edition.released_at else None
    return {
        "edition": {
            "id": edition.pk,
            "title": str(edition),
            "status": edition.status,
            "status_label": edition.get_status_display(),
            "released_at": f"{released_at:%Y-%m-%d %H:%M}" if released_at else "",
            "chars": sum(p["chars"] for p in data_pages),
            "stories": len(placements),
            "signed": sum(1 for p in pages if p.state == Page.State.SIGNED_OFF),
        },
        "pages": data_pages,
        "release": {
            "problems": problems,
            "allowed": planning and user.has_perm(services.RELEASE_PERM),
        },
        "may": {"assemble": planning and may_assemble, "remove": user.has_perm("editions.delete_placement")},
        "stamp": board_stamp(edition),
    }


def pool_queryset(edition, user, *, section=None, text="", limit=None):
    """Stories ready to place in ``edition``: in review or published, visible to ``user``, not in it yet.

    Each carries where it was printed before this edition's date (its latest earlier edition, page), so
    the pool can say 已见报. Newest changes first; ``text`` searches like the admin's search.
    """
    here = Placement.objects.filter(edition=edition, article=OuterRef("pk"))
    earlier = (
        Placement.objects.filter(article=OuterRef("pk"), edition__date__lt=edition.date)
        .order_by("-edition__date")
        .values("edition__date", "edition__number", "page__number")
    )
    qs = (
        Article.objects.visible_to(user)
        .filter(status__in=services.PLACEABLE)
        .exclude(Exists(here))
        .annotate(
            printed_date=Subquery(earlier.values("edition__date")[:1]),
            printed_number=Subquery(earlier.values("edition__number")[:1]),
            printed_page=Subquery(earlier.values("page__number")[:1]),
        )
        .select_related("section")
        .defer(*_LONG_TEXTS)
        .prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("person").order_by("order", "pk"))
        )
        .order_by("-updated_at", "-pk")
    )
    if section:
        qs = qs.filter(section_id=section)
    # With ``limit`` a search keeps only the first limit + 1 matches (no walk over every match).
    return filter_queryset(qs, text, limit=limit)


def pool(edition, user, *, section=None, text="", limit=POOL_LIMIT):
    """The pool as JSON-ready data: up to ``limit`` stories, whether there are more, the sections to filter by."""
    found = list(pool_queryset(edition, user, section=section, text=text, limit=limit)[: limit + 1])
    stories = []
    for article in found[:limit]:
        printed = ""
        if article.printed_number:
            printed = (
                f"已见报：{article.printed_date:%Y年%m月%d日} 第{article.printed_number}期"
                f" 第{article.printed_page}版"
            )
        stories.append(
            {
                "article": article.pk,
                "headline": article.headline or f"（无标题，编号{article.pk}）",
                "kicker": article.kicker,
                "bylines": byline_line(article.bylines.all()),
                "chars": article.char_count,
                "section": article.section.name,
                "status": article.status,
                "status_label": article.get_status_display(),
                "printed": printed,
            }
        )
    return {
        "stories": stories,
        "more": len(found) > limit,
        "sections": [
            {"id": pk, "name": name}
            for pk, name in Section.objects.order_by("position", "name").values_list("pk", "name")
        ],
    }
