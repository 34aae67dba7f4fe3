"""WSGI entry point (gunicorn backend.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")

application = get_wsgi_application()

# Objects created at start-up live for the whole process: keep them out of the
# collector's way so request-time collections stay short (see
# ../shared/reference/performance.md).
gc.collect()
gc.freeze()
gc.set_threshold(50_000, 20, 20)
