"""Comparing the stored report values of two sides: values added, changed or removed; orphans.

``value_changes``: every value that differs, by file, agency, key result and period.
``orphaned_reports``: the values a plan change leaves with nothing to report on (its key result
or the agency's allocation on it gone), and ``orphan_years``, where such values can be.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from okrtool.dataset import Dataset
from okrtool.model import ReportValue
from okrtool.progress.diffmodel import (
    ADDED,
    CHANGED,
    REMOVED,
    Change,
    Name,
    Orphans,
    Unit,
    ValueChange,
    agency_name,
    in_repository,
)


@dataclass(frozen=True)
class LostAllocations:
    """A key result of the old plan on which agencies lose their allocation: all of them when
    the key result is gone, some when only their allocations are. ``years``: its fiscal year,
    old and new, where their report values are kept."""

    reason: Literal["key-result-removed", "allocation-removed"]
    agencies: frozenset[str]
    years: frozenset[int]


def lost_allocations(old_ds: Dataset, new_ds: Dataset) -> dict[str, LostAllocations]:
    """Every key result of ``old_ds`` on which some agency that had an allocation has none in
    ``new_ds`` (``new_ds`` need hold the plan only). A key result missing because its policy
    file does not load is not counted: validate reports that file."""
    lost: dict[str, LostAllocations] = {}
    for kr_id, okr_id in old_ds.kr_okr.items():
        if kr_id not in old_ds.kr_policy:
            continue
        before = old_ds.allocations(kr_id)
        year = old_ds.okrs[okr_id].fiscal_year
        if kr_id not in new_ds.key_results or kr_id not in new_ds.kr_policy:
            if new_ds.policies_unreadable or kr_id in new_ds.unverified_key_results:
                continue
            lost[kr_id] = LostAllocations(
                "key-result-removed", frozenset(before), frozenset({year})
            )
            continue
        after = new_ds.allocations(kr_id)
        gone = frozenset(agency for agency in before if agency not in after)
        if gone:
            new_year = new_ds.okrs[new_ds.kr_okr[kr_id]].fiscal_year
            lost[kr_id] = LostAllocations("allocation-removed", gone, frozenset({year, new_year}))
    return lost


def orphan_years(old_ds: Dataset, new_ds: Dataset) -> set[int]:
    """The fiscal years whose report files can hold values the change orphans."""
    return {y for lost in lost_allocations(old_ds, new_ds).values() for y in lost.years}


def orphaned_reports(old_ds: Dataset, new_ds: Dataset, data: str = "") -> list[Orphans]:
    """Report values of ``new_ds`` that had a key result and an allocation in ``old_ds`` and
    have none in ``new_ds``, counted per report file, key result and agency."""
    lost = lost_allocations(old_ds, new_ds)
    counts: Counter[tuple[str, str, str]] = Counter()
    for rv in new_ds.reports:
        gone = lost.get(rv.key_result)
        if gone is not None and rv.agency in gone.agencies:
            counts[(rv.origin, rv.key_result, rv.agency)] += 1
    out = []
    for (origin, kr_id, agency), values in sorted(counts.items()):
        kr = old_ds.key_results[kr_id]
        out.append(
            Orphans(
                file=in_repository(data, origin),
                key_result=Name(kr_id, kr.title_th, kr.title_en),
                agency=agency_name(new_ds, old_ds, agency),
                values=values,
                reason=lost[kr_id].reason,
            )
        )
    return out


#: a stored value's place: its report file (relative to the data folder), key result, period,
#: and which of the values written for that key result and period it is (a repeat is E-coded)
_Place = tuple[str, str, tuple[int, ...], str, int]


def _places(values: Iterable[ReportValue]) -> dict[_Place, ReportValue]:
    out: dict[_Place, ReportValue] = {}
    seen: Counter[tuple[str, str, str]] = Counter()
    for rv in values:
        key = (rv.origin, rv.key_result, str(rv.period))
        seen[key] += 1
        # periods in time order: the fiscal year, then the first day
        when = (rv.period.fiscal_year, rv.period.start.toordinal(), rv.period.months)
        out[(rv.origin, rv.key_result, when, str(rv.period), seen[key])] = rv
    return out


def _key_result(old_ds: Dataset, new_ds: Dataset, kr_id: str) -> tuple[Name, Unit | None]:
    kr = new_ds.key_results.get(kr_id) or old_ds.key_results.get(kr_id)
    if kr is None:
        return Name(kr_id, kr_id, kr_id), None
    return Name(kr_id, kr.title_th, kr.title_en), Unit(kr.unit, kr.unit_th)


def value_changes(
    old_values: Iterable[ReportValue],
    new_values: Iterable[ReportValue],
    old_ds: Dataset,
    new_ds: Dataset,
    data: str = "",
) -> list[ValueChange]:
    """The stored values added, changed or removed from ``old_values`` to ``new_values`` (the
    values of the report files that differ between the two sides), by file, key result and
    period; names from the plans ``old_ds`` and ``new_ds``."""
    before, after = _places(old_values), _places(new_values)
    out = []
    for place in sorted(before.keys() | after.keys()):
        was, now = before.get(place), after.get(place)
        old = None if was is None else was.value
        new = None if now is None else now.value
        if old == new:
            continue
        change: Change = CHANGED if was and now else ADDED if now else REMOVED
        rv = now or was
        assert rv is not None
        title, unit = _key_result(old_ds, new_ds, rv.key_result)
        out.append(
            ValueChange(
                file=in_repository(data, rv.origin),
                agency=agency_name(new_ds, old_ds, rv.agency) or Name(rv.agency, "", ""),
                key_result=title,
                period=place[3],
                change=change,
                old=old,
                new=new,
                unit=unit,
            )
        )
    return out
