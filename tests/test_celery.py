"""Celery: eager by default; through Redis to a real worker when the broker is set."""

import os

import pytest

from backend.celery import app
from backend.core.tasks import ping


def test_tasks_run_eagerly_in_the_suite() -> None:
    outcome = ping.delay("xin chào").get(timeout=1)
    assert outcome["payload"] == "xin chào"
    assert outcome["eager"] is True


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL (Redis)")
def test_task_travels_through_redis_to_a_worker(settings) -> None:
    from celery.contrib.testing.worker import start_worker

    settings.CELERY_TASK_ALWAYS_EAGER = False  # the suite runs tasks eagerly; this test must not
    assert app.conf.task_always_eager is False
    assert app.conf.broker_url.startswith("redis://")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = ping.delay("qua Redis")
        outcome = result.get(timeout=20)
    assert outcome["payload"] == "qua Redis"
    assert outcome["eager"] is False
    assert outcome["hostname"]


def test_every_task_survives_its_worker_dying() -> None:
    """Issue 17, failure 3: acknowledged after running, given back to the queue when the worker is lost."""
    app.loader.import_default_modules()
    ours = {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}
    assert {"outbox.dispatch", "outbox.deliver", "search.sync_pending"} <= set(ours)
    for name, task in ours.items():
        assert task.acks_late is True, name
        assert task.reject_on_worker_lost is True, name
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_transport_options["visibility_timeout"] >= 60
    # Side effects that must happen are outbox items, not tasks of their own.
    assert not {"orders.notify_order_placed", "orders.process_refund", "experiences.send_tickets"} & set(ours)
    assert app.conf.beat_schedule["outbox-dispatch"]["task"] == "outbox.dispatch"
