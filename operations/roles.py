"""Who may see and lift login lockouts (django-axes' models, whose permissions this app hands out).

Registered in ``OperationsConfig.ready()``; the roles and their groups are ``newsroom.roles``.
"""

from newsroom.roles import CHIEF_EDITOR

# Deleting an access attempt unlocks that username at that address at once.
AXES_PERMISSIONS = {
    CHIEF_EDITOR: [
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accessfailurelog",
        "axes.view_accesslog",
    ],
}
