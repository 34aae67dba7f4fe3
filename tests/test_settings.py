"""Settings read the environment with safe defaults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def run_settings(env: dict[str, str], code: str = "print('ok')") -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}}
    full_env.update(env)
    setup = "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'backend.settings'); django.setup()"
    script = f"{setup}; {code}"
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=full_env, capture_output=True, text=True)


def test_debug_off_refuses_the_dev_secret_key() -> None:
    result = run_settings({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_off_with_a_real_secret_starts() -> None:
    result = run_settings(
        {"DEBUG": "0", "SECRET_KEY": "x" * 50, "FIELD_ENCRYPTION_KEYS": "k" * 43 + "=", "FIELD_INDEX_KEY": "y" * 50},
        "from django.conf import settings; print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True"


def test_debug_off_refuses_to_start_without_the_personal_number_keys() -> None:
    result = run_settings({"DEBUG": "0", "SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr


def test_database_url_selects_postgres_with_persistent_connections() -> None:
    result = run_settings(
        {"DATABASE_URL": "postgres://u:p@db.example:5432/chophien"},
        "from django.conf import settings; d = settings.DATABASES['default'];"
        " print(d['ENGINE'], d['HOST'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "db.example", "600", "True"]


def test_business_time_zone_and_languages() -> None:
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _ in settings.LANGUAGES] == ["vi", "en"]
    assert settings.CHECKOUT_RESERVATION_MINUTES == int(os.environ.get("CHECKOUT_RESERVATION_MINUTES", "15"))


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_busy_timeout() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("embedded SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 30000
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_celery_is_eager_only_without_a_broker() -> None:
    result = run_settings(
        {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/0"},
        "from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER)",
    )
    assert result.stdout.strip() == "False"
    result = run_settings(
        {"CELERY_BROKER_URL": ""}, "from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER)"
    )
    assert result.stdout.strip() == "True"
