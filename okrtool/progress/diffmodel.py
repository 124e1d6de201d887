"""What a plan diff holds: the ``PlanDiff`` of two revisions and its parts, as plain data."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from okrtool.problems import Problem

if TYPE_CHECKING:
    from okrtool.dataset import Dataset

Change = Literal["added", "removed", "changed", "renamed", "unreadable"]
ADDED: Change = "added"
REMOVED: Change = "removed"
CHANGED: Change = "changed"
#: a policy under a new id (its file, its OKRs or its title kept): one change, not two
RENAMED: Change = "renamed"
#: a policy whose file is on both sides but does not load on one: not compared
UNREADABLE: Change = "unreadable"

#: How many of a side's errors are quoted; the rest are counted by code.
ERRORS_QUOTED = 3


@dataclass(frozen=True)
class Name:
    """Something with an id and a Thai and English name (or title)."""

    id: str
    th: str
    en: str


@dataclass(frozen=True)
class Unit:
    """A key result's unit: its code (``trees``, ``percent``) and its Thai word."""

    code: str
    th: str | None = None

    @property
    def is_percent(self) -> bool:
        return self.code == "percent"


@dataclass
class FieldChange:
    """One field, old → new. Numbers carry the difference and, from a non-zero old value, the
    difference in percent of it; agency fields carry both agencies' names."""

    field: str
    old: Any
    new: Any
    delta: float | None = None
    percent: float | None = None
    old_name: Name | None = None
    new_name: Name | None = None


@dataclass
class AllocationChange:
    """One agency's own target on a key result, old → new (None: no allocation)."""

    agency: Name
    old: float | None
    new: float | None
    delta: float


@dataclass
class BindingChange:
    """An agency that bound (ผูก) its own OKR to a key result, whose binding was removed, or
    whose binding changed (another OKR's title, or another date): what ``bound:`` records, with
    its OKR's title and date on the side that has it (the new side for a changed one, the old
    title and date beside)."""

    agency: Name
    change: Change
    okr_title: str
    #: the date recorded with the binding (ISO), if any
    date: str | None = None
    #: of a changed binding: its OKR's title and date before
    old_okr_title: str | None = None
    old_date: str | None = None


@dataclass
class AllocationDiff:
    """How a key result's allocations changed: each agency's own target, and for a summed key
    result the totals, how much was ``cut`` from ``givers`` and ``added`` to ``takers``, and —
    when the total is unchanged — how much ``moved`` from them to them."""

    changes: list[AllocationChange]
    summed: bool
    total_old: float
    total_new: float
    #: total_new − total_old (0 when the totals agree to float precision)
    total_delta: float
    cut: float
    added: float
    moved: float
    givers: list[Name]
    takers: list[Name]
    #: the same own targets, now written in the file ("written": the host carried the target
    #: alone without it) or no longer ("unwritten"); ``changes`` then holds them, old = new
    written: Literal["written", "unwritten"] | None = None


@dataclass
class KeyResultDiff:
    id: str
    change: Change
    title: Name
    unit: Unit
    old_unit: Unit
    target: float
    direction: str
    parent: str | None
    #: the rest of its fields as they stand (what a new key result is shown with)
    baseline: float = 0.0
    measure: str = ""
    aggregate: str = ""
    #: of an added key result, how it is reported: monthly, or quarterly when its stored values
    #: are quarters (``Dataset.frequency``)
    frequency: str | None = None
    fields: list[FieldChange] = field(default_factory=list)
    allocations: AllocationDiff | None = None
    #: how many agencies have an allocation (of an added or removed key result)
    allocated: int = 0
    #: agencies that bound or unbound (a changed key result), in the order of its bindings
    bindings: list[BindingChange] = field(default_factory=list)


@dataclass
class OkrDiff:
    id: str
    change: Change
    objective: Name
    fiscal_year: int
    owner: Name
    key_results: int
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class ProjectDiff:
    """A project or activity bound to an OKR (โครงการ/กิจกรรม), added, removed or changed."""

    id: str
    change: Change
    title: Name
    owner: Name
    key_result: str | None
    status: str
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class PolicyDiff:
    id: str
    change: Change
    title: Name
    #: None while the policy has no host assigned yet
    host: Name | None
    fields: list[FieldChange] = field(default_factory=list)
    supporters_added: list[Name] = field(default_factory=list)
    supporters_removed: list[Name] = field(default_factory=list)
    okrs: list[OkrDiff] = field(default_factory=list)
    key_results: list[KeyResultDiff] = field(default_factory=list)
    projects: list[ProjectDiff] = field(default_factory=list)
    #: of an added or removed policy: all its supporters
    supporters: list[Name] = field(default_factory=list)
    #: of an unreadable policy: the side ("old" or "new") on which its file does not load
    unreadable_on: str | None = None
    #: of a renamed policy: its id before (``id`` is the new one)
    old_id: str | None = None


