"""Writing one imported page: its articles, bylines and placements, and the jumps to and from other pages.

Called by ``load`` once it has decided that the page is to be written (new, or replacing its last
import). Each change goes through the one path its kind has: a new article through
``articles.workflow.article_import_create`` (one insert per page, in the run's status, with its
IMPORT events), a reused draft's status through ``articles.workflow.article_import_states``, an
article's version through ``articles.workflow.claim_version`` (the system's save,
``check_permission=False``); rows made in numbers (persons, bylines, placements) are inserted in
bulk, so a page costs about the same round trips whatever its number of stories.
"""

from __future__ import annotations

import reversion
from django.db.models import prefetch_related_objects
from django.utils.html import escape

from articles import workflow
from articles.models import Article, Byline, Person, Section
from editions import services
from editions.models import ImportRun, Page, Placement

from .diff import headline_of, match
from .structure import BLOCK_SUBHEAD, ParsedArticle


def body_html(article: ParsedArticle) -> str:
    """The story's body as HTML: ``<p>`` paragraphs and ``<h3>`` subheads, text escaped."""
    parts = []
    for block in article.body:
        tag = "h3" if block.type == BLOCK_SUBHEAD else "p"
        parts.append(f"<{tag}>{escape(block.text)}</{tag}>")
    return "".join(parts)


def page_for(edition, number, name):
    """The edition's page ``number``, made if missing (named ``name``, or 待定 for a jump target).

    ``page.made_now`` says whether this call made it (a page just made has no imports to look up).
    """
    # A page named by no file (a jump target not imported yet) is called 待定 until its own
    # import names it; "第N版" would print as "第2版 第2版" beside the number.
    # Not get_or_create: the import's one transaction is the atomic block (no savepoint per page),
    # and a page made meanwhile by someone else fails the run on the unique (edition, number).
    page = Page.objects.filter(edition=edition, number=number).first()
    made = page is None
    if made:
        page = _make_page(edition, number, name)
    page.made_now = made
    return page


def _make_page(edition, number, name):
    return Page.objects.create(edition=edition, number=number, name=(name or Page.PLACEHOLDER_NAME)[:30])


def _known_related(instance, name, objects):
    """Give ``instance.<name>.all()`` the related objects already in hand, as ``prefetch_related`` does."""
    queryset = getattr(instance, name).get_queryset()  # built, not run
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def unique_bylines(story):
    """One credit per (person, role): the model's constraint, and a name printed twice is one credit."""
    seen, entries = set(), []
    for entry in story.bylines:
        if entry.name and (entry.name, entry.role) not in seen:
            seen.add((entry.name, entry.role))
            entries.append(entry)
    return entries


