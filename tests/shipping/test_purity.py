"""shipping/ is pure Python: each adapter is testable without Django or backend/."""

import ast
from pathlib import Path

SHIPPING = Path(__file__).resolve().parents[2] / "shipping"
FORBIDDEN = {"django", "backend", "storefront_api", "payments"}  # payments: adapter packages stay independent


def test_adapters_import_nothing_from_django_or_backend() -> None:
    offenders = []
    modules = sorted(SHIPPING.rglob("*.py"))
    assert len(modules) > 5
    for path in modules:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []
