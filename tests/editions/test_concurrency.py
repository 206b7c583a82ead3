"""Two editors reordering one page at once never lose or duplicate a slot (PostgreSQL, real threads)."""

import contextlib
import threading

import pytest
from django.db import connection

from editions import services
from editions.models import Placement
from editions.services import base as services_base
from editions.services import placements as services_placements
from tests.factories import PageFactory, PlacementFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(*jobs):
    """Start the jobs together in threads (each with its own connection); return their exceptions."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        try:
            barrier.wait()
            job()
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return errors


def test_two_editors_reordering_one_page_keep_every_slot(editor):
    from tests.conftest import _user

    other = _user("editor2", "编辑")
    page = PageFactory(number=1)
    placements = [PlacementFactory(page=page, position=i) for i in range(1, 7)]
    ids = {p.pk for p in placements}
    for round_ in range(8):
        first, last = placements[round_ % 6], placements[-1 - round_ % 6]
        errors = race(
            lambda first=first: services.placement_move(placement=first, user=editor, step=+2),
            lambda last=last: services.placement_move(placement=last, user=other, step=-3),
            lambda: services.page_reorder(page=page, user=other, order=sorted(ids, reverse=True)),
        )
        assert errors == []
        rows = list(Placement.objects.filter(page=page).values_list("pk", "position"))
        assert {pk for pk, _ in rows} == ids
        assert sorted(pos for _, pos in rows) == [1, 2, 3, 4, 5, 6]


def test_without_the_page_lock_the_race_would_be_lost(editor, monkeypatch):
    """The same race with the lock taken away fails: the test above can fail."""
    from tests.conftest import _user

    other = _user("editor2", "编辑")
    page = PageFactory(number=1)
    placements = [PlacementFactory(page=page, position=i) for i in range(1, 7)]
    monkeypatch.setattr(
        services_base, "_locked_page", lambda p: type(p).objects.select_related("edition").get(pk=p.pk)
    )
    real = services_placements._renumber
    gate = threading.Barrier(2)

    def slow_renumber(page, ordered):
        # Both editors have read the old order before either writes.
        with contextlib.suppress(threading.BrokenBarrierError):
            gate.wait(timeout=2)
        real(page, ordered)

    monkeypatch.setattr(services_placements, "_renumber", slow_renumber)
    errors = race(
        lambda: services.placement_move(placement=placements[0], user=editor, step=+2),
        lambda: services.placement_move(placement=placements[5], user=other, step=-3),
    )
    rows = list(Placement.objects.filter(page=page).order_by("position").values_list("pk", flat=True))
    # Serialised, the page ends in one of these two orders; unlocked, one editor's move is lost
    # (or the database refuses one of them).
    serial = [[placements[i].pk for i in order] for order in ((1, 2, 5, 0, 3, 4), (1, 5, 0, 2, 3, 4))]
    assert errors or rows not in serial


def test_two_editors_saving_one_page_plan_the_second_is_told_what_changed(editor):
    """Both loaded version 1; both save at once: one wins, the other gets PageConflict naming the change."""
    from editions.services import plans
    from tests.conftest import _user
    from tests.factories import ArticleFactory

    other = _user("editor2", "编辑")
    page = PageFactory(number=2)
    kept = PlacementFactory(page=page, position=1)
    loaded = plans.snapshot(page)
    mine, theirs = (
        ArticleFactory(review=True, headline="甲的稿"),
        ArticleFactory(review=True, headline="乙的稿"),
    )

    def save(user, article):
        rows = [
            services.Row(placement=kept, article=kept.article),
            services.Row(placement=None, article=article),
        ]
        services.page_save_placements(page=page, user=user, rows=rows, version=1, loaded=loaded)

    errors = race(lambda: save(editor, mine), lambda: save(other, theirs))
    assert len(errors) == 1 and isinstance(errors[0], services.PageConflict), errors
    headlines = set(Placement.objects.filter(page=page).values_list("article__headline", flat=True))
    winner = "甲的稿" if "甲的稿" in headlines else "乙的稿"
    assert headlines == {kept.article.headline, winner}
    assert f"新增《{winner}》" in errors[0].message and "第2版已被" in errors[0].message
    page.refresh_from_db()
    assert page.version == 2


def test_two_editors_posting_the_page_screen_at_once_lose_nothing(editor):
    """Through the admin: the later POST is shown again with the conflict, its input intact."""
    from django.test import Client
    from django.urls import reverse

    from tests.conftest import _user
    from tests.editions.test_page_changes import form_data

    other = _user("editor2", "编辑")
    page = PageFactory(number=2, name="综合")
    PlacementFactory(page=page, position=1)
    url = reverse("admin:editions_page_change", args=[page.pk])
    clients = []
    for user in (editor, other):
        client = Client()
        client.force_login(user)
        clients.append((client, form_data(client.get(url))))
    responses = []

    def post(client, data, name):
        responses.append((name, client.post(url, dict(data, name=name))))

    errors = race(*(lambda c=c, d=d, n=n: post(c, d, n) for (c, d), n in zip(clients, ("甲改名", "乙改名"))))
    assert errors == []
    codes = sorted(r.status_code for _n, r in responses)
    assert codes == [200, 302]
    loser, response = next((n, r) for n, r in responses if r.status_code == 200)
    html = response.content.decode()
    assert "第2版已被" in html and "版名改为" in html
    assert f'value="{loser}"' in html
    page.refresh_from_db()
    assert page.name != loser and page.version == 2
