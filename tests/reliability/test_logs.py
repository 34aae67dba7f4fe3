"""LOG_FORMAT=json: one JSON object a line, with the request id of the request that logged it."""

from __future__ import annotations

import logging

import orjson

from backend.core.logs import JsonFormatter
from backend.core.middleware import RequestIdLogFilter, _request_id


def test_a_log_line_is_json_with_the_request_id_and_extra_fields() -> None:
    record = logging.LogRecord("backend.orders", logging.WARNING, __file__, 1, "order %s late", ("CP-1",), None)
    record.order = "CP-1"  # as logger.warning(..., extra={"order": ...}) does
    token = _request_id.set("req-12345678")
    try:
        RequestIdLogFilter().filter(record)
    finally:
        _request_id.reset(token)
    line = JsonFormatter().format(record)
    entry = orjson.loads(line)
    assert "\n" not in line
    assert entry["message"] == "order CP-1 late" and entry["level"] == "WARNING"
    assert entry["request_id"] == "req-12345678" and entry["order"] == "CP-1"
    assert entry["logger"] == "backend.orders" and entry["time"].endswith("+00:00")
