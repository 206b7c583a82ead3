"""Reader search over published articles, one module per concern.

* ``index``: the search document ``Article.save()`` stores (character bigrams, Latin words);
* ``query``: a reader's query cleaned and split into terms, and the index lookups they make;
* ``find``: the published matches, newest first and capped (a substring scan on SQLite);
* ``postgres``: how PostgreSQL finds them fast (GIN index, newest-first walks and windows);
* ``rank``: hits in the headline stack first; ``snippets``: excerpts with every hit marked.

The package itself gives the index's functions: ``Article.save()`` uses them while the models are
still loading, and only ``index`` never imports the models. Callers import the other modules, or
``filter_queryset`` (the admin's search: any queryset, any status, the same index and recall).
"""

from .index import document, is_cjk, normalize, run_tokens, runs, tokens

__all__ = ["document", "filter_queryset", "is_cjk", "normalize", "run_tokens", "runs", "tokens"]


def filter_queryset(queryset, text, *, limit=None):
    """Filter any article queryset to the stories containing ``text``, with the public search's recall.

    The query is cleaned as the public search cleans it (``query.parse_query``) and matched through
    the same index (PostgreSQL: the GIN index, then the substring test; SQLite: a substring scan).
    Statuses, ordering and other filters of ``queryset`` are kept, so the caller orders the result
    as it likes. Blank ``text`` returns ``queryset`` unchanged (nothing was asked); text with
    nothing searchable in it (punctuation only) returns ``queryset.none()``, as the public search
    finds nothing for it.

    With ``limit``, only the first ``limit + 1`` matches in the queryset's order (its ``order_by``,
    else the model's ordering) are kept, as ``pk IN (ids)``: a list that gets ``limit + 1`` rows
    knows there are more than ``limit`` (the admin says 超过 N 篇). They are found without visiting
    every match (``postgres.capped_ids``): a word in a fifth of a million stories costs a walk of a
    few hundred rows, not a substring test on 200,000 documents.
    """
    # find imports the models, which import this package while they load.
    from .find import capped_ids, matching
    from .query import parse_query

    if not (text or "").strip():
        return queryset
    parsed = parse_query(text)
    if limit is None or parsed.is_empty:
        return matching(parsed, queryset)
    return queryset.filter(pk__in=capped_ids(queryset, parsed, limit=limit))
