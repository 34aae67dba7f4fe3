"""A worker killed mid-task, and the broker down at commit, against a real Celery worker subprocess
on PostgreSQL and a private redis-server (CI's PostgreSQL + Redis leg)."""

from __future__ import annotations

import os
import signal

import pytest

from backend.accounts.models import User
from backend.outbox.models import OutboxItem, OutboxStatus
from backend.outbox.services import enqueue
from tests.checkout.helpers import make_shop
from tests.faults.conftest import needs_postgres, start_worker, wait_for
from tests.faults.invariants import assert_delivered_once, assert_orders_consistent, no_internal_error
from tests.faults.worker_app import slow_task
from tests.outbox.helpers import broker, place_order

pytestmark = pytest.mark.django_db(transaction=True)
ORDERS = 5


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, private_redis, tmp_path_factory):
    with django_db_blocker.unblock():
        needs_postgres()
    running = start_worker(private_redis, tmp_path_factory.mktemp("worker"))
    yield running
    running.stop()


def _kill_the_busy_child(worker, folder, name: str) -> int:
    wait_for(lambda: (folder / f"{name}.started").exists(), timeout=20, what=f"{name} to start")
    pid = int((folder / f"{name}.started").read_text().split()[0])
    assert pid in worker.children()
    os.kill(pid, signal.SIGKILL)  # the pool process dies mid-task, as under the OOM killer
    return pid


def test_a_task_whose_worker_dies_is_run_again(worker, private_redis, tmp_path) -> None:
    with broker(private_redis.url):
        slow_task.delay(str(tmp_path))
    killed = _kill_the_busy_child(worker, tmp_path, "task")
    # acks_late + reject_on_worker_lost: the message goes back to the queue and a new process runs it.
    wait_for(lambda: (tmp_path / "task.done").exists(), timeout=30, what="the task to run again")
    assert int((tmp_path / "task.done").read_text()) != killed
    assert len((tmp_path / "task.started").read_text().split()) == 2


def test_an_outbox_item_whose_worker_dies_is_delivered_once(worker, private_redis, tmp_path) -> None:
    from django.db import transaction

    with broker(private_redis.url), transaction.atomic():
        enqueue(kind="faults.slow_item", key="faults:slow-item", payload={"folder": str(tmp_path)})
    _kill_the_busy_child(worker, tmp_path, "item")
    # The lease ends (3 s here) and the periodic dispatcher delivers it again.
    wait_for(
        lambda: OutboxItem.objects.filter(status=OutboxStatus.DELIVERED).exists(), timeout=30, what="the redelivery"
    )
    assert len((tmp_path / "item.done").read_text().split()) == 1
    assert OutboxItem.objects.get().attempts == 2


def test_orders_placed_while_the_broker_is_stopped_get_their_emails_once(
    regions, gql, worker, private_redis, tmp_path
) -> None:
    shop = make_shop(stock=20)
    staff = User.objects.get(pk=shop.staff.pk).email
    buyers = [f"khach{n}@example.vn" for n in range(ORDERS)]
    private_redis.stop()  # the broker goes down: commits must not notice
    with broker(private_redis.url):
        for email in buyers:
            answer = place_order(gql, shop, email=email)
            assert no_internal_error(answer), answer
            assert answer["data"]["checkoutComplete"]["errors"] == []
    assert worker.recipients() == []
    private_redis.start()  # back (last in this module): the worker reconnects, beat dispatches
    wait_for(
        lambda: not OutboxItem.objects.exclude(status=OutboxStatus.DELIVERED).exists(),
        timeout=45,
        what="every outbox item to be delivered",
    )
    assert_orders_consistent(variant=shop.variant, initial_stock=20, orders=ORDERS)
    assert_delivered_once(worker.recipients(), buyers=buyers, seller_staff=staff, orders=ORDERS)
