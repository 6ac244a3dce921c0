"""Test overrides for speed and isolation only; everything else is ``layanan.settings``.

``LAYANAN_TEST_DATABASE_URL`` points the suite at PostgreSQL (CI does); SQLite otherwise.
"""

import os
import tempfile
from pathlib import Path

_var = Path(tempfile.gettempdir()) / "layanan-test-var"
os.environ.setdefault("LAYANAN_VAR_DIR", str(_var))
os.environ.setdefault("LAYANAN_FIELD_KEYS", "t1:" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=")
os.environ.setdefault("LAYANAN_BLIND_INDEX_KEY", "b1:" + "MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1ub3BxcnN0dXY=")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
if os.environ.get("LAYANAN_TEST_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["LAYANAN_TEST_DATABASE_URL"]
else:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{_var / 'test.sqlite3'}")

from layanan.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LAYANAN_SMS_BACKEND = "file"
# Tests roll their transactions back, counters included: a block kept in memory would outlive it.
LAYANAN_REFERENCE_BLOCK = 1
AXES_ENABLED = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# Serve static files straight from the apps' folders (no collectstatic before tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not SQLite's shared-cache memory database: there a second writer (the browser loading
    # two audited images at once from the live server) fails at once with "database table is
    # locked" instead of waiting its turn on busy_timeout as in production. pytest-xdist gives each
    # worker its own file, and the process id keeps two test runs on one machine apart.
    DATABASES["default"]["TEST"] = {"NAME": str(_var / f"test-db-{os.getpid()}.sqlite3")}  # noqa: F405
