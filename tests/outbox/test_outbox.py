"""The outbox: written with the change or not at all, delivered once by key, retried with back-off,
dead after too many failures and put back in line from the admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from backend.outbox.models import OutboxItem, OutboxStatus
from backend.outbox.registry import handler
from backend.outbox.selectors import backlog
from backend.outbox.services import deliver, dispatch_due, enqueue, retry_now

pytestmark = pytest.mark.django_db

calls: list[dict] = []


@handler("tests.record")
def _record(**payload) -> None:
    calls.append(payload)


@handler("tests.fail")
def _fail(**payload) -> None:
    raise OSError("SMTP 421 try again later")


@pytest.fixture(autouse=True)
def _clear_calls():
    calls.clear()


def test_an_item_enqueued_in_a_rolled_back_transaction_does_not_exist(django_capture_on_commit_callbacks) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(kind="tests.record", key="k:rollback", payload={"n": 1})
        raise RuntimeError("the change failed")
    assert not OutboxItem.objects.exists()
    assert calls == []


def test_delivered_after_commit_once_per_key(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(kind="tests.record", key="k:1", payload={"n": 1})
        enqueue(kind="tests.record", key="k:1", payload={"n": 2})  # the same key: ignored
    assert calls == [{"n": 1}]
    item = OutboxItem.objects.get()
    assert item.status == OutboxStatus.DELIVERED and item.attempts == 1 and item.delivered_at
    assert deliver(item.pk) is False  # a second run of the same item has no effect
    assert dispatch_due() == 0
    assert calls == [{"n": 1}]


def test_failures_back_off_then_die_and_retry_now_puts_them_back(settings) -> None:
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_BASE_SECONDS = 10
    enqueue(kind="tests.fail", key="k:fail", payload={})
    item = OutboxItem.objects.get()
    waits = []
    for _attempt in range(3):
        before = timezone.now()
        assert deliver(item.pk) is False
        item.refresh_from_db()
        waits.append((item.available_at - before).total_seconds())
        OutboxItem.objects.filter(pk=item.pk).update(available_at=timezone.now())  # time passes
    item.refresh_from_db()
    assert item.status == OutboxStatus.DEAD and item.attempts == 3
    assert "SMTP 421" in item.last_error
    assert 8 <= waits[0] <= 12 and 16 <= waits[1] <= 24  # exponential, with jitter
    assert backlog().dead == 1 and dispatch_due() == 0

    OutboxItem.objects.filter(pk=item.pk).update(kind="tests.record")  # the cause is fixed
    assert retry_now(item_ids=[item.pk]) == 1
    assert dispatch_due() == 1
    item.refresh_from_db()
    assert item.status == OutboxStatus.DELIVERED and calls == [{}]


def test_an_item_being_delivered_is_leased_and_returns_when_its_worker_died(settings) -> None:
    settings.OUTBOX_LEASE_SECONDS = 60
    enqueue(kind="tests.record", key="k:lease", payload={"n": 1})
    item = OutboxItem.objects.get()
    # A worker claimed it and died before finishing: the lease hides it from other dispatchers...
    OutboxItem.objects.filter(pk=item.pk).update(available_at=timezone.now() + timedelta(seconds=60), attempts=1)
    assert dispatch_due() == 0
    # ...until it ends.
    OutboxItem.objects.filter(pk=item.pk).update(available_at=timezone.now() - timedelta(seconds=1))
    assert dispatch_due() == 1
    assert calls == [{"n": 1}]


def test_an_unknown_kind_is_retried_not_lost() -> None:
    enqueue(kind="tests.nobody-handles-this", key="k:unknown", payload={})
    assert dispatch_due() == 0
    item = OutboxItem.objects.get()
    assert item.status == OutboxStatus.PENDING and "no handler" in item.last_error


def test_a_redacted_payload_is_forgotten_once_delivered(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(kind="tests.record", key="k:secret", payload={"token": "s3cret"}, redact=True)
    assert calls == [{"token": "s3cret"}]
    assert OutboxItem.objects.get().payload == {}


def test_backlog_reports_the_oldest_pending_item() -> None:
    enqueue(kind="tests.record", key="k:old", payload={})
    OutboxItem.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    waiting = backlog()
    assert waiting.pending == 1 and 290 <= waiting.oldest_pending_seconds <= 310


def test_admin_lists_items_and_retries_dead_ones(client, django_user_model) -> None:
    admin = django_user_model.objects.create_superuser(email="ops@example.vn", password="x-Very-long-2025")
    enqueue(kind="tests.record", key="k:dead", payload={"n": 7})
    OutboxItem.objects.update(status=OutboxStatus.DEAD, attempts=10, last_error="OSError: boom")
    client.force_login(admin)
    page = client.get("/admin/outbox/outboxitem/?status__exact=DEAD")
    assert page.status_code == 200 and "k:dead" in page.content.decode()
    item = OutboxItem.objects.get()
    answer = client.post(
        "/admin/outbox/outboxitem/", {"action": "retry_selected", "_selected_action": [item.pk]}, follow=True
    )
    assert answer.status_code == 200
    item.refresh_from_db()
    assert item.status == OutboxStatus.PENDING and item.attempts == 0
    assert dispatch_due() == 1 and calls == [{"n": 7}]
    assert mail.outbox == []
