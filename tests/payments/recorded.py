"""A recorded transport for the gateway contract suite: one canned JSON answer (the gateway's
documented success body), replayed to whichever HTTP client the adapter takes, every call recorded."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Mapping
from typing import Any, ClassVar

import stripe


class RecordedTransport:
    def __init__(self, answer: Mapping[str, Any] | None) -> None:
        self.answer = dict(answer) if answer is not None else None
        self.calls: list[str] = []

    def _reply(self, url: str) -> bytes:
        self.calls.append(url)
        if self.answer is None:
            raise AssertionError(f"this gateway was not expected to call {url}")
        return json.dumps(self.answer).encode("utf-8")

    def urllib_opener(self, request: urllib.request.Request, timeout: float) -> bytes:
        """VNPay and MoMo (payments.signing.Opener)."""
        return self._reply(request.full_url)

    def form_opener(self, url: str, body: bytes, headers: Mapping[str, str]) -> bytes:
        """ZaloPay (form posts)."""
        return self._reply(url)

    def stripe_client(self) -> stripe.HTTPClient:
        transport = self

        class _Client(stripe.HTTPClient):
            name: ClassVar[str] = "recorded"

            def request(
                self,
                method: str,
                url: str,
                headers: Mapping[str, str] | None,
                post_data: Any = None,
                *,
                _usage: Any = None,
            ) -> tuple[str, int, Mapping[str, str]]:
                return transport._reply(url).decode("utf-8"), 200, {"request-id": "req_recorded"}

            def close(self) -> None:
                pass

        return _Client()
