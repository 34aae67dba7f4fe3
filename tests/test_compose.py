"""docker-compose.yml runs the production shape (no Docker engine here: parse it)."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def load() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_services_of_the_production_shape() -> None:
    services = load()["services"]
    assert {"postgres", "redis", "elasticsearch", "web", "worker", "beat"} <= set(services)
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert ":8." in services["elasticsearch"]["image"]
    assert services["elasticsearch"]["environment"]["discovery.type"] == "single-node"


def test_backing_services_have_health_checks_and_volumes() -> None:
    compose = load()
    for name in ("postgres", "redis", "elasticsearch"):
        assert "healthcheck" in compose["services"][name], name
        assert compose["services"][name]["volumes"], name
    assert {"postgres-data", "redis-data", "elasticsearch-data"} <= set(compose["volumes"])


def test_app_services_share_production_environment() -> None:
    services = load()["services"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DEBUG"] == "0"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:6379")
        assert env["SEARCH_BACKEND"] == "elasticsearch"
        assert env["ELASTICSEARCH_URL"] == "http://elasticsearch:9200"
        assert "SECRET_KEY" in env
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
    assert "gunicorn" in (ROOT / "Dockerfile").read_text()
    assert services["worker"]["command"][:3] == ["celery", "-A", "backend"]
    assert "beat" in services["beat"]["command"]
    assert "healthcheck" in services["web"]


def test_search_writes_have_a_single_worker() -> None:
    services = load()["services"]
    command = services["search-worker"]["command"]
    assert command[command.index("--queues") + 1] == "search"
    assert command[command.index("--concurrency") + 1] == "1"
    from django.conf import settings

    assert settings.CELERY_TASK_ROUTES["search.*"] == {"queue": "search"}
