"""How a key result's allocations (each agency's own target) changed: who gave, who took, totals;
and who bound (ผูก) its own OKR to it, bound another one, or unbound it."""

from __future__ import annotations

import math
from datetime import date
from typing import Literal

from okrtool.dataset import Dataset
from okrtool.model import KeyResult
from okrtool.progress.diffmodel import (
    ADDED,
    CHANGED,
    REMOVED,
    AllocationChange,
    AllocationDiff,
    BindingChange,
    Name,
    agency_name,
)


def _number(x: float | None) -> float | None:
    """An amount as a float (YAML gives 200000 or 200000.0 for the same target)."""
    return None if x is None else float(x)


def allocation_diff(
    old_ds: Dataset, new_ds: Dataset, old: KeyResult, new: KeyResult
) -> AllocationDiff | None:
    """The allocations of a key result on both sides. When neither side writes any, the host
    carries the target alone on both, and the target's (or the host's) change says it all."""
    if not old.allocations and not new.allocations:
        return None
    before, after = old_ds.allocations(old.id), new_ds.allocations(new.id)
    if before == after:
        if bool(old.allocations) == bool(new.allocations):
            return None
        # written down (or no longer): what the host carried alone, the same own targets
        return _written(new_ds, old_ds, after, new, "written" if new.allocations else "unwritten")
    changes = []
    for agency in dict.fromkeys([*before, *after]):
        was, now = before.get(agency), after.get(agency)
        if was != now:
            delta = (now or 0.0) - (was or 0.0)
            changes.append(
                AllocationChange(
                    agency_name(new_ds, old_ds, agency), _number(was), _number(now), delta
                )
            )
    # the largest cuts first, then the largest rises: who gave, who took
    changes.sort(key=lambda c: (c.delta > 0, -abs(c.delta), c.agency.id))
    cut = -sum(c.delta for c in changes if c.delta < 0)
    added = sum(c.delta for c in changes if c.delta > 0)
    total_old, total_new = float(sum(before.values())), float(sum(after.values()))
    same_total = math.isclose(total_old, total_new)
    return AllocationDiff(
        changes=changes,
        summed=new.aggregate == "sum",
        total_old=total_old,
        total_new=total_new,
        total_delta=0.0 if same_total else total_new - total_old,
        cut=cut,
        added=added,
        moved=cut if same_total else 0.0,
        givers=[c.agency for c in changes if c.delta < 0],
        takers=[c.agency for c in changes if c.delta > 0],
    )


def _written(
    new_ds: Dataset,
    old_ds: Dataset,
    allocations: dict[str, float],
    kr: KeyResult,
    written: Literal["written", "unwritten"],
) -> AllocationDiff:
    """Own targets that did not change, now written in the file or no longer."""
    total = float(sum(allocations.values()))
    unchanged = [
        AllocationChange(agency_name(new_ds, old_ds, a), float(v), float(v), 0.0)
        for a, v in allocations.items()
    ]
    return AllocationDiff(
        changes=unchanged,
        summed=kr.aggregate == "sum",
        total_old=total,
        total_new=total,
        total_delta=0.0,
        cut=0.0,
        added=0.0,
        moved=0.0,
        givers=[],
        takers=[],
        written=written,
    )


def binding_changes(
    old_ds: Dataset, new_ds: Dataset, old: KeyResult, new: KeyResult
) -> list[BindingChange]:
    """The agencies whose binding recorded on the key result (``bound:``) went, changed (its
    OKR's title or its date) or appeared: the unbound first, then the changed, then the bound,
    each in the order of their side's bindings."""
    before, after = old.bound or {}, new.bound or {}

    def name(agency: str) -> Name | None:
        return agency_name(new_ds, old_ds, agency)

    gone = [
        BindingChange(name(a), REMOVED, b.okr_title, _iso(b.date))
        for a, b in before.items()
        if a not in after
    ]
    changed = [
        BindingChange(name(a), CHANGED, b.okr_title, _iso(b.date), was.okr_title, _iso(was.date))
        for a, b in after.items()
        if (was := before.get(a)) is not None and (was.okr_title, was.date) != (b.okr_title, b.date)
    ]
    came = [
        BindingChange(name(a), ADDED, b.okr_title, _iso(b.date))
        for a, b in after.items()
        if a not in before
    ]
    return gone + changed + came


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None
