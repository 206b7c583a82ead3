"""How the admin names a person: the byline name or the account's full name, never a login name."""

from django.core.exceptions import ObjectDoesNotExist


def display_name(user, default="系统"):
    """The name a colleague knows: the linked ``Person``'s name, else the account's full name.

    Login names (``editor``) mean nothing on a timeline; they are shown only when the account has
    neither a Person nor a name, and then marked as an account (``账号 editor``) so it is clear why.
    ``None`` (an event with no actor, such as an import from the command line) reads as ``default``.
    """
    if user is None or not getattr(user, "pk", None):
        return default
    try:
        person = user.person
    except ObjectDoesNotExist:
        person = None
    if person is not None and person.name:
        return person.name
    full = f"{user.last_name}{user.first_name}".strip()  # Chinese order: family name first, no space
    return full or f"账号 {user.get_username()}"
