"""The exported schema is current, and honours ../shared/contract minus what is pending.

tests/contract_pending.txt lists the contract differences not implemented
yet (one line each, as contract_check.py prints them). The test fails when a
new difference appears, or when a listed one is fixed but still listed.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from storefront_api.management.commands.export_schema import SCHEMA_FILE, schema_sdl

ROOT = Path(__file__).resolve().parent.parent
CHECKER = ROOT.parent / "shared" / "tools" / "contract_check.py"
PENDING = Path(__file__).resolve().parent / "contract_pending.txt"


def test_committed_schema_matches_the_live_schema() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_sdl(), (
        "storefront_api/schema.graphql is stale: run `.venv/bin/python manage.py export_schema`"
    )


def _pending() -> set[str]:
    lines = PENDING.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def test_contract_differences_are_exactly_the_pending_list() -> None:
    if not CHECKER.exists():
        pytest.skip("../shared/tools/contract_check.py is not beside this checkout")
    result = subprocess.run(
        [sys.executable, str(CHECKER), str(SCHEMA_FILE)], capture_output=True, text=True, check=False
    )
    differences = {line for line in result.stdout.splitlines() if line and not line.startswith("contract")}
    pending = _pending()
    new = sorted(differences - pending)
    fixed = sorted(pending - differences)
    assert not new, "contract differences not in tests/contract_pending.txt:\n" + "\n".join(new)
    assert not fixed, "fixed, remove from tests/contract_pending.txt:\n" + "\n".join(fixed)
