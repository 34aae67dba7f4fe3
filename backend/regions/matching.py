"""Edit distances and similarity for matching old unit names typed with mistakes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from difflib import SequenceMatcher
from typing import TypeVar

T = TypeVar("T")


def tolerance(key: str) -> int:
    # Folded short names are often one letter from another real unit ("tanha"
    # / "tanhai", "7" / "8"), so they get no typo allowance; long ones a little.
    if len(key) < 6:
        return 0
    return 1 if len(key) < 12 else 2


def distance(a: str, b: str) -> int:
    """Levenshtein distance (names are short, so the plain DP is enough)."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > 2:
        return abs(len(a) - len(b))  # a lower bound, enough for tolerances ≤ 2
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def closest_within_tolerance(key: str, choices: Iterable[str]) -> str | None:
    scored = sorted((distance(key, choice), choice) for choice in choices)
    if not scored or scored[0][0] > tolerance(key):
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return scored[0][1]


def similarity(a: str, b: str) -> float:
    matcher = SequenceMatcher(None, a, b)
    # The cheap upper bound skips most rows before the real ratio is computed.
    return matcher.ratio() if matcher.real_quick_ratio() >= 0.5 else 0.0


def similar(typed: str, keyed: Iterable[tuple[T, str]], *, at_least: float) -> Iterator[tuple[float, T]]:
    """(similarity, item) for the items whose key is at least that similar to the typed one.

    The typed key is analysed once, and the cheap upper bounds drop most keys
    before the real ratio is computed (a province has up to ~600 old units).
    """
    matcher = SequenceMatcher(None, b=typed)
    for item, key in keyed:
        matcher.set_seq1(key)
        quick = matcher.real_quick_ratio() >= at_least and matcher.quick_ratio() >= at_least
        if quick and (ratio := matcher.ratio()) >= at_least:
            yield ratio, item
