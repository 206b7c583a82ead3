"""Login throttling (django-axes) on the admin login: per username and address, a cool-off, proxy-aware, unlocked
by a 值班主任.

Behind nginx (deploy/nginx/newsroom.conf) every request reaches Django with ``X-Real-IP`` set to the address nginx
was connected from, and ``X-Forwarded-For`` with whatever the client sent followed by that address. The requests
below carry the headers exactly so; tests/deploy/test_nginx.py sends forged headers through the real nginx.
"""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from newsroom import roles

LOGIN = "/admin/login/"
ATTACKER = "203.0.113.7"
REPORTER_DESK = "198.51.100.20"


def _via_nginx(client, username, password, address, forged=None):
    """POST the admin login as nginx forwards it: X-Real-IP is the peer, X-Forwarded-For ends with it."""
    forwarded = f"{forged}, {address}" if forged else address
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP=address,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def _fail(client, username, address, times, forged=None):
    """Send ``times`` wrong passwords; return the status of each (the one reaching the limit answers 429)."""
    return [
        _via_nginx(client, username, "wrong", address, forged=forged and f"{forged}{i}").status_code
        for i in range(times)
    ]


@pytest.fixture
def limit():
    return settings.AXES_FAILURE_LIMIT


def test_a_few_wrong_passwords_lock_the_account_at_that_address_with_a_chinese_message(client, editor, limit):
    assert _fail(client, editor.username, ATTACKER, limit - 1) == [200] * (limit - 1)
    assert (
        _via_nginx(client, editor.username, "pw", ATTACKER).status_code == 302
    )  # not yet: the right one works

    client.logout()
    assert _fail(client, editor.username, ATTACKER, limit - 1) == [200] * (limit - 1)  # the success reset it
    response = _via_nginx(client, editor.username, "wrong", ATTACKER)
    assert response.status_code == 429
    text = response.content.decode()
    assert "已被暂时锁定" in text and editor.username in text and "值班主任" in text
    assert f"请在 {int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)} 分钟后再试" in text
    # Locked: even the right password is refused now, and no session is made.
    response = _via_nginx(client, editor.username, "pw", ATTACKER)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_username_and_address(client, editor, reporter, limit):
    _fail(client, editor.username, ATTACKER, limit)
    assert _via_nginx(client, editor.username, "pw", ATTACKER).status_code == 429
    # The same account from the newsroom's own address, and another account from the attacker's, still log in.
    assert _via_nginx(client, editor.username, "pw", REPORTER_DESK).status_code == 302
    client.logout()
    assert _via_nginx(client, reporter.username, "pw", ATTACKER).status_code == 302


def test_a_forged_forwarded_for_neither_evades_the_lockout_nor_locks_out_another_address(
    client, reporter, limit
):
    # The attacker sends a new X-Forwarded-For with every try: the address that counts is nginx's peer.
    assert _fail(client, reporter.username, ATTACKER, limit, forged="10.9.8.")[-1] == 429
    assert _via_nginx(client, reporter.username, "pw", ATTACKER, forged="10.9.8.250").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}

    # Forging the reporter's own address does not lock the reporter out at their desk.
    _fail(client, reporter.username, ATTACKER, 2, forged=REPORTER_DESK)
    assert _via_nginx(client, reporter.username, "pw", REPORTER_DESK).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, editor, limit):
    _fail(client, editor.username, ATTACKER, limit)
    assert _via_nginx(client, editor.username, "pw", ATTACKER).status_code == 429
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=5)):
        assert _via_nginx(client, editor.username, "pw", ATTACKER).status_code == 302


def test_the_chief_editor_unlocks_from_the_admin(client, editor, chief, limit):
    _fail(client, editor.username, ATTACKER, limit)
    attempt = AccessAttempt.objects.get(username=editor.username)
    changelist = reverse("admin:axes_accessattempt_changelist")
    delete = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])

    # An editor may not see or lift lockouts.
    client.force_login(editor)
    assert client.get(changelist).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    client.logout()

    client.force_login(chief)
    page = client.get(changelist)
    assert page.status_code == 200
    assert "登录尝试" in page.content.decode() and editor.username in page.content.decode()
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not AccessAttempt.objects.filter(username=editor.username).exists()
    client.logout()

    assert _via_nginx(client, editor.username, "pw", ATTACKER).status_code == 302


@pytest.mark.django_db
def test_only_the_chief_editor_holds_the_lockout_permissions():
    table = roles.group_permissions()
    assert "axes.delete_accessattempt" in table[roles.CHIEF_EDITOR]
    assert not [code for code in table[roles.EDITOR] if code.startswith("axes.")]
    from django.contrib.auth.models import Group

    held = Group.objects.get(name=roles.CHIEF_EDITOR).permissions.filter(content_type__app_label="axes")
    assert {p.codename for p in held} >= {"view_accessattempt", "delete_accessattempt"}
