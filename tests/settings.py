"""Settings for the test suite: linli's own settings with fixed keys and inline tasks."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("LINLI_ENV", "test")
os.environ.setdefault("LINLI_SECRET_KEY", "test-secret-key-not-for-production-" + "x" * 20)
os.environ.setdefault("LINLI_FIELD_KEY", "test-field-key-not-for-production-0123456789")
os.environ.setdefault("LINLI_LOOKUP_KEY", "test-lookup-key-not-for-production-012345678")

from linli.settings import *  # noqa: F403

# Tasks run inline so that a test sees an import finish; production uses the database queue.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Fast hashing: the suite creates many users; argon2 is tested in test_login.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
# Uploaded attachments go to a throwaway folder, never into var/.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="linli-test-media-"))
WHITENOISE_AUTOREFRESH = True
