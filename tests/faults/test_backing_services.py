"""Database connections terminated, Redis killed and the search index deleted or corrupted in the
middle of a burst of orders: requests recover, and nothing is lost or doubled."""

from __future__ import annotations

import shutil
import threading

import pytest
from django.core import mail
from django.db import connection

from backend.outbox.models import OutboxItem
from backend.outbox.tasks import dispatch
from search import registry
from tests.checkout.helpers import make_shop
from tests.faults.invariants import assert_delivered_once, assert_orders_consistent, no_internal_error
from tests.outbox.helpers import place_order

pytestmark = pytest.mark.django_db(transaction=True)
ORDERS = 6
SEARCH = 'query { search(query: "", first: 5) { totalCount degraded } }'
GRID = "{ products(first: 5) { edges { node { name } } } }"


def _burst(gql, shop, *, between=None) -> list[str]:
    """Place ORDERS orders; a failed answer is retried like a client would (checkoutComplete is idempotent)."""
    buyers = []
    for n in range(ORDERS):
        email = f"khach{n}@example.vn"
        if between is not None:
            between(n)
        answer = place_order(gql, shop, email=email)
        assert no_internal_error(answer), answer
        assert answer["data"]["checkoutComplete"]["errors"] == []
        buyers.append(email)
    return buyers


def _settle(shop, buyers) -> None:
    dispatch.delay()
    assert_orders_consistent(variant=shop.variant, initial_stock=50, orders=ORDERS)
    recipients = [to for message in mail.outbox for to in message.to]
    assert_delivered_once(recipients, buyers=buyers, seller_staff=shop.staff.email, orders=ORDERS)


def test_terminated_database_connections_are_replaced(regions, gql) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend needs PostgreSQL (DATABASE_URL)")
    import psycopg
    from django.db import close_old_connections

    assert connection.settings_dict["CONN_HEALTH_CHECKS"]  # persistent connections are checked per request
    shop = make_shop(stock=50)
    s = connection.settings_dict
    admin_url = f"postgresql://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/postgres"

    def terminate(_n: int) -> None:
        # Between requests, as a failover or an idle-connection reaper does: every backend of the test database.
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [s["NAME"]],
            )
        # What every real request starts with (Django's test client skips it): a dead persistent
        # connection fails its health check and is replaced.
        close_old_connections()

    buyers = _burst(gql, shop, between=terminate)
    terminate(0)
    _settle(shop, buyers)


def test_redis_killed_mid_burst(regions, gql, settings, private_redis) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": private_redis.url.replace("/0", "/2"),
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
        }
    }
    settings.GRAPHQL_RESPONSE_CACHE = True
    shop = make_shop(stock=50)
    assert gql(GRID).status == 200  # warm: cached in Redis

    def redis_dies(n: int) -> None:
        if n == ORDERS // 2:
            private_redis.stop()
        answer = gql(GRID)
        assert answer.status == 200 and not answer.errors

    try:
        buyers = _burst(gql, shop, between=redis_dies)
    finally:
        if not private_redis.answers():
            private_redis.start()
    _settle(shop, buyers)


@pytest.mark.parametrize("damage", ["deleted", "corrupted"])
def test_search_index_damaged_mid_burst(regions, gql, settings, tmp_path, damage) -> None:
    settings.SEARCH_AUTO_INDEX = True
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    registry.reset()
    shop = make_shop(stock=50)
    from search.indexing import rebuild

    rebuild()
    answers = []

    def break_index(n: int) -> None:
        if n == 1:
            if damage == "deleted":
                shutil.rmtree(tmp_path / "search")
            else:
                for path in (tmp_path / "search").glob("index-*/*"):
                    if path.is_file():
                        path.write_bytes(b"\0garbage" * 64)
        answer = gql(SEARCH)
        assert answer.status == 200 and not answer.errors, answer.json
        answers.append(answer.data["search"])

    try:
        buyers = _burst(gql, shop, between=break_index)
    finally:
        registry.reset()
    assert answers[0]["degraded"] is False and answers[1]["degraded"] is True  # found out, answered from the database
    assert answers[-1] == {"totalCount": 1, "degraded": False}  # rebuilt (through the outbox) meanwhile
    assert OutboxItem.objects.filter(kind="search.rebuild").exists()
    _settle(shop, buyers)


def test_concurrent_dispatchers_deliver_each_item_once(regions, gql) -> None:
    """Two dispatchers at once (two workers, or beat and a nudge): the lease lets one of them deliver."""
    from tests.outbox.helpers import CLOSED_BROKER, broker

    shop = make_shop(stock=50)
    with broker(CLOSED_BROKER):
        buyers = _burst(gql, shop)
    assert mail.outbox == []
    barrier = threading.Barrier(2)

    def dispatcher() -> None:
        from backend.outbox.services import dispatch_due

        try:
            barrier.wait(10)
            dispatch_due()
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatcher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    _settle(shop, buyers)
