"""Every change to an edition goes through here: planning, placements, sign-off, release.

Each function takes keyword-only arguments, checks the user's permission, runs in a transaction,
locks the row it changes (the page for placements, the edition for release) and writes an
``EditionEvent`` where the newsroom needs to see who did it. A refusal raises an ``EditionError``
whose ``message`` is shown to the editor as is (Chinese, saying what to fix); a missing right
raises ``EditionForbidden`` (a ``PermissionDenied``). The admin and the page importer are both
clients; the importer acts for the newsroom with ``check_permission=False``.

One module per concern, used through this package (``services.placement_add(...)``):

* ``base``: the refusals, the rights, the history event, the page lock (``_changing``);
* ``planning``: editions and their pages;
* ``placements``: stories on a page and the jumps between pages;
* ``signoff``: proofread, sign off, reopen a page;
* ``release``: what stands in the way of a release, the release itself, withdrawals afterwards;
* ``plans``: a page's plan as a snapshot, and what changed between two, in Chinese.
"""

from . import plans
from .base import (
    ASSEMBLE_PERM,
    RELEASE_PERM,
    SIGNOFF_PERM,
    EditionError,
    EditionForbidden,
    InvalidPlacement,
    PageConflict,
    PageLocked,
    ReleaseBlocked,
    describe,
    page_check_fresh,
)
from .placements import (
    PLACEABLE,
    Row,
    continued_from,
    jump_choices,
    jump_from_label,
    jump_to_label,
    page_reorder,
    page_save_placements,
    placement_add,
    placement_clear_lead,
    placement_mark_lead,
    placement_move,
    placement_problems,
    placement_remove,
    placement_set_jump,
    placement_transfer,
)
from .planning import (
    PAGE_FIELDS,
    edition_copy_page_plan,
    edition_create,
    edition_problems,
    page_add,
    page_number_problem,
    page_update,
    previous_edition,
    propose_next_edition,
)
from .release import (
    DEFAULT_RELEASE_TIME,
    article_problem,
    default_release_time,
    edition_release,
    edition_release_imported,
    imported_release_time,
    record_withdrawal,
    release_problems,
)
from .signoff import page_proofread, page_reopen, page_sign_off

__all__ = [
    "ASSEMBLE_PERM",
    "DEFAULT_RELEASE_TIME",
    "PAGE_FIELDS",
    "PLACEABLE",
    "RELEASE_PERM",
    "SIGNOFF_PERM",
    "EditionError",
    "EditionForbidden",
    "InvalidPlacement",
    "PageConflict",
    "PageLocked",
    "ReleaseBlocked",
    "Row",
    "article_problem",
    "continued_from",
    "default_release_time",
    "describe",
    "edition_copy_page_plan",
    "edition_create",
    "edition_problems",
    "edition_release",
    "edition_release_imported",
    "imported_release_time",
    "jump_choices",
    "jump_from_label",
    "jump_to_label",
    "page_add",
    "page_check_fresh",
    "page_number_problem",
    "page_reorder",
    "page_reopen",
    "page_save_placements",
    "page_sign_off",
    "page_proofread",
    "page_update",
    "placement_add",
    "placement_clear_lead",
    "placement_mark_lead",
    "placement_move",
    "placement_problems",
    "placement_remove",
    "placement_set_jump",
    "placement_transfer",
    "plans",
    "previous_edition",
    "propose_next_edition",
    "record_withdrawal",
    "release_problems",
]
