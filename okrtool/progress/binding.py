"""Who has bound (ผูก) an OKR to a host's goal: the one home of what "bound" means.

An R agency is bound on a key result when it has its own target there (an allocation) and, on a
key result that records bindings (``bound:``, written by import-plan), the title of its own OKR
bound to it. A key result without ``bound:`` was written before bindings were recorded: its
allocations count as bound, as they always did (docs/data-format.md, "Binding").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from okrtool.dataset import Dataset
from okrtool.model import KeyResult, Policy


def has_bound(kr: KeyResult, agency: str) -> bool:
    """True if ``agency`` has bound its OKR to ``kr``: an own target, and its OKR's title
    where ``kr`` records bindings."""
    return agency in kr.allocations and (kr.bound is None or agency in kr.bound)


def unbound_supporters(ds: Dataset, policy: Policy, krs: Iterable[KeyResult]) -> list[str]:
    """The R agencies of ``policy`` not bound on ``krs``: with no own target on any of them, or
    with one on a key result that records bindings and no OKR bound to it there."""
    krs = list(krs)
    out = []
    for agency in ds.supporters(policy):
        if agency not in ds.agencies or agency == policy.host:
            continue
        allocated = [kr for kr in krs if agency in kr.allocations]
        if not allocated or not all(has_bound(kr, agency) for kr in allocated):
            out.append(agency)
    return out


@dataclass(frozen=True)
class BindingCount:
    """Of the own targets on key results that record bindings: how many are bound."""

    key_results: int
    own_targets: int
    bound: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "key_results": self.key_results,
            "own_targets": self.own_targets,
            "bound": self.bound,
        }


def binding_count(ds: Dataset, krs: Iterable[tuple[Policy, KeyResult]]) -> BindingCount | None:
    """How many R agencies' own targets on ``krs`` are bound to their own OKR, counted on the
    key results that record bindings; None when none of them does."""
    tracked = [(p, kr) for p, kr in krs if kr.bound is not None]
    if not tracked:
        return None
    pairs = [
        (kr, agency) for policy, kr in tracked for agency in kr.allocations if agency != policy.host
    ]
    bound = sum(has_bound(kr, agency) for kr, agency in pairs)
    return BindingCount(len(tracked), len(pairs), bound)
