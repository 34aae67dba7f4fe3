"""Each gateway owns everything about itself (issue 16, part 1): outside `payments/` no code compares,
maps or filters on a gateway id. The Django side asks the adapter (`is_cash`, `label`, `notify_path`,
`merchant_id`, `payment_reference`, `query_status`, ...) or the registry."""

from __future__ import annotations

import ast
from pathlib import Path

from payments.registry import GATEWAY_CLASSES, GATEWAY_IDS

ROOT = Path(__file__).resolve().parents[1]

# Same words, other concepts: the seller page's "cash on delivery" form action and the audit
# actions of the COD state machine ("cod.collected", ...), not the gateway.
NOT_GATEWAY_IDS = {
    ("backend/web/views/seller_orders.py", "cod"),
    ("backend/web/audit_words.py", "cod"),
}


def _python_files() -> list[Path]:
    files = [*sorted((ROOT / "backend").rglob("*.py")), *sorted((ROOT / "storefront_api").rglob("*.py"))]
    return [path for path in files if "migrations" not in path.parts]


def test_the_registry_knows_every_gateway() -> None:
    assert GATEWAY_IDS == {"cod", "vnpay", "momo", "zalopay", "vietqr", "stripe", "sandbox"}
    assert len(GATEWAY_IDS) == len(GATEWAY_CLASSES)


def test_no_gateway_id_outside_payments() -> None:
    offenders = []
    for path in _python_files():
        relative = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value in GATEWAY_IDS
                and (relative, node.value) not in NOT_GATEWAY_IDS
            ):
                offenders.append(f"{relative}:{node.lineno}: {node.value!r}")
    assert offenders == []


def test_the_check_finds_a_comparison() -> None:
    """The walk above does see a literal gateway id in a comparison (it is not vacuous)."""
    tree = ast.parse('if order.gateway == "cod":\n    pass\n')
    found = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value in GATEWAY_IDS]
    assert found == ["cod"]


def test_the_allowed_words_are_still_there() -> None:
    """Each exception names a file that still uses the word (no stale allowances)."""
    for relative, word in NOT_GATEWAY_IDS:
        assert f'"{word}"' in (ROOT / relative).read_text(encoding="utf-8"), relative
