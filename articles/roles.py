"""The newsroom's three roles as Django groups, and the permissions each one holds."""

REPORTER = "记者"
EDITOR = "编辑"
CHIEF_EDITOR = "值班主任"

_REPORTER = [
    "articles.add_article",
    "articles.change_article",
    "articles.view_article",
    "articles.submit_article",
    "articles.add_byline",
    "articles.change_byline",
    "articles.delete_byline",
    "articles.view_byline",
    "articles.add_person",
    "articles.view_person",
    "articles.view_section",
    "articles.view_column",
    "articles.add_tag",
    "articles.view_tag",
    "articles.add_photo",
    "articles.change_photo",
    "articles.view_photo",
]
_EDITOR = [
    *_REPORTER,
    "articles.review_article",
    "articles.publish_article",
    "articles.withdraw_article",
    "articles.edit_any_article",
    "articles.preview_article",
    "articles.change_person",
    "articles.add_section",
    "articles.change_section",
    "articles.add_column",
    "articles.change_column",
    "articles.change_tag",
    "articles.view_articleevent",
    "articles.delete_photo",
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
]
_CHIEF = [*_EDITOR, "editions.release_edition", "articles.delete_article", "editions.delete_edition"]

GROUP_PERMISSIONS = {REPORTER: _REPORTER, EDITOR: _EDITOR, CHIEF_EDITOR: _CHIEF}


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
    for name, codes in GROUP_PERMISSIONS.items():
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
