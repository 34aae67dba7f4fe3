"""One index writer at a time, across worker processes and hosts.

The sync reads the marked products, writes their documents and removes the marks: two syncs
interleaving could write an older document over a newer one. On PostgreSQL a session advisory
lock serialises them (released with the session if a worker dies); elsewhere (SQLite: one
host) a file lock does.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection

# Any fixed 64-bit number; it names this lock among the database's advisory locks.
ADVISORY_KEY = 0x63685F7365617263  # "ch_searc"


@contextmanager
def index_writer_lock(*, wait_seconds: float = 0.0) -> Iterator[bool]:
    """Yields True when this process holds the lock (until the block ends), False when another does."""
    lock = _advisory if connection.vendor == "postgresql" else _file_lock
    with lock(wait_seconds) as held:
        yield held


@contextmanager
def _advisory(wait_seconds: float) -> Iterator[bool]:
    deadline = time.monotonic() + wait_seconds
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_KEY])
            held = bool(cursor.fetchone()[0])
            if held or time.monotonic() >= deadline:
                break
            time.sleep(0.05)
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_KEY])


@contextmanager
def _file_lock(wait_seconds: float) -> Iterator[bool]:
    # One lock per database, so parallel test processes (one SQLite file each) do not share it.
    name = hashlib.sha1(str(connection.settings_dict["NAME"]).encode()).hexdigest()[:12]
    path = settings.VAR_DIR / f"search-writer-{name}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait_seconds
    held = False
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held = True
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() >= deadline:
                    break
                time.sleep(0.05)
        yield held
    finally:
        if held:
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
