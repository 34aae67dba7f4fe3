"""`make backup` / `make restore` on PostgreSQL: a backup restored into a scratch database and a
fresh media folder gives back the same rows and files (runs in CI's PostgreSQL leg)."""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.checkout.helpers import make_shop

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgresql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _count(url: str, table: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _make(target: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", target],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def scratch_database():
    if connection.vendor != "postgresql":
        pytest.skip("backup and restore need PostgreSQL (DATABASE_URL)")
    name = f"restore_{uuid.uuid4().hex[:10]}"
    admin = _url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield _url(name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_scratch_database(regions, scratch_database, tmp_path) -> None:
    make_shop(stock=7)
    make_shop(stock=3)
    media = tmp_path / "media"
    (media / "products").mkdir(parents=True)
    (media / "products" / "dau-tay.webp").write_bytes(b"RIFF....WEBP")
    source = _url(connection.settings_dict["NAME"])
    backups = tmp_path / "backups"
    done = _make("backup", {"DATABASE_URL": source, "MEDIA_ROOT": str(media), "BACKUP_DIR": str(backups)})
    assert done.returncode == 0, done.stderr
    (stem,) = {p.name.split(".")[0] for p in backups.iterdir()}
    assert sorted(p.name.removeprefix(stem) for p in backups.iterdir()) == [".dump", ".media.tar.gz", ".sha256"]

    restored_media = tmp_path / "restored-media"
    restore_env = {"BACKUP": str(backups / stem), "DATABASE_URL": scratch_database, "MEDIA_ROOT": str(restored_media)}
    refused = _make("restore", restore_env)
    assert refused.returncode != 0 and "RESTORE_CONFIRM=yes" in refused.stderr  # never by accident
    done = _make("restore", {**restore_env, "RESTORE_CONFIRM": "yes"})
    assert done.returncode == 0, done.stderr

    for table in ("catalog_product", "catalog_productvariant", "sellers_seller", "regions_commune"):
        assert _count(scratch_database, table) == _count(source, table) > 0, table
    with psycopg.connect(scratch_database) as conn:
        stocks = sorted(row[0] for row in conn.execute("SELECT stock FROM catalog_productvariant"))
    assert stocks == [3, 7]
    assert (restored_media / "products" / "dau-tay.webp").read_bytes() == b"RIFF....WEBP"


def test_a_tampered_backup_is_refused(regions, scratch_database, tmp_path) -> None:
    backups = tmp_path / "backups"
    source = _url(connection.settings_dict["NAME"])
    env = {"DATABASE_URL": source, "BACKUP_DIR": str(backups), "MEDIA_ROOT": str(tmp_path / "no-media-yet")}
    assert _make("backup", env).returncode == 0
    dump = next(backups.glob("*.dump"))
    dump.write_bytes(dump.read_bytes()[:-10])
    env = {"BACKUP": str(dump.with_suffix("")), "DATABASE_URL": scratch_database, "RESTORE_CONFIRM": "yes"}
    done = _make("restore", {**env, "MEDIA_ROOT": str(tmp_path / "m")})
    assert done.returncode != 0 and "FAILED" in (done.stdout + done.stderr)
