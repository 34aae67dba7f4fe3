"""The adapter packages built for issues 20 and 22 are pure Python, like payments/ (tests/payments/test_purity.py):
nothing from Django, backend/ or storefront_api/, so each adapter is testable alone."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {"django", "backend", "storefront_api"}


@pytest.mark.parametrize("package", ["messaging", "identity", "adapter_http"])
def test_imports_nothing_from_django_or_backend(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"{package}/ has no modules"
    offenders = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_the_adapter_packages_do_not_import_each_other() -> None:
    """messaging/ and identity/ share only adapter_http/; payments/ stays on its own."""
    for package, others in (("messaging", {"identity", "payments"}), ("identity", {"messaging", "payments"})):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module:
                    assert node.module.split(".")[0] not in others, f"{path.name} imports {node.module}"
