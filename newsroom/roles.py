"""The newsroom's three roles as Django groups; each app contributes the permissions they hold.

The roles build on each other: an editor holds everything a reporter holds, a chief editor
everything an editor holds. Each app lists, per role, the permissions that role adds for the
app's own models (``articles/roles.py``, ``editions/roles.py``) and registers them from its
``AppConfig.ready()``; ``sync_groups()`` gives each group exactly the union.
"""

REPORTER = "记者"
EDITOR = "编辑"
CHIEF_EDITOR = "值班主任"

# Lowest first: each role holds the permissions of the roles before it.
ROLES = (REPORTER, EDITOR, CHIEF_EDITOR)

_added = {}  # app label → {role: [permission, …]}


def register(app_label, added):
    """Record the permissions ``app_label`` gives each role, on top of the roles below it."""
    for role, codes in added.items():
        if role not in ROLES:
            raise ValueError(f"Unknown role {role!r}")
        foreign = [code for code in codes if not code.startswith(f"{app_label}.")]
        if foreign:
            raise ValueError(f"{app_label} may only grant its own permissions, not {foreign}")
    _added[app_label] = {role: list(codes) for role, codes in added.items()}


def group_permissions():
    """Return {role: [permission, …]}: every permission each role holds, from every app."""
    table, held = {}, []
    for role in ROLES:
        for added in _added.values():
            held.extend(added.get(role, ()))
        table[role] = list(held)
    return table


def sync_groups(apps=None, *, strict=True):
    """Create the three groups and give each exactly its permissions (idempotent).

    Data migrations call it with ``strict=False``: at that point in the migration history some
    models (and so their permissions) may not exist yet; later migrations add them.
    """
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in group_permissions().items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for code in codes:
            app_label, codename = code.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None and strict:
                raise LookupError(f"Permission {code} does not exist")
            if permission is not None:
                wanted.append(permission)
        group.permissions.set(wanted)
