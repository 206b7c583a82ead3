"""Step 3 of the importer: page structure → database, in one transaction, idempotent.

What a load does with each page (``PageInput``) of a run, all pages in ONE transaction:

* The Edition is found by date or created (number: the next in sequence). The Page is found by
  (edition, number) or created; its banner and unassigned text are stored on it.
* **Unchanged**: the page's last import has the same sha256 → nothing is written but the ImportRun
  (outcome ``unchanged``), whatever ``status`` asks for (use the workflow to move stories on).
* **New**: one Article per story (body as ``<p>``/``<h3>`` HTML), Persons reused by name, Bylines
  in printed order, Placements with the lead first (positions 1..n).
* **Replaced**: a changed version of a page imported before from the same file name. The articles
  that import made are updated *in place* (matched by headline, then by order, so their URLs stay)
  and the ones left over are deleted, after the page's placements (PROTECT) are removed and made
  again. If any of them was changed since (its ``version`` moved on since the import recorded it:
  an edit or a workflow move), the whole run is refused naming them; ``force`` replaces anyway,
  after saving a revision of their current state so the replaced text stays in the history.
* A page of the edition that is already used by a different file, or that holds placements made by
  hand, is refused (``force`` lets a different file take over an imported page).
* 下转N版: the placement's ``continues_on`` points at page N of the edition; if that page does not
  exist yet an empty placeholder page named 待定 (``Page.PLACEHOLDER_NAME``) is created, filled when
  page N is imported later (a daily's pages come in one by one). Readers never see a placeholder.
* 上接X版: if page X of the edition holds a story with the same headline, the text is appended to
  that article (it is one story) and that placement's ``continues_on`` set to this page; otherwise
  the piece is its own article and the ImportRun message says so.
* Status: articles are created as drafts; ``review``/``published`` move them on with
  ``articles.workflow.article_import_state`` (audited, signalled). ``published`` also publishes the
  edition, released at 06:00 (Asia/Shanghai) on its date or now, whichever is earlier, so that a back
  issue keeps its date and a future date never hides the stories just published; at the end of the
  run every page of it is signed off by the importing account and a placeholder left empty is
  removed (``editions.services.edition_release_imported``), so a released edition is as printed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import reversion
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import escape

from articles import workflow
from articles.models import Article, ArticleEvent, Byline, Person, Section
from editions import services
from editions.models import Edition, EditionEvent, ImportRun, Page, Placement

from .structure import BLOCK_SUBHEAD, ParsedArticle, ParsedPage

STATUSES = ("draft", "review", "published")
RELEASE_TIME = dt.time(6, 0)
RELEASE_ZONE = ZoneInfo("Asia/Shanghai")
# Outcomes whose ImportRun describes what is on the page now.
LIVE_OUTCOMES = (ImportRun.Outcome.IMPORTED, ImportRun.Outcome.REPLACED, ImportRun.Outcome.UNCHANGED)


PLACEHOLDER_PAGE_NAME = Page.PLACEHOLDER_NAME


class LoadRefused(Exception):
    """The run cannot be loaded as asked; ``message`` (Chinese) says why and names what is in the way."""

    def __init__(self, message, *, source="", conflicts=()):
        super().__init__(message)
        self.message = message
        self.source = source
        self.conflicts = list(conflicts)


@dataclass
class PageInput:
    """One page to load: where it came from, its content hash, what the parse found, where it goes."""

    source: str
    sha256: str
    parsed: ParsedPage
    date: dt.date
    page_number: int
    page_name: str = ""


@dataclass
class PageOutcome:
    """What the load did with one page."""

    source: str
    encoding: str
    page_number: int
    outcome: str
    articles: int
    articles_created: int
    unassigned_chars: int
    notes: list[str] = field(default_factory=list)
    run: ImportRun | None = None


def release_time(date, now=None):
    """When an edition imported as published becomes visible: its date at 06:00 Shanghai, or now if earlier."""
    now = now or timezone.now()
    return min(dt.datetime.combine(date, RELEASE_TIME, tzinfo=RELEASE_ZONE), now)


def body_html(article: ParsedArticle) -> str:
    """The story's body as HTML: ``<p>`` paragraphs and ``<h3>`` subheads, text escaped."""
    parts = []
    for block in article.body:
        tag = "h3" if block.type == BLOCK_SUBHEAD else "p"
        parts.append(f"<{tag}>{escape(block.text)}</{tag}>")
    return "".join(parts)


def _headline(article: ParsedArticle) -> str:
    """The headline, or for an untitled piece a stand-in an editor will recognise (published needs one)."""
    if article.headline:
        return article.headline[:200]
    first = next((b.text for b in article.body if b.text), "")
    return f"（无标题）{first[:20]}"


