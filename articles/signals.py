"""Side effects of the workflow that nothing else may depend on (cache purge)."""

from django.dispatch import Signal

# Sent after every workflow transition with article, action, actor.
article_transitioned = Signal()
