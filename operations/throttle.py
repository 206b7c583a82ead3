"""django-axes (login throttling) as installed here: its app under a Chinese name in the admin.

Its models' and admin's words are translated in operations/locale; its settings are grouped in
newsroom/settings/base.py (AXES_*).
"""

from axes.apps import AppConfig as AxesAppConfig


class LoginThrottleConfig(AxesAppConfig):
    """django-axes, named 登录保护 in the admin."""

    verbose_name = "登录保护"
