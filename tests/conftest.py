"""Fixtures shared by the whole suite: users in each newsroom role, a clean cache."""

import pytest
from django.core.cache import cache

from newsroom import roles

from .factories import PersonFactory, UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _user(username, group):
    from django.contrib.auth.models import Group

    if not Group.objects.filter(name=group).exists():
        # Transactional tests (the browser's live server) flush the data migration's groups.
        roles.sync_groups()
    user = UserFactory(username=username, group=group)
    PersonFactory(name=f"{username}的署名", user=user)
    return user


@pytest.fixture
def reporter(db):
    """A 记者 with a Person."""
    return _user("reporter1", roles.REPORTER)


@pytest.fixture
def other_reporter(db):
    """A second 记者."""
    return _user("reporter2", roles.REPORTER)


@pytest.fixture
def editor(db):
    """A 编辑."""
    return _user("editor1", roles.EDITOR)


@pytest.fixture
def chief(db):
    """A 值班主任."""
    return _user("chief1", roles.CHIEF_EDITOR)


@pytest.fixture
def reporter_client(client, reporter):
    client.force_login(reporter)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def chief_client(client, chief):
    client.force_login(chief)
    return client


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests (thread races, GIN search) run in CI's PostgreSQL pass."""
    from django.db import connection

    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL; CI runs the suite on PostgreSQL too")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)
