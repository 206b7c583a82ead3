"""Ranking: hits in the headline stack first, then in the summary, then newest first."""

from ..models import Article
from . import index

# Ranking reorders the newest matches up to this many; beyond that, results continue in date
# order: readers of a local paper want recent stories.
RANK_WINDOW = 200


def rank_ids(parsed, ids):
    """Order matches: hits in the headline stack first, then in the summary, then newest first.

    Ranked in Python over the newest RANK_WINDOW matches, from the short title and summary columns
    (one query). The stored vector keeps lexemes only, without positions or weights, so ts_rank
    could not tell a headline hit from a body hit; and its cost would grow with the matches.
    """
    window, rest = ids[:RANK_WINDOW], ids[RANK_WINDOW:]
    if not window:
        return ids
    rows = Article.objects.filter(pk__in=window).values_list(
        "pk", "kicker", "headline", "subheadline", "summary"
    )
    score = {}
    for pk, kicker, headline, subheadline, summary in rows:
        titles = index.normalize(f"{kicker} {headline} {subheadline}")
        lead = index.normalize(summary)
        score[pk] = sum(4 * titles.count(term) + lead.count(term) for term in parsed.terms)
    position = {pk: i for i, pk in enumerate(window)}
    window.sort(key=lambda pk: (-score.get(pk, 0), position[pk]))
    return window + rest