@dataclass
class Orphans:
    """Stored values of one agency on one key result, in one report file, that would have
    nothing to report on: the key result is gone, or the agency's allocation on it is."""

    file: str
    key_result: Name
    agency: Name
    values: int
    reason: Literal["key-result-removed", "allocation-removed"]


@dataclass
class ValueChange:
    """One stored report value added, changed or removed: in which report file, by which
    agency, on which key result and period; ``old``/``new`` None where there is no value."""

    file: str
    agency: Name
    key_result: Name
    period: str
    change: Change
    old: float | None
    new: float | None
    #: the key result's unit (the new side's, else the old side's); None if neither knows it
    unit: Unit | None = None


@dataclass
class Side:
    """One side of the comparison: a commit, or the working tree (``commit`` None)."""

    name: str
    commit: str | None
    #: the branch whose merge base with HEAD this is, when no revision was named
    merge_base_of: str | None = None
    errors: int = 0
    error_codes: dict[str, int] = field(default_factory=dict)
    first_errors: list[Problem] = field(default_factory=list)
    #: the fiscal years whose report files were read and checked: on the new side, the years of
    #: the key results that lose an allocation (where orphans can be); none on the old side
    report_years: list[int] = field(default_factory=list)
    #: why the side's plan does not load at all (no agency and no policy read), in one line;
    #: None when it does. Its policies are then not compared.
    unloaded: str | None = None

    @property
    def short(self) -> str | None:
        return self.commit[:10] if self.commit else None


@dataclass
class PlanDiff:
    """Everything a change to the plan changes, per policy, and the report values it orphans."""

    data: str
    old: Side
    new: Side
    policies: list[PolicyDiff]
    orphans: list[Orphans]
    #: report values added, changed or removed, by file, key result and period
    values: list[ValueChange] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.policies or self.orphans or self.values)

    @property
    def compared(self) -> bool:
        """Whether the plans were compared (both sides load)."""
        return self.old.unloaded is None and self.new.unloaded is None

    def counts(self) -> dict[str, dict[str, int]]:
        """How many policies, OKRs and key results were added, removed or changed, and how many
        report values would be orphaned."""
        out: dict[str, dict[str, int]] = {
            kind: {CHANGED: 0, ADDED: 0, REMOVED: 0}
            for kind in ("policies", "okrs", "key_results", "projects")
        }
        out["policies"][RENAMED] = 0
        out["policies"][UNREADABLE] = 0
        for p in self.policies:
            out["policies"][p.change] += 1
            for o in p.okrs:
                out["okrs"][o.change] += 1
            for k in p.key_results:
                out["key_results"][k.change] += 1
            for j in p.projects:
                out["projects"][j.change] += 1
        out["orphaned_values"] = {"values": sum(o.values for o in self.orphans)}
        out["report_values"] = {CHANGED: 0, ADDED: 0, REMOVED: 0}
        for v in self.values:
            out["report_values"][v.change] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        """The diff as plain data (``--format json``)."""

        def side(s: Side) -> dict[str, Any]:
            d = dataclasses.asdict(s)
            d["first_errors"] = [p.to_dict() for p in s.first_errors]
            return d

        return {
            "data": self.data,
            "old": side(self.old),
            "new": side(self.new),
            "changed": self.changed,
            "counts": self.counts(),
            "policies": [dataclasses.asdict(p) for p in self.policies],
            "orphans": [dataclasses.asdict(o) for o in self.orphans],
            "values": [dataclasses.asdict(v) for v in self.values],
        }


def in_repository(data: str, path: str) -> str:
    """A path inside the data folder as the repository names it (``data/policies/…``)."""
    return f"{data}/{path}" if data else path


def agency_name(ds: Dataset, other: Dataset, agency_id: str | None) -> Name | None:
    """An agency's names, from ``ds`` or else ``other``; None for none (a policy whose host
    is not assigned yet)."""
    if agency_id is None:
        return None
    agency = ds.agencies.get(agency_id) or other.agencies.get(agency_id)
    if agency is None:
        return Name(agency_id, agency_id, agency_id)
    return Name(agency_id, agency.name_th, agency.name_en)
