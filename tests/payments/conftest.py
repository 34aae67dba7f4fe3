"""Shared helpers for the payment adapter tests: the reference vectors and a recording fake opener.

No database and no network: adapters are pure Python and their HTTP opener is injected."""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

VECTORS_FILE = Path(__file__).with_name("payment_vectors.json")


def load_vectors() -> dict[str, dict[str, Any]]:
    if not VECTORS_FILE.exists():
        return {}
    document = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))
    return {vector["id"]: vector for vector in document["vectors"]}


@pytest.fixture(scope="session")
def vectors() -> dict[str, dict[str, Any]]:
    loaded = load_vectors()
    if not loaded:
        pytest.skip("tests/payments/payment_vectors.json is missing")
    return loaded


@dataclass
class RecordingOpener:
    """Stands in for urllib: records each Request and answers with canned JSON (or raises)."""

    answer: dict[str, Any] | bytes = field(default_factory=dict)
    error: Exception | None = None
    requests: list[urllib.request.Request] = field(default_factory=list)
    timeouts: list[float] = field(default_factory=list)

    def __call__(self, request: urllib.request.Request, timeout: float) -> bytes:
        self.requests.append(request)
        self.timeouts.append(timeout)
        if self.error is not None:
            raise self.error
        if isinstance(self.answer, bytes):
            return self.answer
        return json.dumps(self.answer).encode("utf-8")

    @property
    def last_json(self) -> dict[str, Any]:
        data = self.requests[-1].data
        assert isinstance(data, bytes)
        decoded: dict[str, Any] = json.loads(data.decode("utf-8"))
        return decoded


@pytest.fixture
def opener() -> RecordingOpener:
    return RecordingOpener()
