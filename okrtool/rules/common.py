"""What every rule family shares: a located problem, an unknown id and its near miss, numbers."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator

from okrtool.dataset import Dataset, Where
from okrtool.model import KeyResult
from okrtool.problems import Problem

Rule = Callable[[Dataset], Iterator[Problem]]


def problem_at(where: Where, code: str, message: str, *extra: object, hint: str = "") -> Problem:
    """A problem at ``where``, ``extra`` going further down its path (line and column come later,
    from ``io.loaddata.locate``)."""
    return Problem(code, where.file, message, path=where.path + tuple(extra), hint=hint)


def unknown_id(kind: str, value: str, known: Iterable[str]) -> tuple[str, str]:
    """Message and hint for a reference to an id that does not exist."""
    near = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    hint = f"did you mean '{near[0]}'?" if near else ""
    return f"unknown {kind} '{value}'", hint


def missing(ds: Dataset, value: str, known: Iterable[str]) -> bool:
    """True if ``value`` names nothing in ``known`` (agencies, zones, groups and the rest of the
    agency files); an id written in an agency file that failed to load is not missing, nor is
    any id while an agency file cannot be read at all: that file's problem is reported already."""
    return value not in known and value not in ds.unverified_ids and not ds.agencies_unreadable


def num(x: float) -> str:
    """A number as a message shows it: thousands separated, no trailing zeros."""
    return f"{x:,.0f}" if x == int(x) else f"{x:,.2f}".rstrip("0")


def check_amount(kr: KeyResult, value: float, what: str) -> tuple[str, str] | None:
    """E404/E405 for an amount of ``kr`` (its target, an allocation, a reported value), as code
    and message, or None when the amount is in range."""
    if kr.is_percent and not 0 <= value <= 100:
        return "E404", f"{what} {num(value)} is outside 0–100 for a percentage"
    if value < 0:
        return "E405", f"{what} {num(value)} is negative; expected 0 or more {kr.unit}"
    return None
