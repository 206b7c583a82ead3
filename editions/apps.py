from django.apps import AppConfig


class EditionsConfig(AppConfig):
    """What is printed: editions, pages, placements, the importer, the e-paper."""

    name = "editions"
    verbose_name = "报纸版面"
    default_auto_field = "django.db.models.BigAutoField"
