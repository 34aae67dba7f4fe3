"""Province is configuration (issue 16 part 4, issue 19): no province slug written in code.

Which provinces a deployment serves comes from `SERVED_PROVINCES` through
`backend.regions.served`; code outside fixtures, the settings' defaults and
tests never names one. Docstrings and help texts may show a slug as an
example; a string that IS a slug is a decision written in code.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("backend", "storefront_api", "payments", "search", "shipping", "messaging", "identity", "adapter_http")
ALLOWED = {ROOT / "backend" / "settings.py"}


def _slugs() -> set[str]:
    data = json.loads((ROOT / "fixtures" / "regions" / "provinces.json").read_text(encoding="utf-8"))
    return {province["slug"] for province in data["provinces"]}


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _literals(path: Path, slugs: set[str], *, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        literal = isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
        if literal and node.value.strip().lower() in slugs:  # type: ignore[attr-defined]
            found.append(f"{path.relative_to(root)}:{node.lineno}: {node.value!r}")
    return found


def test_the_slugs_are_known() -> None:
    assert len(_slugs()) == 34
    assert {"lam-dong", "bac-ninh", "ninh-binh"} <= _slugs()


def test_no_province_slug_in_code() -> None:
    slugs = _slugs()
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts or path in ALLOWED:
                continue
            found += _literals(path, slugs)
    assert found == [], "province slugs written in code (use backend.regions.served):\n" + "\n".join(found)


def test_the_check_sees_a_slug(tmp_path: Path) -> None:
    """The walk is no test that cannot fail: a slug in a call is found, the same slug in a docstring is not."""
    sample = tmp_path / "sample.py"
    sample.write_text('"""Serves "lam-dong"."""\n\ncommunes = list_communes(province="lam-dong")\n', encoding="utf-8")
    assert _literals(sample, _slugs(), root=tmp_path) == ["sample.py:3: 'lam-dong'"]
