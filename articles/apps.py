from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    """What is written: articles, people, sections, columns, the workflow."""

    name = "articles"
    verbose_name = "稿件"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Revision history registration, side-effect receivers (cache purge), what each role may do.
        from newsroom import roles

        from . import receivers, versioning  # noqa: F401
        from .roles import PERMISSIONS

        roles.register(self.label, PERMISSIONS)
