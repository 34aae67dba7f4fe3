"""The production server serves the pages' CSS and JavaScript itself (WhiteNoise), with DEBUG off."""

from __future__ import annotations

from django.core.management import call_command
from django.test import Client


def test_collected_static_files_are_served_without_debug(settings, tmp_path) -> None:
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client()  # a new handler: WhiteNoise indexes STATIC_ROOT when the middleware starts
    css = client.get("/static/web/site.css")
    assert css.status_code == 200
    assert b"".join(css.streaming_content if css.streaming else [css.content]).strip()
    assert css["Content-Type"].startswith("text/css")
    gzipped = client.get("/static/web/htmx.min.js", HTTP_ACCEPT_ENCODING="gzip")
    assert gzipped.status_code == 200 and gzipped["Content-Encoding"] == "gzip"
    assert client.get("/static/web/missing.css").status_code == 404
