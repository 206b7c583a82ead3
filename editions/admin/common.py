"""What the edition admin screens share: who may still change a page, real names, 字数, refusals as messages."""

from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.db import transaction
from django.urls import path
from django.views.decorators.http import require_POST

from articles.people import display_name

from .. import services
from ..models import Edition, Page


def editable(page):
    """Whether the page's stories can still change: not signed off, its edition not released."""
    return page is None or (
        page.state != Page.State.SIGNED_OFF and page.edition.status == Edition.Status.PLANNING
    )


def people_choices(formfield):
    """Show people in a user select by their real name, never the login name."""
    if formfield is not None and hasattr(formfield, "label_from_instance"):
        formfield.label_from_instance = display_name
    return formfield


def format_chars(value):
    """字数 as the newsroom writes it: digits without separators, 0 for none."""
    return f"{value or 0:,}".replace(",", "")


def button_urls(model_admin, *routes):
    """The URLs of a screen's buttons, ``(route, view, name)``: behind the admin's login, POST only."""
    wrap = model_admin.admin_site.admin_view
    return [path(route, wrap(require_POST(view)), name=name) for route, view, name in routes]


@dataclass
class Refusal:
    """What ``refusal_as_message`` caught: the service's EditionError, or None when the block went through."""

    error: services.EditionError | None = None


@contextmanager
def refusal_as_message(request, prefix="", *, rollback=False):
    """Show a refusal of the edition services (``EditionError``) to the editor as an error message.

    The block stops at the refusal and the view goes on after it (put the success message inside the
    block). With ``rollback`` the request's transaction (the admin's change form) keeps nothing of
    the save. A missing right (``EditionForbidden``) is a PermissionDenied, not an EditionError: it
    passes through and the admin answers 403.
    """
    refusal = Refusal()
    try:
        yield refusal
    except services.EditionError as error:
        if rollback:
            transaction.set_rollback(True)
        messages.error(request, f"{prefix}{error.message}")
        refusal.error = error
