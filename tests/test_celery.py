"""Celery: eager by default; through Redis to a real worker when the broker is set."""

import os

import pytest

from backend.celery import app
from backend.core.tasks import ping


@pytest.mark.skipif(bool(os.environ.get("CELERY_BROKER_URL")), reason="eager mode only without a broker")
def test_tasks_run_eagerly_without_a_broker() -> None:
    outcome = ping.delay("xin chào").get(timeout=1)
    assert outcome["payload"] == "xin chào"
    assert outcome["eager"] is True


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL (Redis)")
def test_task_travels_through_redis_to_a_worker() -> None:
    from celery.contrib.testing.worker import start_worker

    assert app.conf.task_always_eager is False
    assert app.conf.broker_url.startswith("redis://")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = ping.delay("qua Redis")
        outcome = result.get(timeout=20)
    assert outcome["payload"] == "qua Redis"
    assert outcome["eager"] is False
    assert outcome["hostname"]
