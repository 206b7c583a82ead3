"""Receivers for side effects of the workflow: the page cache purge, autosaves settled by a move.

Purge is immediate: every transition and every save of a story, person, section, column, photo
or tag bumps the site generation, which makes every cached public page unreachable at once (see
``newsroom.cache``). Other apps register the purges for their own models.
"""

from django.dispatch import receiver

from newsroom.cache import bump_generation, purge_on_changes

from .signals import article_transitioned

# An article event changes nothing readers see; an autosave is private to its writer and arrives
# every 30 s while someone types: never a purge.
purge_on_changes("articles", ignore={"articleevent", "articleautosave"})
purge_on_changes("taggit")


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
