"""Receivers, connected in ready(): released editions follow their stories; edition changes purge pages."""

from django.dispatch import receiver

from articles.models import Article, ArticleEvent
from articles.signals import article_transitioned
from newsroom.cache import purge_on_changes

from . import services

# Every change to an edition, page or placement (release, reordering, jumps) purges the page
# cache. EditionEvent is watched on purpose: the edition services change rows with UPDATE (no
# post_save) but write an event for every release, schedule, sign-off and withdrawal. An import
# run is the importer's own record, never shown to readers.
purge_on_changes("editions", ignore={"importrun"})


@receiver(article_transitioned, sender=Article, dispatch_uid="editions_record_withdrawal")
def record_withdrawal(sender, article, action, actor=None, **kwargs):
    """A story withdrawn after its edition came out is noted in that edition's history."""
    if action == ArticleEvent.Action.WITHDRAW:
        services.record_withdrawal(article=article, actor=actor)
