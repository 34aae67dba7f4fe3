"""The Vietnamese catalog is complete, consistent with its sources and compiled."""

from __future__ import annotations

import ast
import gettext as pygettext
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
PO_PATH = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# printf-style conversions as Python's % operator reads them; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(r"%(?:\((?P<name>[^)]*)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?P<conv>[a-zA-Z%])")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def parse_po(text: str) -> list[Entry]:
    """A minimal .po reader: flags, msgid, msgid_plural and msgstr / msgstr[n], with continuation lines."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None

    def flush() -> None:
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("#~"):
            continue  # obsolete entries are not compiled
        elif line.startswith("#,"):
            if target is not None and target[0] == "msgstr":
                flush()
            entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
        elif line.startswith("#"):
            if target is not None and target[0] == "msgstr":
                flush()
        elif line.startswith('"'):
            assert target is not None, f"line {number}: string outside an entry"
            append(entry, target, ast.literal_eval(line))
        else:
            keyword, _, rest = line.partition(" ")
            if keyword == "msgid" and target is not None:
                flush()
            match = re.fullmatch(r"(msgid|msgid_plural|msgstr)(?:\[(\d+)\])?", keyword)
            assert match, f"line {number}: unexpected {line!r}"
            if keyword == "msgid":
                entry.line = number
            target = (match[1], int(match[2] or 0))
            append(entry, target, ast.literal_eval(rest))
    flush()
    return entries


def append(entry: Entry, target: tuple[str, int], text: str) -> None:
    kind, index = target
    if kind == "msgid":
        entry.msgid += text
    elif kind == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + text
    else:
        entry.msgstr[index] = entry.msgstr.get(index, "") + text


def placeholders(text: str) -> tuple[frozenset[str], Counter[str]]:
    """Named placeholders as a set (they may repeat or move), positional ones counted by conversion."""
    named: set[str] = set()
    positional: Counter[str] = Counter()
    for match in PLACEHOLDER.finditer(text):
        if match["conv"] == "%":
            continue
        if match["name"] is not None:
            named.add(f"%({match['name']}){match['conv']}")
        else:
            positional[f"%{match['conv']}"] += 1
    return frozenset(named), positional


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_po(PO_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def messages(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.msgid]


def load_catalog(path: Path) -> dict[object, str]:
    with path.open("rb") as fp:
        return dict(pygettext.GNUTranslations(fp)._catalog)  # type: ignore[attr-defined]


def test_header_declares_vietnamese_with_one_plural_form(entries: list[Entry]) -> None:
    header = next(e for e in entries if e.msgid == "")
    assert "fuzzy" not in header.flags
    fields = dict(line.split(": ", 1) for line in header.msgstr[0].splitlines() if ": " in line)
    assert fields["Language"] == "vi"
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert fields["Plural-Forms"] == "nplurals=1; plural=0;"


def test_every_message_is_translated_and_not_fuzzy(messages: list[Entry]) -> None:
    assert len(messages) > 200  # the parser found the catalog, not an empty file
    problems = []
    for e in messages:
        expected_forms = {0}  # Vietnamese has a single plural form
        if "fuzzy" in e.flags:
            problems.append(f"line {e.line}: fuzzy: {e.msgid!r}")
        if set(e.msgstr) != expected_forms:
            problems.append(f"line {e.line}: forms {sorted(e.msgstr)} instead of [0]: {e.msgid!r}")
        if not e.msgstr.get(0, "").strip():
            problems.append(f"line {e.line}: untranslated: {e.msgid!r}")
    assert not problems, "\n".join(problems)


def test_placeholders_and_edge_newlines_match(messages: list[Entry]) -> None:
    problems = []
    for e in messages:
        sources = [e.msgid] if e.msgid_plural is None else [e.msgid, e.msgid_plural]
        expected = placeholders(sources[-1])
        if e.msgid_plural is not None:
            assert placeholders(e.msgid)[0] <= expected[0], f"line {e.line}: singular and plural differ"
        for index, text in e.msgstr.items():
            if placeholders(text) != expected:
                problems.append(f"line {e.line} [{index}]: {placeholders(text)} != {expected}: {e.msgid!r}")
            for edge in (str.startswith, str.endswith):
                if edge(sources[0], "\n") != edge(text, "\n"):
                    problems.append(f"line {e.line} [{index}]: leading/trailing newline differs: {e.msgid!r}")
    assert not problems, "\n".join(problems)


def test_parser_agrees_with_the_compiled_catalog(messages: list[Entry]) -> None:
    catalog = load_catalog(MO_PATH)
    singular = {e.msgid: e.msgstr[0] for e in messages if e.msgid_plural is None}
    plural = {(e.msgid, 0): e.msgstr[0] for e in messages if e.msgid_plural is not None}
    assert {k: v for k, v in catalog.items() if k != ""} == singular | plural


def test_committed_mo_is_current(tmp_path: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("gettext's msgfmt is not installed")
    fresh = tmp_path / "django.mo"
    # The same command compilemessages runs; --check-format fails on mismatched placeholders.
    subprocess.run([msgfmt, "--check-format", "-o", str(fresh), str(PO_PATH)], check=True, capture_output=True)
    assert load_catalog(MO_PATH) == load_catalog(fresh), "run `make messages` (compilemessages -l vi)"


def test_django_serves_the_vietnamese_catalog() -> None:
    with translation.override("vi"):
        assert translation.gettext("E-mail or password is incorrect.") == "E-mail hoặc mật khẩu không đúng."
        assert translation.ngettext("%(count)d seller approved.", "%(count)d sellers approved.", 3) % {"count": 3} == (
            "Đã duyệt 3 người bán."
        )
    with translation.override("en"):
        assert translation.gettext("E-mail or password is incorrect.") == "E-mail or password is incorrect."
