"""Fault injection: a private redis-server this suite starts, stops and restarts (never the shared
one), Celery worker subprocesses it kills, and the invariants every fault must leave intact."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/faults/" in str(item.fspath):
            item.add_marker(pytest.mark.faults)


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PrivateRedis:
    port: int
    folder: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
        )
        wait_for(self.answers, timeout=10, what="redis-server to start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@pytest.fixture(scope="module")
def private_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("needs the redis-server program (a private broker the test may stop)")
    redis = PrivateRedis(port=_free_port(), folder=tmp_path_factory.mktemp("redis"))
    redis.start()
    yield redis
    redis.stop()


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgresql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def needs_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a worker subprocess shares the test database: needs PostgreSQL (DATABASE_URL)")


@dataclass
class Worker:
    process: subprocess.Popen[str]
    mail_dir: Path
    log: Path

    def children(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        return [int(pid) for pid in out.split()]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def recipients(self) -> list[str]:
        """The To: address of every e-mail the worker sent (the file backend writes them down)."""
        found: list[str] = []
        for path in sorted(self.mail_dir.glob("*.log")):
            found += [line[4:].strip() for line in path.read_text().splitlines() if line.startswith("To: ")]
        return found


def start_worker(redis: PrivateRedis, folder: Path) -> Worker:
    """A `make worker`-shaped subprocess (default and search queues, beat) on the test database."""
    mail_dir = folder / "mail"
    mail_dir.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": redis.url,
        "REDIS_URL": redis.url.replace("/0", "/1"),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "VAR_DIR": str(folder),
        "SEARCH_AUTO_INDEX": "0",
        "OUTBOX_DISPATCH_SECONDS": "1",
        "OUTBOX_LEASE_SECONDS": "3",
        "OUTBOX_RETRY_BASE_SECONDS": "1",
    }
    log = folder / "worker.log"
    command = [sys.executable, "-m", "celery", "-A", "tests.faults.worker_app", "worker", "--beat"]
    command += ["--queues", "celery,search", "--concurrency", "1", "--loglevel", "INFO"]
    command += ["--schedule", str(folder / "beat-schedule"), "--without-gossip", "--without-mingle"]
    with open(log, "w") as out:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, text=True, start_new_session=True
        )
    worker = Worker(process=process, mail_dir=mail_dir, log=log)
    wait_for(lambda: "ready." in log.read_text() or process.poll() is not None, timeout=30, what="the worker")
    assert process.poll() is None, log.read_text()[-3000:]
    return worker
