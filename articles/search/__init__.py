"""Reader search over published articles, one module per concern.

* ``index``: the search document ``Article.save()`` stores (character bigrams, Latin words);
* ``query``: a reader's query cleaned and split into terms, and the index lookups they make;
* ``find``: the published matches, newest first and capped (a substring scan on SQLite);
* ``postgres``: how PostgreSQL finds them fast (GIN index, newest-first walks and windows);
* ``rank``: hits in the headline stack first; ``snippets``: excerpts with every hit marked.

The package itself gives the index's functions: ``Article.save()`` uses them while the models are
still loading, and only ``index`` never imports the models. Callers import the other modules.
"""

from .index import document, is_cjk, normalize, run_tokens, runs, tokens

__all__ = ["document", "is_cjk", "normalize", "run_tokens", "runs", "tokens"]
