"""What a page's last import made, what of it was changed since, and which new story takes which article.

Reads only: ``load`` decides from this whether the page may be replaced, ``write`` reuses the
matched articles (so their URLs stay) and deletes the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from articles.models import Article

from .structure import ParsedArticle


@dataclass
class Previous:
    """The articles a page's last import made: its own stories, the stories it continued, the edited ones."""

    stories: list[Article] = field(default_factory=list)
    # (article, the ImportRun's "made" entry with its body before the continuation was appended)
    continuations: list[tuple[Article, dict]] = field(default_factory=list)
    # Changed since that import (an edit or a workflow move): their version moved on.
    edited: list[Article] = field(default_factory=list)

    def articles(self):
        """Every article the import made or continued, as it is now."""
        return [*self.stories, *(article for article, _entry in self.continuations)]


def previous_import(last) -> Previous:
    """The articles ``last`` (an ImportRun) made, as they are now; those deleted by hand since are gone."""
    previous = Previous()
    if last is None:
        return previous
    entries = last.parsed.get("made", [])
    articles = Article.objects.in_bulk([e["article"] for e in entries])
    for entry in entries:
        article = articles.get(entry["article"])
        if article is None:
            continue  # deleted by hand since: nothing to replace
        if article.version != entry["version"]:
            previous.edited.append(article)
        if entry["kind"] == "continuation":
            previous.continuations.append((article, entry))
        else:
            previous.stories.append(article)
    return previous


def headline_of(article: ParsedArticle) -> str:
    """The headline, or for an untitled piece a stand-in an editor will recognise (published needs one)."""
    if article.headline:
        return article.headline[:200]
    first = next((b.text for b in article.body if b.text), "")
    return f"（无标题）{first[:20]}"


def _key(text: str) -> str:
    return "".join(text.split())


def match(stories, old):
    """Pair new stories with the articles a previous import made: same headline first, then in order.

    Returns ``{id(story): article}``; stories left without a partner are new articles.
    """
    pairs, free = {}, list(old)
    for story in stories:
        hit = next((a for a in free if _key(a.headline) == _key(headline_of(story))), None)
        if hit is not None:
            pairs[id(story)] = hit
            free.remove(hit)
    for story in stories:
        if id(story) not in pairs and free:
            pairs[id(story)] = free.pop(0)
    return pairs
