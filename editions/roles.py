"""What each newsroom role may do with editions, pages and placements.

Registered in ``EditionsConfig.ready()``; the roles and their groups are ``newsroom.roles``.
"""

from newsroom.roles import CHIEF_EDITOR, EDITOR

# Each role adds these to what the roles below it hold; a reporter has no edition permission.
PERMISSIONS = {
    EDITOR: [
        "editions.add_edition",
        "editions.change_edition",
        "editions.view_edition",
        "editions.add_page",
        "editions.change_page",
        "editions.delete_page",
        "editions.view_page",
        "editions.signoff_page",
        "editions.add_placement",
        "editions.change_placement",
        "editions.delete_placement",
        "editions.view_placement",
        "editions.view_editionevent",
        "editions.view_importrun",
        # The import screen; importing as published also needs the chief editor's release right.
        "editions.add_importrun",
    ],
    CHIEF_EDITOR: ["editions.release_edition", "editions.delete_edition"],
}
