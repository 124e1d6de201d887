"""Editions of the plan: which edition is in force in a fiscal year, which edition a policy
belongs to, and which dimensions it may name. Pure functions over the dataset; the rules that
use them are in ``rules.py`` (E901–E905), the status header shows ``in_force``.

An edition is in force from its ``first_year`` until the next edition's ``first_year``. Two
editions of the same kind linked by ``previous`` are one plan renamed (BMA's 2024 usage of the
2022 platform): a policy of the later may still name the earlier's dimensions, and a policy of
either may carry OKRs of the other's years.
"""

from __future__ import annotations

from okrtool.dataset import Dataset
from okrtool.model import Edition, Policy


def in_force(ds: Dataset, fiscal_year: int) -> Edition | None:
    """The edition in force in ``fiscal_year``: the latest whose ``first_year`` is not after it."""
    found = [e for e in ds.editions.values() if e.first_year <= fiscal_year]
    return max(found, key=lambda e: e.first_year) if found else None


def policy_edition(ds: Dataset, policy: Policy) -> Edition | None:
    """The edition ``policy`` belongs to: its ``edition``; else the one in force in its first
    OKR's fiscal year; else (a catalogue entry with no OKR) the first edition. None if there are
    no editions or ``edition`` names none (reported as E202)."""
    if policy.edition is not None:
        return ds.editions.get(policy.edition)
    if policy.okrs:
        return in_force(ds, min(okr.fiscal_year for okr in policy.okrs))
    return min(ds.editions.values(), key=lambda e: e.first_year, default=None)


def same_plan(ds: Dataset, edition: Edition) -> list[Edition]:
    """``edition`` and the editions it renames: its ``previous`` chain while the kind stays."""
    chain = [edition]
    seen = {edition.id}
    previous = ds.editions.get(edition.previous) if edition.previous else None
    while previous is not None and previous.kind == edition.kind and previous.id not in seen:
        chain.append(previous)
        seen.add(previous.id)
        previous = ds.editions.get(previous.previous) if previous.previous else None
    return chain


def allowed_dimensions(ds: Dataset, edition: Edition) -> list[str]:
    """The dimensions a policy of ``edition`` may name: its own, then those of the editions of
    the same plan it renames."""
    out: list[str] = []
    for e in same_plan(ds, edition):
        out += [d for d in e.dimensions if d not in out]
    return out


def covers(ds: Dataset, edition: Edition, fiscal_year: int) -> bool:
    """True if an OKR for ``fiscal_year`` may belong to a policy of ``edition``: the edition in
    force that year is ``edition`` or a renaming of it (same kind, through ``previous``)."""
    current = in_force(ds, fiscal_year)
    if current is None:
        return False
    return edition.id in {e.id for e in same_plan(ds, current)} or current.id in {
        e.id for e in same_plan(ds, edition)
    }
