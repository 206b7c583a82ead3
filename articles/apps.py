from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    """What is written: articles, people, sections, columns, the workflow."""

    name = "articles"
    verbose_name = "稿件"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Revision history registration and side-effect receivers (cache purge).
        from . import receivers, versioning  # noqa: F401
