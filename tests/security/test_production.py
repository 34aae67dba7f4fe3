"""Production defaults: `check --deploy` clean with the README's environment, security headers, a
Content-Security-Policy without inline scripts, cookies, GraphiQL and introspection off."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def production_env() -> dict[str, str]:
    """The environment the README's "Security" section documents for production."""
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"`manage.py check --deploy` is clean with this environment.*?```sh\n(.*?)```", readme, re.S)
    assert block, "README: the production environment block is missing"
    env = dict(line.split("=", 1) for line in block.group(1).strip().splitlines())
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env["FIELD_ENCRYPTION_KEYS"] = Fernet.generate_key().decode()
    env["FIELD_INDEX_KEY"] = secrets.token_urlsafe(50)
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DEBUG", "SECRET_KEY", "GRAPHQL_", "SECURE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_the_documented_environment() -> None:
    result = run(production_env(), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_turns_graphiql_and_introspection_off() -> None:
    code = (
        "from django.conf import settings as s;"
        " print(s.GRAPHQL_GRAPHIQL, s.GRAPHQL_INTROSPECTION, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    off = run(production_env(), "shell", "--no-imports", "-c", code)
    assert off.stdout.split() == ["False", "False", "True", "True"], off.stderr


@pytest.mark.django_db
def test_pages_carry_the_security_headers(settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31_536_000
    answer = Client().get("/account/login", secure=True)
    assert answer.status_code == 200
    assert answer["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["Referrer-Policy"] == "same-origin"
    assert answer["X-Frame-Options"] == "DENY"
    directives = [part.split() for part in answer["Content-Security-Policy"].split(";") if part.strip()]
    policy = {name: values for name, *values in directives}
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'self'"]


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_and_http_only(settings: Any, make_user: Any) -> None:
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    make_user(email="mai@example.vn")
    client = Client(enforce_csrf_checks=True)
    page = client.get("/account/login", secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token, "the form carries the CSRF token (no script reads the cookie)"
    signed_in = client.post(
        "/account/login",
        {"email": "mai@example.vn", "password": "Mật-khẩu-dài-2025", "csrfmiddlewaretoken": token.group(1)},
        secure=True,
        headers={"Referer": "https://testserver/account/login"},
    )
    assert signed_in.status_code == 302
    session = signed_in.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_no_template_has_an_inline_script_or_event_handler() -> None:
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    offenders = []
    for template in (ROOT / "backend").glob("*/templates/**/*.html"):
        text = template.read_text()
        if inline_script.search(text) or handler.search(text) or "javascript:" in text:
            offenders.append(str(template.relative_to(ROOT)))
    assert not offenders


@pytest.mark.django_db
def test_the_check_in_script_is_a_static_file(client: Client, settings: Any) -> None:
    from django.contrib.staticfiles import finders

    assert finders.find("web/check_in.js")
    template = (ROOT / "backend/web/templates/web/seller/check_in.html").read_text()
    assert "web/check_in.js" in template and "<script>" not in template