def _key(text: str) -> str:
    return "".join(text.split())


def load_pages(pages: list[PageInput], *, status="review", user=None, force=False) -> list[PageOutcome]:
    """Load every page of one run in one transaction (all or nothing); return what happened to each."""
    if status not in STATUSES:
        raise LoadRefused(f"未知的状态“{status}”，可选：draft、review、published。")
    _check_run(pages)
    try:
        with transaction.atomic():
            loader = _Loader(status=status, user=user, force=force)
            outcomes = [loader.load(page) for page in sorted(pages, key=lambda p: (p.date, p.page_number))]
            loader.release_all(outcomes)
            return outcomes
    except LoadRefused as refusal:
        if refusal.conflicts:
            # The run wrote nothing; the refusal itself is kept so that editors can see it in the admin.
            _record_refusal(pages, refusal, user)
        raise


def _check_run(pages):
    seen = {}
    for page in pages:
        if not 1 <= page.page_number <= 999:
            raise LoadRefused(
                f"{page.source}：版次 {page.page_number} 无效，应为 1～999。", source=page.source
            )
        key = (page.date, page.page_number)
        if key in seen:
            raise LoadRefused(
                f"{page.source}：{page.date} 第{page.page_number}版已由本次导入的 {seen[key]} 占用。",
                source=page.source,
            )
        seen[key] = page.source


def _record_refusal(pages, refusal, user):
    for page in pages:
        if page.source == refusal.source:
            ImportRun.objects.create(
                source=page.source[:255],
                sha256=page.sha256,
                encoding=page.parsed.encoding,
                page_number=page.page_number,
                user=user,
                outcome=ImportRun.Outcome.REFUSED,
                message=refusal.message,
                parsed=page.parsed.to_dict(),
            )


