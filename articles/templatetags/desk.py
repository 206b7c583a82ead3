"""Admin template helpers: page titles in the newsroom's words and the reporter's returned stories."""

from django import template
from django.utils.translation import gettext as _

from articles import returned

register = template.Library()


@register.simple_tag(takes_context=True)
def admin_page_title(context):
    """The page's title; a changelist is named after its list (稿件), not Django's "选择 稿件 来修改"."""
    title = context.get("title")
    cl = context.get("cl")
    if cl is not None and title == getattr(cl, "title", None):
        # The ModelAdmin gave no title of its own: name the list, or say what a popup picks.
        if getattr(cl, "is_popup", False):
            return f"选择{cl.opts.verbose_name}"
        return cl.opts.verbose_name_plural
    opts = context.get("opts")
    if title and opts is not None and "adminform" in context:
        # Django's "增加 稿件" / "修改 稿件" (a space inside a Chinese phrase) read as 新增稿件 / 修改稿件.
        name = opts.verbose_name
        for django_title, ours in ((_("Add %s"), "新增"), (_("Change %s"), "修改"), (_("View %s"), "查看")):
            if title == django_title % name:
                return f"{ours}{name}"
    return title or ""


@register.simple_tag
def returned_stories(user):
    """The stories sent back to ``user`` with the editor's note, newest return first."""
    if not getattr(user, "is_authenticated", False):
        return []
    return returned.returned_to(user)
