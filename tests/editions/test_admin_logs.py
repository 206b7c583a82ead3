"""The three log admins (edition history, import runs, article moves) are read-only, for everyone."""

import pytest
from django.contrib import admin
from django.urls import reverse

from articles.models import ArticleEvent
from editions.models import EditionEvent, ImportRun
from newsroom.admin import ReadOnlyAdminMixin
from tests.factories import ArticleFactory, EditionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [EditionEvent, ImportRun, ArticleEvent])
def test_log_admins_share_the_read_only_mixin(model):
    model_admin = admin.site._registry[model]
    assert isinstance(model_admin, ReadOnlyAdminMixin)
    assert not model_admin.has_add_permission(None)
    assert not model_admin.has_change_permission(None)
    assert not model_admin.has_delete_permission(None)


def test_even_a_superuser_cannot_add_change_or_delete_log_rows(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    event = EditionEvent.objects.create(
        edition=EditionFactory(), action=EditionEvent.Action.CREATE, note="第1期"
    )
    run = ImportRun.objects.create(source="p1.txt", sha256="a" * 64, encoding="utf-8", page_number=1)
    moved = ArticleEvent.objects.create(
        article=ArticleFactory(), action=ArticleEvent.Action.SUBMIT, from_status="draft", to_status="review"
    )
    for name, obj in (
        ("editions_editionevent", event),
        ("editions_importrun", run),
        ("articles_articleevent", moved),
    ):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200
        if name != "editions_importrun":  # its add URL is the import screen, which adds no run by hand
            assert client.get(reverse(f"admin:{name}_add")).status_code == 403
        assert client.post(reverse(f"admin:{name}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403
        page = client.get(reverse(f"admin:{name}_change", args=[obj.pk])).content.decode()
        assert 'name="_save"' not in page
    assert EditionEvent.objects.filter(pk=event.pk).exists() and ImportRun.objects.filter(pk=run.pk).exists()
    assert ArticleEvent.objects.filter(pk=moved.pk).exists()