class _Loader:
    """The state of one run: caches of persons and sections, the user, the target status."""

    def __init__(self, *, status, user, force):
        self.status = status
        self.user = user if getattr(user, "pk", None) else None
        self.force = force
        self.persons: dict[str, Person] = {}
        self.sections: dict[str, Section] = {}
        self.now = timezone.now()
        self.to_release: dict[int, Edition] = {}

    # --- edition and page -------------------------------------------------------------------

    def edition(self, date):
        edition = Edition.objects.filter(date=date).first()
        if edition is None:
            number = (Edition.objects.aggregate(m=Max("number"))["m"] or 0) + 1
            edition = Edition.objects.create(date=date, number=number)
            EditionEvent.objects.create(
                edition=edition, actor=self.user, action=EditionEvent.Action.CREATE, note="导入时创建"
            )
        return edition

    def page(self, edition, number, name):
        # A page named by no file (a jump target not imported yet) is called 待定 until its own
        # import names it; "第N版" would print as "第2版 第2版" beside the number.
        page, _ = Page.objects.get_or_create(
            edition=edition, number=number, defaults={"name": (name or PLACEHOLDER_PAGE_NAME)[:30]}
        )
        return page

    def section(self, name):
        # Sections are matched by name (要闻, 综合 …); a new one gets an ASCII slug from its id.
        if name not in self.sections:
            section = Section.objects.filter(name=name).first()
            if section is None:
                section = Section.objects.create(name=name, slug=f"import-{self.now:%Y%m%d%H%M%S%f}")
                section.slug = f"section-{section.pk}"
                section.save(update_fields=["slug"])
            self.sections[name] = section
        return self.sections[name]

    def prefetch_persons(self, names):
        """Look up a page's bylined names in one query (the earliest Person of each name wins)."""
        missing = {n for n in names if n not in self.persons}
        for person in Person.objects.filter(name__in=missing).order_by("-pk"):
            self.persons[person.name] = person

    def person(self, name):
        if name not in self.persons:
            person = Person.objects.filter(name=name).order_by("pk").first()
            self.persons[name] = person or Person.objects.create(name=name)
        return self.persons[name]

    # --- one page ---------------------------------------------------------------------------

    def load(self, item: PageInput) -> PageOutcome:
        parsed = item.parsed
        edition = self.edition(item.date)
        page = self.page(edition, item.page_number, item.page_name)
        last = page.imports.filter(outcome__in=LIVE_OUTCOMES).order_by("-created_at", "-pk").first()
        outcome = PageOutcome(
            source=item.source,
            encoding=parsed.encoding,
            page_number=item.page_number,
            outcome=ImportRun.Outcome.IMPORTED,
            articles=len(parsed.articles),
            articles_created=0,
            unassigned_chars=parsed.unassigned_chars,
        )
        made = []
        if last is not None and last.sha256 == item.sha256:
            outcome.outcome = ImportRun.Outcome.UNCHANGED
            made = last.parsed.get("made", [])
        else:
            # Checked (and edited articles' current state saved) before the import's own revision opens.
            old = self.previous_articles(item, page, last)
            with reversion.create_revision():
                reversion.set_comment(f"导入 {item.source}（{item.date} 第{item.page_number}版）")
                if self.user:
                    reversion.set_user(self.user)
                made = self.write_page(item, edition, page, last, old, outcome)
        outcome.run = ImportRun.objects.create(
            source=item.source[:255],
            sha256=item.sha256,
            encoding=parsed.encoding,
            edition=edition,
            page=page,
            page_number=item.page_number,
            user=self.user,
            outcome=outcome.outcome,
            articles_created=outcome.articles_created,
            unassigned_text="\n".join(parsed.unassigned),
            unassigned_chars=parsed.unassigned_chars,
            message="\n".join(outcome.notes),
            parsed={**parsed.to_dict(), "made": made},
            created_at=self.now,
        )
        if self.status == "published" and outcome.outcome != ImportRun.Outcome.UNCHANGED:
            self.to_release.setdefault(edition.pk, edition)
        return outcome

    def write_page(self, item, edition, page, last, old, outcome):
        if last is not None:
            outcome.outcome = ImportRun.Outcome.REPLACED
        Placement.objects.filter(page=page).delete()
        self.undo_continuations(old["continuations"], page)

        parsed = item.parsed
        # A page imported on its own is no placeholder any more, named or not.
        current = "" if page.is_placeholder else page.name
        page.name = (item.page_name or current or f"第{item.page_number}版")[:30]
        page.banner_text = "\n".join(parsed.banner)
        page.unassigned_text = "\n".join(parsed.unassigned)
        page.save(update_fields=["name", "banner_text", "unassigned_text", "updated_at"])
        section = self.section(page.name)

        self.prefetch_persons(entry.name for story in parsed.articles for entry in story.bylines)
        stories, made = [], []
        for story in parsed.articles:
            if story.continued_from_page and self.join_continuation(story, edition, page, made, outcome):
                continue
            stories.append(story)
        reusable = self.match(stories, old["stories"])
        for leftover in (a for a in old["stories"] if a.pk not in {r.pk for r in reusable.values()}):
            Placement.objects.filter(article=leftover).delete()
            leftover.delete()
        # The lead stands first; the rest keep their reading order.
        ordered = sorted(stories, key=lambda s: not s.is_lead)
        placements = []
        for position, story in enumerate(ordered, start=1):
            article = reusable.get(id(story))
            article = self.write_article(story, article, section, item, outcome)
            jump = None
            if story.continued_to_page and story.continued_to_page != page.number:
                if 1 <= story.continued_to_page <= 999:
                    jump = self.page(edition, story.continued_to_page, "")
                else:
                    outcome.notes.append(
                        f"《{article.headline}》下转{story.continued_to_page}版：版次无效，未设置接续。"
                    )
            placements.append(
                Placement(
                    edition=edition,
                    page=page,
                    article=article,
                    position=position,
                    is_lead=story.is_lead,
                    continues_on=jump,
                )
            )
            made.append({"kind": "story", "article": article.pk, "version": article.version})
        Placement.objects.bulk_create(placements)
        if parsed.unassigned_chars:
            outcome.notes.append(f"有 {parsed.unassigned_chars} 字未能归入稿件，见本版“未归属文字”。")
        return made

    def previous_articles(self, item, page, last):
        """The articles the page's last import made, after checking that nothing stands in the way."""
        stories, continuations = [], []
        if page.state == Page.State.SIGNED_OFF:
            raise LoadRefused(
                f"{item.source}：{item.date} 第{item.page_number}版已签发，须先重新打开才能导入。",
                source=item.source,
            )
        if last is None:
            if page.placements.exists():
                raise LoadRefused(
                    f"{item.source}：{item.date} 第{item.page_number}版已有手工编排的稿件，不能导入。",
                    source=item.source,
                )
            return {"stories": stories, "continuations": continuations}
        if last.source != item.source and not self.force:
            raise LoadRefused(
                f"{item.source}：{item.date} 第{item.page_number}版已由文件 {last.source} 导入；"
                "如确为该版的新版本，请加 --force。",
                source=item.source,
            )
        entries = last.parsed.get("made", [])
        articles = Article.objects.in_bulk([e["article"] for e in entries])
        edited = []
        for entry in entries:
            article = articles.get(entry["article"])
            if article is None:
                continue  # deleted by hand since: nothing to replace
            if article.version != entry["version"]:
                edited.append(article)
            (continuations if entry["kind"] == "continuation" else stories).append((article, entry))
        if edited and not self.force:
            names = "、".join(f"《{a.headline}》（#{a.pk}）" for a in edited)
            raise LoadRefused(
                f"{item.source}：第{item.page_number}版上次导入的稿件已被修改：{names}。"
                "为免覆盖他人的修改，本次导入未写入任何内容；确需替换请加 --force（旧内容保留在修订历史中）。",
                source=item.source,
                conflicts=edited,
            )
        if edited:
            # Keep what the editors wrote: one revision of the current state before it is replaced.
            for article in edited:
                workflow.store_revision(article, self.user, "导入替换前的版本")
        return {"stories": [a for a, _ in stories], "continuations": continuations}

    def undo_continuations(self, continuations, page):
        """Take back the text a previous import of this page appended to a story begun elsewhere."""
        for article, entry in continuations:
            article.body = entry.get("body_before", article.body)
            article.version += 1
            article.updated_by = self.user
            article.save(update_fields=["body", "version", "updated_by", "updated_at"])
            Placement.objects.filter(article=article, continues_on=page).update(continues_on=None)

    def join_continuation(self, story, edition, page, made, outcome):
        """上接X版: append to the story begun on page X if found there by headline; True when joined."""
        source = story.continued_from_page
        placement = (
            Placement.objects.select_related("article")
            .filter(page__edition=edition, page__number=source)
            .exclude(page=page)
            .filter(article__headline=_headline(story))
            .first()
            if story.headline
            else None
        )
        if placement is None:
            outcome.notes.append(
                f"《{_headline(story)}》上接{source}版：第{source}版没有同题稿件，作为独立稿件导入。"
            )
            return False
        article = placement.article
        before = article.body
        article.body = before + body_html(story)
        article.version += 1
        article.updated_by = self.user
        article.save(update_fields=["body", "version", "updated_by", "updated_at"])
        placement.continues_on = page
        placement.save(update_fields=["continues_on"])
        reversion.add_to_revision(article)
        made.append(
            {"kind": "continuation", "article": article.pk, "version": article.version, "body_before": before}
        )
        outcome.notes.append(f"《{article.headline}》上接{source}版：续文已并入第{source}版的同题稿件。")
        return True

    def match(self, stories, old):
        """Pair new stories with the articles a previous import made: same headline first, then in order."""
        pairs, free = {}, list(old)
        for story in stories:
            hit = next((a for a in free if _key(a.headline) == _key(_headline(story))), None)
            if hit is not None:
                pairs[id(story)] = hit
                free.remove(hit)
        for story in stories:
            if id(story) not in pairs and free:
                pairs[id(story)] = free.pop(0)
        return pairs

    def write_article(self, story, article, section, item, outcome):
        fields = {
            "kicker": story.kicker[:200],
            "headline": _headline(story),
            "subheadline": story.subheadline[:200],
            "body": body_html(story),
            "section": section,
        }
        if article is None:
            article = Article(**fields, created_by=self.user, updated_by=self.user, created_at=self.now)
            article.save()
            ArticleEvent.objects.create(
                article=article,
                actor=self.user,
                action=ArticleEvent.Action.IMPORT,
                from_status="",
                to_status=Article.Status.DRAFT,
                note=f"导入自 {item.source}",
                created_at=self.now,
            )
            outcome.articles_created += 1
        else:
            for name, value in fields.items():
                setattr(article, name, value)
            article.version += 1
            article.updated_by = self.user
            article.save(update_fields=[*fields, "version", "updated_by", "updated_at"])
            article.bylines.all().delete()
        Byline.objects.bulk_create(
            Byline(
                article=article,
                person=self.person(entry.name),
                role=Byline.Role.from_label(entry.role),
                order=order,
            )
            for order, entry in enumerate(_unique_bylines(story), start=1)
        )
        if self.status != "draft" and article.status == Article.Status.DRAFT:
            published_at = release_time(item.date, self.now) if self.status == "published" else None
            workflow.article_import_state(
                article=article,
                user=self.user,
                status=self.status,
                published_at=published_at,
                note=f"导入自 {item.source}",
            )
        else:
            reversion.add_to_revision(article)
        return article

    def release_all(self, outcomes):
        """Release (``published``) each edition this run wrote to, once all its pages are in."""
        for edition in self.to_release.values():
            notes = services.edition_release_imported(
                edition=edition, user=self.user, released_at=release_time(edition.date, self.now)
            )
            last = next((o for o in reversed(outcomes) if o.run and o.run.edition_id == edition.pk), None)
            if notes and last is not None:
                last.notes.extend(notes)
                last.run.message = "\n".join(last.notes)
                last.run.save(update_fields=["message"])


def _unique_bylines(story):
    # One credit per (person, role): the model's constraint, and a name printed twice is one credit.
    seen, entries = set(), []
    for entry in story.bylines:
        if entry.name and (entry.name, entry.role) not in seen:
            seen.add((entry.name, entry.role))
            entries.append(entry)
    return entries
