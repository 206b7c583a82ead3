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


def filter_queryset(queryset, text):
    """Filter any article queryset to the stories containing ``text``, with the public search's recall.

    The query is cleaned as the public search cleans it (``query.parse_query``) and matched through
    the same index (PostgreSQL: the GIN index, then the substring test; SQLite: a substring scan).
    Statuses, ordering and other filters of ``queryset`` are kept, so the caller orders the result
    as it likes. Blank ``text`` returns ``queryset`` unchanged (nothing was asked); text with
    nothing searchable in it (punctuation only) returns ``queryset.none()``, as the public search
    finds nothing for it.
    """
    # find imports the models, which import this package while they load.
    from .find import matching
    from .query import parse_query

    if not (text or "").strip():
        return queryset
    return matching(parse_query(text), queryset)
