"""The import contract (issue 16, part 6): the layers of the code, read from every import statement
(top-level and inside functions) with `ast`.

- The adapter packages (`payments`, `search`, `shipping`, `messaging`, `identity`, `adapter_http`)
  import nothing from `backend/` or `storefront_api/`.
- Domain apps never import `storefront_api` or `graphene`.
- `web` and `storefront_api` never write with the ORM (they call the owning app's services).
- Domain apps depend downward only: regions → accounts → sellers → catalog → checkout / experiences
  → orders → tax → reports. `core` and `outbox` sit below all of them, the audit log
  (`moderation.models`, `moderation.services`) is usable from anywhere, the rest of `moderation`
  sits beside checkout. Entry points (`admin.py`, management commands) are presentation, like `web`.

What is not there yet is listed in `KNOWN_*` below, each with its reason: the test fails on any
new violation and on any listed one that has gone (so the lists only shrink).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

LAYERS: dict[str, int] = {
    "core": 0,
    "outbox": 0,
    "regions": 1,
    "accounts": 2,
    "sellers": 3,
    "catalog": 4,
    "moderation": 5,
    "checkout": 5,
    "experiences": 5,
    "orders": 6,
    "tax": 7,
    "reports": 8,
}
# Same layer, one direction only (the other would close a cycle).
PEER_ORDER = {("checkout", "experiences")}
AUDIT_LOG = {"backend.moderation.models", "backend.moderation.services"}
ADAPTERS = ["payments", "search", "shipping", "messaging", "identity", "adapter_http"]

# (importing file, imported app): upward or sideways imports still to remove, each with its reason.
KNOWN_UPWARD: dict[tuple[str, str], str] = {
    ("backend/catalog/listing.py", "checkout"): "quantityAvailable subtracts other carts' live holds",
    ("backend/catalog/listing.py", "experiences"): "experience cards read their Experience row",
    ("backend/catalog/services.py", "experiences"): "product edits reach into the experience (issue 16 part 5)",
    ("backend/sellers/services.py", "checkout"): "approving a seller creates its default delivery methods",
    ("backend/experiences/selectors.py", "checkout"): "held places count live checkout holds",
}
# Modules of `search/` that still know the catalog (issue 16 part 3 moves them to the catalog).
KNOWN_SEARCH_BACKEND_IMPORTS = {
    "search/documents.py",
    "search/folding.py",
    "search/indexing.py",
    "search/signals.py",
    "search/synonyms.py",
    "search/tasks.py",
}

ORM_WRITES = {"create", "bulk_create", "bulk_update", "get_or_create", "update_or_create", "update", "delete"}
NOT_THE_ORM = {"default_storage", "cache", "request.session", "self.fields"}


def _python_files(package: str) -> list[Path]:
    return [p for p in sorted((ROOT / package).rglob("*.py")) if "migrations" not in p.parts]


def _imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            if node.module == "backend":  # from backend import orders
                yield from (f"backend.{alias.name}" for alias in node.names)


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _is_entry_point(path: Path) -> bool:
    return path.name == "admin.py" or "management" in path.parts


def _allowed(source_app: str, module: str) -> bool:
    parts = module.split(".")
    target = parts[1] if len(parts) > 1 else ""
    if target == source_app or target not in LAYERS or source_app not in LAYERS:
        return True
    if ".".join(parts[:3]) in AUDIT_LOG:
        return True
    if LAYERS[target] < LAYERS[source_app]:
        return True
    return LAYERS[target] == LAYERS[source_app] and (source_app, target) in PEER_ORDER


def upward_imports() -> set[tuple[str, str]]:
    found = set()
    for path in _python_files("backend"):
        if len(path.relative_to(ROOT / "backend").parts) < 2 or _is_entry_point(path):
            continue
        app = path.relative_to(ROOT / "backend").parts[0]
        for module in _imports(path):
            if module.startswith("backend.") and not _allowed(app, module):
                found.add((_relative(path), module.split(".")[1]))
    return found


def test_domain_apps_depend_downward_only() -> None:
    assert upward_imports() - set(KNOWN_UPWARD) == set(), "a new upward import (see the module docstring)"


def test_the_known_upward_imports_are_still_there() -> None:
    """Each remaining exception is real: remove it from KNOWN_UPWARD once it is fixed."""
    assert set(KNOWN_UPWARD) - upward_imports() == set()


def test_orders_is_above_checkout_and_experiences() -> None:
    """The circle of issue 16: nothing under checkout or experiences imports orders."""
    offenders = [
        f"{_relative(path)}: {module}"
        for app in ("checkout", "experiences")
        for path in _python_files(f"backend/{app}")
        if not _is_entry_point(path)
        for module in _imports(path)
        if module.startswith("backend.orders")
    ]
    assert offenders == []


def test_the_rule_sees_an_upward_import() -> None:
    assert not _allowed("experiences", "backend.orders.payments")
    assert not _allowed("checkout", "backend.orders")
    assert not _allowed("experiences", "backend.checkout.models")  # peers: checkout → experiences only
    assert _allowed("orders", "backend.experiences.bookings")
    assert _allowed("sellers", "backend.moderation.services")  # the audit log


@pytest.mark.parametrize("package", ADAPTERS)
def test_adapters_import_nothing_from_backend(package: str) -> None:
    offenders = {
        _relative(path)
        for path in _python_files(package)
        for module in _imports(path)
        if module.split(".")[0] in {"backend", "storefront_api"}
    }
    known = KNOWN_SEARCH_BACKEND_IMPORTS if package == "search" else set()
    assert offenders == known


def test_domain_apps_never_import_the_api_layer() -> None:
    offenders = [
        f"{_relative(path)}: {module}"
        for path in _python_files("backend")
        if len(path.relative_to(ROOT / "backend").parts) >= 2 and path.relative_to(ROOT / "backend").parts[0] in LAYERS
        for module in _imports(path)
        if module.split(".")[0] in {"storefront_api", "graphene", "graphene_django"}
    ]
    assert offenders == []


def _orm_writes_of(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        receiver = ast.unparse(node.func.value)
        if receiver.split("(")[0] in NOT_THE_ORM:
            continue
        method = node.func.attr
        queryset = ".objects" in receiver or receiver.endswith("_set") or ".filter(" in receiver
        if (method in ORM_WRITES and queryset) or method in {"save", "delete"}:
            found.append((node.lineno, f"{receiver}.{method}()"))
    return found


@pytest.mark.parametrize("package", ["backend/web", "storefront_api"])
def test_web_and_api_never_write_with_the_orm(package: str) -> None:
    offenders = [
        f"{_relative(path)}:{line}: {call}"
        for path in _python_files(package)
        for line, call in _orm_writes_of(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_orm_rule_sees_a_write() -> None:
    sample = "Product.objects.filter(pk=1).update(name='x')\nproduct.save()\ncontext.update(a=1)\n"
    assert [call for _line, call in _orm_writes_of(sample)] == [
        "Product.objects.filter(pk=1).update()",
        "product.save()",
    ]


def test_no_module_over_500_lines() -> None:
    """Big files get split (issue 16): none over 500 lines outside migrations and tests."""
    packages = ["backend", "storefront_api", "bench", *ADAPTERS]
    long_files = [
        f"{_relative(path)}: {lines}"
        for package in packages
        for path in _python_files(package)
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 500
    ]
    assert long_files == []
