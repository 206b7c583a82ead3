"""Template context shared by every page."""

from django.conf import settings


def paper(request):
    """Expose the paper's name to templates."""
    return {"paper_name": settings.NEWSROOM_PAPER_NAME}
