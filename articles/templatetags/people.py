"""``{{ user|display_name }}``: a person's real name in admin templates (articles.people)."""

from django import template

from articles.people import display_name as _display_name

register = template.Library()


@register.filter
def display_name(user, default="系统"):
    """The person's name (Person, else full name); ``default`` when there is no user."""
    return _display_name(user, default)
