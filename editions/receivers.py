"""Keep released editions consistent with what later happens to their stories; connected in ready()."""

from django.dispatch import receiver

from articles.models import Article, ArticleEvent
from articles.signals import article_transitioned

from . import services


@receiver(article_transitioned, sender=Article, dispatch_uid="editions_record_withdrawal")
def record_withdrawal(sender, article, action, actor=None, **kwargs):
    """A story withdrawn after its edition came out is noted in that edition's history."""
    if action == ArticleEvent.Action.WITHDRAW:
        services.record_withdrawal(article=article, actor=actor)
