from django.apps import AppConfig


class EditionsConfig(AppConfig):
    """What is printed: editions, pages, placements, the importer, the e-paper."""

    name = "editions"
    verbose_name = "报纸版面"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Edition history follows withdrawals of stories that stand in released editions; edition
        # changes purge the page cache; what each role may do with editions.
        from articles import workflow
        from newsroom import roles

        from . import receivers  # noqa: F401
        from .models import Placement
        from .roles import PERMISSIONS

        roles.register(self.label, PERMISSIONS)

        # A story an editor has put on a page has been acted on: its author can no longer pull it back.
        workflow.acted_on_checks.append(lambda article: Placement.objects.filter(article=article).exists())
