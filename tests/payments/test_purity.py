"""payments/ is pure Python: each adapter is testable without Django or backend/."""

import ast
from pathlib import Path

PAYMENTS = Path(__file__).resolve().parents[2] / "payments"


def test_adapters_import_nothing_from_django_or_backend() -> None:
    offenders = []
    for path in sorted(PAYMENTS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.name}: {n}" for n in names if n.split(".")[0] in {"django", "backend", "storefront_api"}
            ]
    assert offenders == []