class PageWriter:
    """Writes the pages of one run: caches of persons and sections, the user, the target status."""

    def __init__(self, *, status, user, now):
        self.status = status
        self.user = user
        self.now = now
        self.persons: dict[str, Person] = {}
        self.sections: dict[str, Section] = {}
        # Editions this run made: nobody else sees them before the run commits, so their pages are
        # exactly the ones made here (kept by (edition, number)) and need no lookup.
        self.new_editions: set[int] = set()
        self.new_pages: dict[tuple[int, int], Page] = {}

    # --- lookups ------------------------------------------------------------------------------

    def page(self, edition, number, name):
        """``page_for``, without a query for a page of an edition this run made."""
        if edition.pk not in self.new_editions:
            return page_for(edition, number, name)
        page = self.new_pages.get((edition.pk, number))
        if page is None:
            page = self.new_pages[(edition.pk, number)] = _make_page(edition, number, name)
            page.made_now = True
        else:
            page.made_now = False
        return page

    def section(self, name):
        """The section named like the page (要闻, 综合 …); a new one gets an ASCII slug from its id."""
        if name not in self.sections:
            section = Section.objects.filter(name=name).first()
            if section is None:
                section = Section.objects.create(name=name, slug=f"import-{self.now:%Y%m%d%H%M%S%f}")
                section.slug = f"section-{section.pk}"
                section.save(update_fields=["slug"])
            self.sections[name] = section
        return self.sections[name]

    def prefetch_persons(self, names):
        """Look up a page's bylined names in one query (the earliest Person of each name wins), make the rest in one."""
        missing = {n for n in names if n and n not in self.persons}
        for person in Person.objects.filter(name__in=missing).order_by("-pk"):
            self.persons[person.name] = person
        new = [Person(name=name) for name in sorted(missing) if name not in self.persons]
        for person in Person.objects.bulk_create(new):
            self.persons[person.name] = person

    def person(self, name):
        """The Person of this name, made when nobody has it yet."""
        if name not in self.persons:
            person = Person.objects.filter(name=name).order_by("pk").first()
            self.persons[name] = person or Person.objects.create(name=name)
        return self.persons[name]

    def save_article(self, article, fields):
        """Save the import's change to an existing article: its version goes up the one way (claim_version)."""
        workflow.claim_version(
            article=article, user=self.user, expected_version=article.version, check_permission=False
        )
        article.save(update_fields=[*fields, "updated_at"])

    # --- one page -----------------------------------------------------------------------------

    def write_page(self, item, edition, page, last, old, outcome):
        """Write the page's stories in place of ``old`` (what its last import made); return what was made."""
        if last is not None:
            outcome.outcome = ImportRun.Outcome.REPLACED
            # A page never imported holds no placements (load refused it otherwise).
            Placement.objects.filter(page=page).delete()
            self.undo_continuations(old.continuations, page)

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
        reusable = match(stories, old.stories)
        for leftover in (a for a in old.stories if a.pk not in {r.pk for r in reusable.values()}):
            self.delete_leftover(leftover, item, outcome)
        # The lead stands first; the rest keep their reading order.
        ordered = sorted(stories, key=lambda s: not s.is_lead)
        articles = self.write_articles(ordered, reusable, section, item, outcome)
        placements = []
        for position, (story, article) in enumerate(zip(ordered, articles, strict=True), start=1):
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

    def delete_leftover(self, article, item, outcome):
        """Delete an unpublished article the last import made that the new page no longer prints.

        Its events go with it, so the ImportRun (who, when) lists it by headline: nothing is deleted unsaid.
        """
        outcome.deleted.append(
            {"article": article.pk, "headline": article.headline, "status": article.status}
        )
        outcome.notes.append(
            f"删除上次导入的稿件《{article.headline}》（#{article.pk}，{article.get_status_display()}）："
            f"{item.source} 的新版本中已没有这篇。"
        )
        Placement.objects.filter(article=article).delete()
        article.delete()

    def undo_continuations(self, continuations, page):
        """Take back the text a previous import of this page appended to a story begun elsewhere."""
        for article, entry in continuations:
            article.body = entry.get("body_before", article.body)
            self.save_article(article, ["body"])
            Placement.objects.filter(article=article, continues_on=page).update(continues_on=None)

    def join_continuation(self, story, edition, page, made, outcome):
        """上接X版: append to the story begun on page X if found there by headline; True when joined."""
        source = story.continued_from_page
        placement = (
            Placement.objects.select_related("article")
            .filter(page__edition=edition, page__number=source)
            .exclude(page=page)
            .filter(article__headline=headline_of(story))
            .first()
            if story.headline
            else None
        )
        if placement is None:
            outcome.notes.append(
                f"《{headline_of(story)}》上接{source}版：第{source}版没有同题稿件，作为独立稿件导入。"
            )
            return False
        if placement.article.status == Article.Status.PUBLISHED:
            # Readers have that story: its text changes only through the workflow, never by an import.
            outcome.notes.append(
                f"《{headline_of(story)}》上接{source}版：第{source}版的同题稿件已发布，导入不改动它，"
                "续文作为独立稿件导入；如需合并，请在稿件工作流中修改并重新送审。"
            )
            return False
        article = placement.article
        before = article.body
        article.body = before + body_html(story)
        self.save_article(article, ["body"])
        placement.continues_on = page
        placement.save(update_fields=["continues_on"])
        reversion.add_to_revision(article)
        made.append(
            {"kind": "continuation", "article": article.pk, "version": article.version, "body_before": before}
        )
        outcome.notes.append(f"《{article.headline}》上接{source}版：续文已并入第{source}版的同题稿件。")
        return True

    def write_articles(self, stories, reusable, section, item, outcome):
        """Make the stories' articles (or update those the last import made), their bylines and status.

        New articles go in already in the run's status with their IMPORT events
        (``workflow.article_import_create``), every byline in one insert, the reused drafts move
        together (``workflow.article_import_states``). Returns the articles in the order of ``stories``.
        """
        articles, new = [], []
        for story in stories:
            fields = {
                "kicker": story.kicker[:200],
                "headline": headline_of(story),
                "subheadline": story.subheadline[:200],
                "body": body_html(story),
                "section": section,
            }
            article = reusable.get(id(story))
            if article is None:
                new.append(article := Article(**fields))
            else:
                for name, value in fields.items():
                    setattr(article, name, value)
                self.save_article(article, fields)
                article.bylines.all().delete()
            articles.append(article)
        note = f"导入自 {item.source}"
        published_at = (
            services.imported_release_time(item.date, self.now) if self.status == "published" else None
        )
        workflow.article_import_create(
            articles=new, user=self.user, status=self.status, published_at=published_at, note=note
        )
        outcome.articles_created += len(new)
        bylines = Byline.objects.bulk_create(
            Byline(
                article=article,
                person=self.person(entry.name),
                role=Byline.Role.from_label(entry.role),
                order=order,
            )
            for story, article in zip(stories, articles, strict=True)
            for order, entry in enumerate(unique_bylines(story), start=1)
        )
        # What the revision follows. A new article's bylines are the ones just written and it has no
        # tags yet: known without a query. The others' are read in two queries for the page rather than
        # three per article; each byline's person (its name is the version's label) is the one just written.
        new_ids = {id(a) for a in new}
        prefetch_related_objects([a for a in articles if id(a) not in new_ids], "bylines", "tagged_items")
        persons = {person.pk: person for person in self.persons.values()}
        for article in articles:
            if id(article) not in new_ids:
                for byline in article.bylines.all():
                    byline.person = persons[byline.person_id]
        written: dict[int, list[Byline]] = {id(a): [] for a in new}
        for byline in bylines:
            if id(byline.article) in written:
                written[id(byline.article)].append(byline)
        for article in new:
            _known_related(article, "bylines", sorted(written[id(article)], key=lambda b: (b.order, b.pk)))
            _known_related(article, "tagged_items", [])
        drafts = [
            a
            for a in articles
            if id(a) not in new_ids and self.status != "draft" and a.status == Article.Status.DRAFT
        ]
        if drafts:
            workflow.article_import_states(
                articles=drafts, user=self.user, status=self.status, published_at=published_at, note=note
            )
        moved = {id(a) for a in drafts}
        for article in articles:
            if id(article) not in moved:
                reversion.add_to_revision(article)
        return articles


__all__ = ["PageWriter", "body_html", "page_for", "unique_bylines"]
