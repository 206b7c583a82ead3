"""The role table where both apps meet: each app grants its own permissions; migrations sync the groups."""

import importlib

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from newsroom import roles


def _held(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    }


def test_each_app_grants_its_own_permissions_and_roles_build_on_each_other():
    table = roles.group_permissions()
    assert set(table[roles.REPORTER]) < set(table[roles.EDITOR]) < set(table[roles.CHIEF_EDITOR])
    assert not [code for code in table[roles.REPORTER] if not code.startswith("articles.")]
    assert {"editions.signoff_page", "articles.publish_article"} <= set(table[roles.EDITOR])
    assert {"editions.release_edition", "editions.delete_edition"} <= set(table[roles.CHIEF_EDITOR])
    assert "editions.release_edition" not in table[roles.EDITOR]


def test_an_app_may_not_grant_another_apps_permissions_or_invent_a_role():
    with pytest.raises(ValueError, match="its own permissions"):
        roles.register("articles", {roles.EDITOR: ["editions.change_edition"]})
    with pytest.raises(ValueError, match="Unknown role"):
        roles.register("articles", {"实习生": ["articles.view_article"]})
    assert "editions.change_edition" not in roles.group_permissions()[roles.REPORTER]


@pytest.mark.django_db
def test_the_data_migrations_give_each_group_exactly_its_permissions():
    # Replayed on the historical models, as on a fresh database, then again on groups that exist.
    state = MigrationExecutor(connection).loader.project_state(("articles", "0003_photos_library"))
    first = importlib.import_module("articles.migrations.0002_groups_and_search_index")
    photos = importlib.import_module("articles.migrations.0003_photos_library")
    Group.objects.filter(name__in=roles.ROLES).delete()
    first.create_groups(state.apps, None)
    photos.grant_photo_permissions(state.apps, None)
    for _ in range(2):
        for role, codes in roles.group_permissions().items():
            assert _held(role) == set(codes), role
        roles.sync_groups()
