"""Settings: production refuses to start without its secrets and passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(DJANGO_SETTINGS_MODULE="newsroom.settings.prod", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_prod_refuses_to_start_without_secret_key():
    result = run_manage("check", ALLOWED_HOSTS="news.example.com")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_prod_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", SECRET_KEY="k" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_prod_passes_check_deploy():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="s3cr3t-" * 10,
        ALLOWED_HOSTS="news.example.com",
        NEWSROOM_SINGLE_PROCESS="1",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_locale_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert settings.PASSWORD_HASHERS  # Argon2 first in base; tests use MD5 for speed
    from newsroom.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.django_db
def test_demo_setup_creates_one_account_per_group(capsys):
    call_command("demo_setup")
    call_command("demo_setup")  # idempotent
    out = capsys.readouterr().out
    assert "newsroom-reporter" in out and "newsroom-chief" in out
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(username__in=["reporter", "editor", "chief"])
    assert sorted(u.groups.get().name for u in users) == sorted(["记者", "编辑", "值班主任"])
    assert all(u.check_password(f"newsroom-{u.username}") for u in users)
    reporter = users.get(username="reporter")
    assert reporter.has_perm("articles.add_photo") and reporter.has_perm("articles.submit_article")
    assert not reporter.has_perm("articles.publish_article")
    assert users.get(username="chief").has_perm("editions.release_edition")


@pytest.mark.django_db
def test_demo_setup_refuses_in_production():
    with override_settings(NEWSROOM_DEMO_ALLOWED=False), pytest.raises(CommandError, match="生产环境"):
        call_command("demo_setup")
