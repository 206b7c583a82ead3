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
  and the ones left over are deleted, each named in the ImportRun (its message and
  ``parsed["deleted"]``: who and when are the run's), after the page's placements (PROTECT) are
  removed and made again. If any of them was changed since (its ``version`` moved on since the
  import recorded it: an edit or a workflow move), the whole run is refused naming them; ``force``
  replaces anyway, after saving a revision of their current state so the replaced text stays in
  the history.
* **What readers have is never touched**: a page of a released edition (``Edition.Status.PUBLISHED``)
  is never replaced or extended and no page is added to it (only an unchanged copy passes); a page
  whose last import made a story that is published now is not replaced, ``force`` or not; a
  continuation is not appended to a published story. The refusal says to correct through the
  workflow (withdraw with a reason, or edit and republish as a reviewed revision).
* A page of the edition that is already used by a different file, or that holds placements made by
  hand, is refused (``force`` lets a different file take over an imported page).
* 下转N版: the placement's ``continues_on`` points at page N of the edition; if that page does not
  exist yet an empty placeholder page named 待定 (``Page.PLACEHOLDER_NAME``) is created, filled when
  page N is imported later (a daily's pages come in one by one). Readers never see a placeholder.
* 上接X版: if page X of the edition holds a story with the same headline, the text is appended to
  that article (it is one story) and that placement's ``continues_on`` set to this page; otherwise
  the piece is its own article and the ImportRun message says so.
* Status: new articles go in, one insert per page, already in the run's status with the IMPORT
  events of being made and moved (``articles.workflow.article_import_create``); reused drafts move
  with ``articles.workflow.article_import_states`` (audited, signalled). ``published`` also publishes the
  edition, released at 06:00 on its date or now, whichever is earlier
  (``editions.services.imported_release_time``), so that a back issue keeps its date and a future
  date never hides the stories just published; at the end of the run every page of it is signed off
  by the importing account and a placeholder left empty is removed
  (``editions.services.edition_release_imported``), so a released edition is as printed.

The load is a client of the services like the admin: the edition is made by
``services.edition_create`` and released by ``services.edition_release_imported``, an article's
status moves through ``workflow.article_import_create`` / ``article_import_states`` and its
version through ``workflow.claim_version`` — all as the system (``check_permission=False``): whoever may run
``import_pages`` holds the keys. ``diff`` says what the page's last import made and what was
changed since; ``write`` writes the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import reversion
from django.db import transaction
from django.utils import timezone

from articles import workflow
from articles.models import Article
from editions import services
from editions.models import Edition, ImportRun, Page

from .diff import Previous, previous_import
from .structure import ParsedPage
from .write import PageWriter, body_html

# The states an import may leave its stories in (never withdrawn), from the one Status definition.
STATUSES = (Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.PUBLISHED)
# Outcomes whose ImportRun describes what is on the page now.
LIVE_OUTCOMES = (ImportRun.Outcome.IMPORTED, ImportRun.Outcome.REPLACED, ImportRun.Outcome.UNCHANGED)


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
    # Articles this load deleted (the last import's leftovers): {"article", "headline", "status"}.
    deleted: list[dict] = field(default_factory=list)


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


def _last_import(page):
    """The page's last import whose record describes what is on the page now, or None."""
    return page.imports.filter(outcome__in=LIVE_OUTCOMES).order_by("-created_at", "-pk").first()


class _Loader:
    """One run: finds each page's edition and page, decides what to do with it, records it, releases."""

    def __init__(self, *, status, user, force):
        self.status = status
        self.user = user if getattr(user, "pk", None) else None
        self.force = force
        self.now = timezone.now()
        self.writer = PageWriter(status=status, user=self.user, now=self.now)
        self.to_release: dict[int, Edition] = {}
        self.editions: dict[dt.date, Edition] = {}  # by date: a run's pages mostly share one

    def edition(self, item):
        """The edition of the page's date, made through the services when it does not exist yet."""
        if item.date in self.editions:
            return self.editions[item.date]
        edition = Edition.objects.filter(date=item.date).first()
        if edition is None:
            try:
                edition = services.edition_create(
                    user=self.user, date=item.date, note="导入时创建", check_permission=False
                )
            except services.EditionError as error:
                raise LoadRefused(f"{item.source}：{error.message}", source=item.source) from error
            self.writer.new_editions.add(edition.pk)
        self.editions[item.date] = edition
        return edition

    def load(self, item: PageInput) -> PageOutcome:
        """Load one page: unchanged (only the ImportRun is written), or written anew or in place."""
        parsed = item.parsed
        edition = self.edition(item)
        if edition.status == Edition.Status.PUBLISHED:
            page, last = self.released_page(item, edition)
        else:
            page = self.writer.page(edition, item.page_number, item.page_name)
            last = None if page.made_now else _last_import(page)
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
            # The run's transaction is the atomic block: no savepoint per page.
            with reversion.create_revision(atomic=False):
                reversion.set_comment(f"导入 {item.source}（{item.date} 第{item.page_number}版）")
                if self.user:
                    reversion.set_user(self.user)
                try:
                    made = self.writer.write_page(item, edition, page, last, old, outcome)
                except workflow.EditConflict as conflict:
                    # Someone saved one of the page's articles while this run was writing it.
                    raise LoadRefused(
                        f"{item.source}：第{item.page_number}版的稿件刚被他人修改，本次导入未写入任何内容，请重新导入。",
                        source=item.source,
                    ) from conflict
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
            parsed={**parsed.to_dict(), "made": made, "deleted": outcome.deleted},
            created_at=self.now,
        )
        if self.status == "published" and outcome.outcome != ImportRun.Outcome.UNCHANGED:
            self.to_release.setdefault(edition.pk, edition)
        return outcome

    def released_page(self, item, edition):
        """A page of a released edition: only an unchanged copy of its last import passes (writes nothing)."""
        page = edition.pages.filter(number=item.page_number).first()
        if page is None or page.is_placeholder:
            raise LoadRefused(
                f"{item.source}：{item.date} 的报纸已出版，不能再向其中增加第{item.page_number}版。"
                "已出版的报纸保持印刷时的样子：同一期的各版请在一次导入中一并导入（--status published 导入后即出版）；"
                "如需补登稿件，请在稿件工作流中新建并发布。",
                source=item.source,
            )
        last = _last_import(page)
        if last is None or last.sha256 != item.sha256:
            raise LoadRefused(
                f"{item.source}：{item.date} 第{item.page_number}版所在的报纸已出版，导入不能替换已出版的版面，"
                "本次导入未写入任何内容。更正已发布的稿件请走稿件工作流：撤回并注明理由，"
                "或修改后作为新的修订送审、重新发布。",
                source=item.source,
            )
        return page, last

    def previous_articles(self, item, page, last) -> Previous:
        """The articles the page's last import made, after checking that nothing stands in the way."""
        if page.state == Page.State.SIGNED_OFF:
            raise LoadRefused(
                f"{item.source}：{item.date} 第{item.page_number}版已签发，须先重新打开才能导入。",
                source=item.source,
            )
        if last is None:
            if not page.made_now and page.placements.exists():
                raise LoadRefused(
                    f"{item.source}：{item.date} 第{item.page_number}版已有手工编排的稿件，不能导入。",
                    source=item.source,
                )
            return Previous()
        if last.source != item.source and not self.force:
            raise LoadRefused(
                f"{item.source}：{item.date} 第{item.page_number}版已由文件 {last.source} 导入；"
                "如确为该版的新版本，请加 --force。",
                source=item.source,
            )
        previous = previous_import(last)
        live = [a for a in previous.articles() if a.status == Article.Status.PUBLISHED]
        if live:
            names = "、".join(f"《{a.headline}》（#{a.pk}）" for a in live)
            raise LoadRefused(
                f"{item.source}：第{item.page_number}版上次导入的稿件已发布：{names}。"
                "导入不能改动读者已看到的稿件（--force 也不能），本次导入未写入任何内容。"
                "更正请走稿件工作流：撤回并注明理由，或修改后作为新的修订送审、重新发布。",
                source=item.source,
                conflicts=live,
            )
        if previous.edited and not self.force:
            names = "、".join(f"《{a.headline}》（#{a.pk}）" for a in previous.edited)
            raise LoadRefused(
                f"{item.source}：第{item.page_number}版上次导入的稿件已被修改：{names}。"
                "为免覆盖他人的修改，本次导入未写入任何内容；确需替换请加 --force（旧内容保留在修订历史中）。",
                source=item.source,
                conflicts=previous.edited,
            )
        # Keep what the editors wrote: one revision of the current state before it is replaced.
        for article in previous.edited:
            workflow.store_revision(article, self.user, "导入替换前的版本")
        return previous

    def release_all(self, outcomes):
        """Release (``published``) each edition this run wrote to, once all its pages are in."""
        for edition in self.to_release.values():
            notes = services.edition_release_imported(
                edition=edition,
                user=self.user,
                released_at=services.imported_release_time(edition.date, self.now),
                check_permission=False,
            )
            last = next((o for o in reversed(outcomes) if o.run and o.run.edition_id == edition.pk), None)
            if notes and last is not None:
                last.notes.extend(notes)
                last.run.message = "\n".join(last.notes)
                last.run.save(update_fields=["message"])


__all__ = ["LoadRefused", "PageInput", "PageOutcome", "body_html", "load_pages"]
