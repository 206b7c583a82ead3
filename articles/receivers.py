"""Receivers for side effects of the workflow: the page cache purge, autosaves settled by a move.

Purge is immediate: every transition, every save of an article and every change to an
edition, page or placement (edition release, reordering, jumps) bumps the site generation,
which makes every cached public page unreachable at once (see ``articles.cache``).
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .cache import bump_generation
from .signals import article_transitioned

# Models whose changes alter what readers see. Editions are matched by app label because
# ``articles`` never imports ``editions``.
_WATCHED_APPS = {"articles", "editions", "taggit"}
# EditionEvent is watched on purpose: the edition services change rows with UPDATE (no post_save)
# but write an event for every release, schedule, sign-off and withdrawal.
# An autosave is private to its writer and arrives every 30 s while someone types: never a purge.
_IGNORED_MODELS = {"articleevent", "importrun", "articleautosave"}


@receiver(article_transitioned, dispatch_uid="articles.autosave_discard_on_move")
def discard_autosave_on_move(sender, article=None, actor=None, **kwargs):
    """A workflow move settles the story: the mover's autosave of it is no longer to be offered."""
    from .models import ArticleAutosave

    if article is not None and article.pk and getattr(actor, "pk", None):
        ArticleAutosave.objects.filter(article=article, user=actor).delete()


@receiver(article_transitioned, dispatch_uid="articles.purge_on_transition")
def purge_on_transition(sender, article=None, action=None, actor=None, **kwargs):
    """A story moved in the workflow (published, withdrawn …): purge every cached page."""
    bump_generation()


def _purge_after_commit(sender, **kwargs):
    """A published-side model changed: purge once the transaction commits (and now, for safety)."""
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label not in _WATCHED_APPS or meta.model_name in _IGNORED_MODELS:
        return
    if kwargs.get("raw"):
        return
    bump_generation()
    # Also after commit: a reader may have cached the old page between the save and the commit.
    transaction.on_commit(bump_generation)


post_save.connect(_purge_after_commit, dispatch_uid="articles.purge_on_save")
post_delete.connect(_purge_after_commit, dispatch_uid="articles.purge_on_delete")
