"""Handlers by kind. The owning app registers them (in its `tasks` module); a handler gets the
payload as keyword arguments and must be idempotent: it may run again after a crash."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

Handler = Callable[..., Any]
F = TypeVar("F", bound=Handler)

_handlers: dict[str, Handler] = {}


def handler(kind: str) -> Callable[[F], F]:
    """Register the decorated function as the handler of `kind` (one handler a kind)."""

    def register(fn: F) -> F:
        known = _handlers.get(kind)
        if known is not None and known is not fn and known.__qualname__ != fn.__qualname__:
            raise ValueError(f"outbox kind {kind!r} already has a handler: {known.__qualname__}")
        _handlers[kind] = fn
        return fn

    return register


def handler_for(kind: str) -> Handler | None:
    return _handlers.get(kind)


def kinds() -> list[str]:
    return sorted(_handlers)
