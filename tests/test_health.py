import pytest
from django.db.backends.base.base import BaseDatabaseWrapper


@pytest.mark.django_db
def test_healthz_ok(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["X-Request-ID"]


@pytest.mark.django_db
def test_healthz_503_when_database_does_not_answer(client, monkeypatch) -> None:
    def broken_cursor(self, *args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] != "ok"


@pytest.mark.django_db
def test_admin_speaks_vietnamese_by_default(client) -> None:
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert 'lang="vi"' in response.content.decode()
    english = client.get("/admin/login/", headers={"Accept-Language": "en"})
    assert 'lang="en"' in english.content.decode()


@pytest.mark.django_db
def test_ready_reports_every_part(client) -> None:
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    body = response.json()
    assert set(body["checks"]) == {"database", "cache", "broker", "search", "outbox"}
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"] and body["checks"]["broker"]["ok"]
    assert body["checks"]["outbox"] == {**body["checks"]["outbox"], "ok": True, "pending": 0, "dead": 0}
    # No index built yet: search is reported, but it is not required (it degrades to the database).
    assert body["checks"]["search"]["problem"] == "missing"
    assert body["status"] == "degraded" and body["required"] == ["database"]


@pytest.mark.django_db
def test_ready_answers_503_when_a_required_part_is_down(client, settings) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6390/0",  # closed port
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    assert client.get("/healthz").status_code == 200  # liveness: the process and its database answer
    degraded = client.get("/healthz/ready")
    assert degraded.status_code == 200 and degraded.json()["checks"]["cache"]["ok"] is False
    settings.HEALTH_READY_REQUIRED = ["database", "cache"]
    down = client.get("/healthz/ready")
    assert down.status_code == 503 and down.json()["status"] == "unavailable"


@pytest.mark.django_db
def test_ready_reports_a_broker_that_does_not_answer(client) -> None:
    from tests.outbox.helpers import CLOSED_BROKER, broker

    with broker(CLOSED_BROKER):
        body = client.get("/healthz/ready").json()
    assert body["checks"]["broker"]["ok"] is False and "6390" in body["checks"]["broker"]["error"]


@pytest.mark.django_db
def test_ready_reports_an_outbox_that_falls_behind(client, settings) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from backend.outbox.models import OutboxItem

    OutboxItem.objects.create(kind="orders.order_placed", key="late", created_at=timezone.now())
    OutboxItem.objects.update(created_at=timezone.now() - timedelta(hours=1))
    settings.HEALTH_READY_REQUIRED = ["database", "outbox"]
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["outbox"]["pending"] == 1
