"""Logging helpers for the settings' LOGGING."""

import logging

# The loggers Django reports a refused hostile request on (``django.security.<exception>``, answered 400).
SUSPICIOUS_LOGGERS = (
    "django.security.DisallowedHost",
    "django.security.DisallowedModelAdminLookup",
    "django.security.DisallowedModelAdminToField",
    "django.security.DisallowedRedirect",
    "django.security.RequestDataTooBig",
    "django.security.SuspiciousFileOperation",
    "django.security.SuspiciousMultipartForm",
    "django.security.SuspiciousOperation",
    "django.security.SuspiciousSession",
    "django.security.TooManyFieldsSent",
    "django.security.TooManyFilesSent",
)


class RefusedRequestAsWarning(logging.Filter):
    """Record a hostile request Django refused (400) as a warning: it is no server error.

    Django logs these at ERROR, so that anyone can fill the error log (and page whoever reads it) with a
    bad Host header or a forged admin parameter; they stay in the log, one level down.
    """

    def filter(self, record):
        if record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        return True
