"""Admin pieces both apps use; they live here because ``articles`` never imports ``editions``."""


class ReadOnlyAdminMixin:
    """A log in the admin: its rows are written by the services, never added, changed or deleted by hand.

    Whoever holds the model's view permission sees the list and each row, read-only.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
