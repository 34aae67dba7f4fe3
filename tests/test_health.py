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
