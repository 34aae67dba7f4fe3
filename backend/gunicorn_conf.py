"""Gunicorn settings for `make serve` and the image (`gunicorn -c backend/gunicorn_conf.py`).

Every value comes from the environment (README, "Running in production"). Workers are recycled
after GUNICORN_MAX_REQUESTS requests (with jitter, so they do not all restart at once), a worker
stuck longer than GUNICORN_TIMEOUT seconds is killed and replaced, and only the reverse proxy's
address is trusted for X-Forwarded-* headers.
"""

from __future__ import annotations

import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
preload_app = True
accesslog = "-"
if os.environ.get("LOG_FORMAT", "plain") == "json":
    access_log_format = (
        '{"time": "%(t)s", "logger": "gunicorn.access", "request_id": "%({x-request-id}o)s", "method": "%(m)s", '
        '"path": "%(U)s", "status": %(s)s, "bytes": "%(B)s", "ms": %(M)s, "remote": "%(h)s"}'
    )
else:
    access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms [%({x-request-id}o)s]'
