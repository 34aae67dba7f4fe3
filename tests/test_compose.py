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


def test_long_running_services_restart_and_web_listens_on_loopback_only() -> None:
    services = load()["services"]
    for name in ("postgres", "redis", "elasticsearch", "web", "worker", "search-worker", "beat"):
        assert services[name]["restart"] == "unless-stopped", name
    assert services["migrate"]["restart"] == "no"
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]  # the reverse proxy is the public face
    assert services["web"]["healthcheck"]["test"][-1].endswith("/healthz/ready")
    assert "healthcheck" in services["search-worker"]


def test_production_settings_come_from_the_environment() -> None:
    env = load()["services"]["web"]["environment"]
    assert env["EMAIL_BACKEND"].endswith("smtp.EmailBackend}")
    for name in ("EMAIL_HOST", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "LOG_FORMAT", "TRUSTED_PROXY_COUNT"):
        assert name in env, name
    assert env["LOG_FORMAT"] == "${LOG_FORMAT:-json}"


def test_default_queue_worker_leaves_the_search_queue_to_its_single_writer() -> None:
    command = load()["services"]["worker"]["command"]
    assert command[command.index("--queues") + 1] == "celery"


def test_image_runs_gunicorn_with_timeouts_and_recycling_as_its_own_user() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "mkdir -p /app/var/media" in dockerfile and "chown -R chophien:chophien /app/var" in dockerfile
    assert dockerfile.index("USER chophien") > dockerfile.index("chown")
    assert '"gunicorn", "-c", "backend/gunicorn_conf.py"' in dockerfile
    from backend import gunicorn_conf

    assert gunicorn_conf.timeout == 30 and gunicorn_conf.max_requests == 1000 and gunicorn_conf.max_requests_jitter
    assert gunicorn_conf.bind.startswith("127.0.0.1:")  # `make serve` stays on loopback
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".venv", "var", ".git"} <= set(ignored)  # `COPY . .` never takes the host's virtualenv or data


def test_make_worker_runs_the_search_queue_in_its_own_process_at_concurrency_1() -> None:
    makefile = (ROOT / "Makefile").read_text()
    search = next(line for line in makefile.splitlines() if "--queues search" in line)
    assert "--concurrency 1" in search and "--queues celery,search" not in makefile
    default = next(line for line in makefile.splitlines() if "--queues celery" in line)
    assert "--beat" in default
    assert "backup:" in makefile and "restore:" in makefile
