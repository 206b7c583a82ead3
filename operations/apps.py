from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """What a server needs beyond the newsroom: backups and restores, login throttling's admin rights."""

    name = "operations"
    verbose_name = "运维"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The 值班主任 sees login lockouts (django-axes) and lifts them; axes has no roles of its own.
        from newsroom import roles

        from .roles import AXES_PERMISSIONS

        roles.register("axes", AXES_PERMISSIONS)
