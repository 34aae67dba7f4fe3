"""The security tests' marketplace, built once per module inside a transaction rolled back after it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from tests.security.world import World, build_world


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any, _private_media_root: Any) -> Iterator[World]:
    """Each test still runs in its own savepoint (the `db` fixture), so what a test changes is undone
    after it, and the whole world after the module."""
    from backend.core import throttle
    from backend.regions.loader import load_regions

    settings_for_setup = {
        "PRIVATE_MEDIA_ROOT": str(_private_media_root),
        "CELERY_TASK_ALWAYS_EAGER": True,
        "SEARCH_AUTO_INDEX": False,
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "world"}},
    }
    with django_db_blocker.unblock(), override_settings(**settings_for_setup), transaction.atomic():
        throttle.reset_state()
        load_regions()
        yield build_world()
        transaction.set_rollback(True)
