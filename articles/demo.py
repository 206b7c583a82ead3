"""Demo data for a first run: sections and one account per newsroom role."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from newsroom import roles

from .models import Person, Section

SECTIONS = [
    ("要闻", "yaowen"),
    ("综合", "zonghe"),
    ("社会", "shehui"),
    ("文体", "wenti"),
    ("评论", "pinglun"),
]

# username, password, display name, group
DEMO_ACCOUNTS = [
    ("reporter", "newsroom-reporter", "张茂霖", roles.REPORTER),
    ("editor", "newsroom-editor", "林编辑", roles.EDITOR),
    ("chief", "newsroom-chief", "陈主任", roles.CHIEF_EDITOR),
]


@transaction.atomic
def ensure_sections():
    """Create the standard sections if missing; return them by name."""
    for position, (name, slug) in enumerate(SECTIONS):
        Section.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
    return {s.name: s for s in Section.objects.all()}


@transaction.atomic
def ensure_demo_accounts():
    """Create (or reset) one staff account per role, each linked to a Person; return (user, password)."""
    roles.sync_groups()
    User = get_user_model()
    made = []
    for username, password, name, group_name in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(username=username)
        user.is_staff = True
        user.is_active = True
        user.first_name = name
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=group_name)])
        person = (
            Person.objects.filter(user=user).first() or Person.objects.filter(name=name, user=None).first()
        )
        if person is None:
            Person.objects.create(name=name, user=user)
        elif person.user_id != user.pk:
            person.user = user
            person.save(update_fields=["user"])
        made.append((user, password, group_name))
    return made
