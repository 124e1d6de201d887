"""What a change to the plan changes: two datasets in, a ``PlanDiff`` out.

``compare`` is pure: it takes the dataset before and the dataset after (read by the loader
validate uses) and returns, per policy, what was added, removed or changed — targets, baselines,
units, directions, titles, H and R, OKRs, projects, and each agency's own target (allocations) —
and which stored report values the change would leave with nothing to report on.
``diff_revisions`` is the one function here that touches git and files: it reads both sides and
calls ``compare``.

Objects are matched by id across the whole plan, so a key result moved to another OKR or policy
is one change ("policy a → b"), not a removal and an addition.
"""

from __future__ import annotations

import dataclasses
import math
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from okrtool.dataset import AGENCIES_DIR, POLICIES_DIR, REPORTS_DIR, Dataset
from okrtool.model import KeyResult, Okr, Policy, Project
from okrtool.problems import Problem

Change = Literal["added", "removed", "changed", "unreadable"]
ADDED: Change = "added"
REMOVED: Change = "removed"
CHANGED: Change = "changed"
#: a policy whose file is on both sides but does not load on one: not compared
UNREADABLE: Change = "unreadable"

#: How many of a side's errors are quoted; the rest are counted by code.
ERRORS_QUOTED = 3

#: Fields compared, in the order a reader meets them.
POLICY_FIELDS = (
    "title_th",
    "title_en",
    "host",
    "dimension",
    "group",
    "standing_order",
    "district_section",
    "urgent",
    "key_project",
)
OKR_FIELDS = ("objective_th", "objective_en", "fiscal_year", "owner", "policy")
PROJECT_FIELDS = ("title_th", "title_en", "owner", "key_result", "status", "okr")
KEY_RESULT_FIELDS = (
    "title_th",
    "title_en",
    "target",
    "baseline",
    "unit",
    "unit_th",
    "direction",
    "measure",
    "aggregate",
    "okr",
    "parent",
)
#: Fields whose value is an agency id (shown by the agency's name).
AGENCY_FIELDS = frozenset({"host", "owner"})
#: Fields whose change is a number (shown with how much it changed).
NUMBER_FIELDS = frozenset({"target", "baseline"})


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
    fields: list[FieldChange] = field(default_factory=list)
    allocations: AllocationDiff | None = None
    #: how many agencies have an allocation (of an added or removed key result)
    allocated: int = 0


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

    @property
    def changed(self) -> bool:
        return bool(self.policies or self.orphans)

    def counts(self) -> dict[str, dict[str, int]]:
        """How many policies, OKRs and key results were added, removed or changed, and how many
        report values would be orphaned."""
        out: dict[str, dict[str, int]] = {
            kind: {CHANGED: 0, ADDED: 0, REMOVED: 0}
            for kind in ("policies", "okrs", "key_results", "projects")
        }
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
        }


# --- comparing ----------------------------------------------------------------------------------


def _agency(ds: Dataset, other: Dataset, agency_id: str | None) -> Name | None:
    """An agency's names; None for none (a policy whose host is not assigned yet)."""
    if agency_id is None:
        return None
    agency = ds.agencies.get(agency_id) or other.agencies.get(agency_id)
    if agency is None:
        return Name(agency_id, agency_id, agency_id)
    return Name(agency_id, agency.name_th, agency.name_en)


def _number(x: float | None) -> float | None:
    """An amount as a float (YAML gives 200000 or 200000.0 for the same target)."""
    return None if x is None else float(x)


def _field_change(name: str, old: Any, new: Any, old_ds: Dataset, new_ds: Dataset) -> FieldChange:
    change = FieldChange(name, old, new)
    if name in NUMBER_FIELDS and old is not None and new is not None:
        change.old, change.new = float(old), float(new)
        change.delta = float(new) - float(old)
        change.percent = change.delta / float(old) * 100 if old else None
    if name in AGENCY_FIELDS:
        change.old_name = _agency(old_ds, new_ds, old)
        change.new_name = _agency(new_ds, old_ds, new)
    return change


def _fields(
    names: tuple[str, ...],
    old: dict[str, Any],
    new: dict[str, Any],
    old_ds: Dataset,
    new_ds: Dataset,
) -> list[FieldChange]:
    return [
        _field_change(n, old.get(n), new.get(n), old_ds, new_ds)
        for n in names
        if old.get(n) != new.get(n)
    ]


def _policy_values(p: Policy) -> dict[str, Any]:
    return {f: getattr(p, f) for f in POLICY_FIELDS}


def _okr_values(ds: Dataset, okr: Okr) -> dict[str, Any]:
    values = {f: getattr(okr, f) for f in OKR_FIELDS if f != "policy"}
    values["policy"] = ds.okr_policy.get(okr.id)
    return values


def _kr_values(ds: Dataset, kr: KeyResult) -> dict[str, Any]:
    values = {f: getattr(kr, f) for f in KEY_RESULT_FIELDS if f not in ("okr", "parent")}
    values["okr"] = ds.kr_okr.get(kr.id)
    values["parent"] = ds.kr_parent.get(kr.id)
    return values


def _allocations(
    old_ds: Dataset, new_ds: Dataset, old: KeyResult, new: KeyResult
) -> AllocationDiff | None:
    """The allocations of a key result on both sides. When neither side writes any, the host
    carries the target alone on both, and the target's (or the host's) change says it all."""
    if not old.allocations and not new.allocations:
        return None
    before, after = old_ds.allocations(old.id), new_ds.allocations(new.id)
    if before == after:
        return None
    changes = []
    for agency in dict.fromkeys([*before, *after]):
        was, now = before.get(agency), after.get(agency)
        if was != now:
            delta = (now or 0.0) - (was or 0.0)
            changes.append(
                AllocationChange(_agency(new_ds, old_ds, agency), _number(was), _number(now), delta)
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


def _kr_diff(change: Change, kr: KeyResult, ds: Dataset) -> KeyResultDiff:
    """A key result as it stands in ``ds`` (the new side; the old one for a removed key result),
    its fields and allocations not yet compared."""
    unit = Unit(kr.unit, kr.unit_th)
    return KeyResultDiff(
        id=kr.id,
        change=change,
        title=Name(kr.id, kr.title_th, kr.title_en),
        unit=unit,
        old_unit=unit,
        target=float(kr.target),
        direction=kr.direction,
        parent=ds.kr_parent.get(kr.id),
        allocated=len(ds.allocations(kr.id)) if kr.id in ds.kr_policy else 0,
    )


def _okr_diff(change: Change, okr: Okr, ds: Dataset, other: Dataset) -> OkrDiff:
    return OkrDiff(
        id=okr.id,
        change=change,
        objective=Name(okr.id, okr.objective_th, okr.objective_en),
        fiscal_year=okr.fiscal_year,
        owner=_agency(ds, other, okr.owner),
        key_results=sum(1 for _ in okr.all_key_results()),
    )


def _project_diff(change: Change, project: Project, ds: Dataset, other: Dataset) -> ProjectDiff:
    return ProjectDiff(
        id=project.id,
        change=change,
        title=Name(project.id, project.title_th, project.title_en),
        owner=_agency(ds, other, project.owner),
        key_result=project.key_result,
        status=project.status,
    )


def _projects_of(ds: Dataset, policy: Policy) -> Iterator[tuple[str, Project]]:
    """(OKR id, project) of every project of ``policy`` (a duplicate id: its first home)."""
    for okr in policy.okrs:
        if ds.okr_policy.get(okr.id) != policy.id:
            continue
        for project in okr.projects:
            if ds.projects.get(project.id) is project:
                yield okr.id, project


def _projects(ds: Dataset) -> dict[str, tuple[str, Project]]:
    """Every project of ``ds`` by id, with the id of its OKR."""
    return {
        project.id: (okr_id, project)
        for policy in ds.policies.values()
        for okr_id, project in _projects_of(ds, policy)
    }


def _policy_shell(change: Change, p: Policy, ds: Dataset, other: Dataset) -> PolicyDiff:
    return PolicyDiff(
        id=p.id,
        change=change,
        title=Name(p.id, p.title_th, p.title_en),
        host=_agency(ds, other, p.host),
    )


def _key_results_of(ds: Dataset, policy: Policy) -> Iterator[KeyResult]:
    for _, kr in ds.iter_key_results(policy):
        if ds.kr_policy.get(kr.id) == policy.id:  # a duplicate id belongs to its first home
            yield kr


#: every project of the old and of the new side, by id, with the id of its OKR
Projects = tuple[dict[str, tuple[str, Project]], dict[str, tuple[str, Project]]]


def _policy_diff(
    old_ds: Dataset, new_ds: Dataset, pid: str, projects: Projects
) -> PolicyDiff | None:
    """What changed in the policy ``pid`` (None if nothing did)."""
    old, new = old_ds.policies.get(pid), new_ds.policies.get(pid)
    # a file on both sides that does not load on one: an error there, not a removal or addition
    if new is None and _does_not_load(new_ds, _file_of(old_ds, pid)):
        assert old is not None
        diff = _policy_shell(UNREADABLE, old, old_ds, new_ds)
        diff.unreadable_on = "new"
        return diff
    if old is None and _does_not_load(old_ds, _file_of(new_ds, pid)):
        assert new is not None
        diff = _policy_shell(UNREADABLE, new, new_ds, old_ds)
        diff.unreadable_on = "old"
        return diff
    if new is None:
        assert old is not None
        diff = _policy_shell(REMOVED, old, old_ds, new_ds)
        diff.supporters = [_agency(old_ds, new_ds, a) for a in old_ds.supporters(old)]
    elif old is None:
        diff = _policy_shell(ADDED, new, new_ds, old_ds)
        diff.supporters = [_agency(new_ds, old_ds, a) for a in new_ds.supporters(new)]
    else:
        diff = _policy_shell(CHANGED, new, new_ds, old_ds)
        diff.fields = _fields(
            POLICY_FIELDS, _policy_values(old), _policy_values(new), old_ds, new_ds
        )
        before, after = old_ds.supporters(old), new_ds.supporters(new)
        diff.supporters_added = [_agency(new_ds, old_ds, a) for a in after if a not in before]
        diff.supporters_removed = [_agency(old_ds, new_ds, a) for a in before if a not in after]

    # OKRs and key results: those that live here now, then those that lived here and are gone
    for okr in new.okrs if new else []:
        if new_ds.okr_policy.get(okr.id) != pid:
            continue
        was = old_ds.okrs.get(okr.id)
        if was is None:
            diff.okrs.append(_okr_diff(ADDED, okr, new_ds, old_ds))
            continue
        fields = _fields(
            OKR_FIELDS, _okr_values(old_ds, was), _okr_values(new_ds, okr), old_ds, new_ds
        )
        if fields:
            okr_diff = _okr_diff(CHANGED, okr, new_ds, old_ds)
            okr_diff.fields = fields
            diff.okrs.append(okr_diff)
    for okr in old.okrs if old else []:
        if old_ds.okr_policy.get(okr.id) == pid and okr.id not in new_ds.okrs:
            diff.okrs.append(_okr_diff(REMOVED, okr, old_ds, new_ds))

    for kr in _key_results_of(new_ds, new) if new else []:
        was = old_ds.key_results.get(kr.id)
        if was is None:
            diff.key_results.append(_kr_diff(ADDED, kr, new_ds))
            continue
        fields = _fields(
            KEY_RESULT_FIELDS, _kr_values(old_ds, was), _kr_values(new_ds, kr), old_ds, new_ds
        )
        allocations = _allocations(old_ds, new_ds, was, kr)
        if fields or allocations:
            kr_diff = _kr_diff(CHANGED, kr, new_ds)
            kr_diff.old_unit = Unit(was.unit, was.unit_th)
            kr_diff.fields = fields
            kr_diff.allocations = allocations
            diff.key_results.append(kr_diff)
    for kr in _key_results_of(old_ds, old) if old else []:
        if kr.id not in new_ds.key_results:
            diff.key_results.append(_kr_diff(REMOVED, kr, old_ds))

    old_projects, new_projects = projects
    for okr_id, project in _projects_of(new_ds, new) if new else []:
        if project.id not in old_projects:
            diff.projects.append(_project_diff(ADDED, project, new_ds, old_ds))
            continue
        was_okr, was = old_projects[project.id]
        before = {f: getattr(was, f) for f in PROJECT_FIELDS if f != "okr"} | {"okr": was_okr}
        after = {f: getattr(project, f) for f in PROJECT_FIELDS if f != "okr"} | {"okr": okr_id}
        fields = _fields(PROJECT_FIELDS, before, after, old_ds, new_ds)
        if fields:
            project_diff = _project_diff(CHANGED, project, new_ds, old_ds)
            project_diff.fields = fields
            diff.projects.append(project_diff)
    for _, project in _projects_of(old_ds, old) if old else []:
        if project.id not in new_projects:
            diff.projects.append(_project_diff(REMOVED, project, old_ds, new_ds))

    if diff.change == CHANGED and not (
        diff.fields
        or diff.supporters_added
        or diff.supporters_removed
        or diff.okrs
        or diff.key_results
        or diff.projects
    ):
        return None
    return diff


def _file_of(ds: Dataset, pid: str) -> str | None:
    where = ds.where.get(("policy", pid))
    return where.file if where else None


def _does_not_load(ds: Dataset, file: str | None) -> bool:
    """Whether ``ds`` has the policy file ``file`` but no policy read from it."""
    if file is None or file not in ds.files[POLICIES_DIR]:
        return False
    return not any(kind == "policy" and w.file == file for (kind, _), w in ds.where.items())


def _policy_order(old_ds: Dataset, new_ds: Dataset) -> list[str]:
    """Policy ids by the file they are written in (the new one, or the old for a removed one)."""
    place: dict[str, str] = {}
    for ds in (old_ds, new_ds):
        for pid in ds.policies:
            where = ds.where.get(("policy", pid))
            place[pid] = where.file if where else pid
    return sorted(place, key=lambda pid: (place[pid], pid))


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
                file=_under(data, origin),
                key_result=Name(kr_id, kr.title_th, kr.title_en),
                agency=_agency(new_ds, old_ds, agency),
                values=values,
                reason=lost[kr_id].reason,
            )
        )
    return out


def compare(
    old_ds: Dataset, new_ds: Dataset, data: str = ""
) -> tuple[list[PolicyDiff], list[Orphans]]:
    """Per policy, what changed from ``old_ds`` to ``new_ds``; and the report values of
    ``new_ds`` the change orphans (their files named under the folder ``data``)."""
    policies = []
    projects = (_projects(old_ds), _projects(new_ds))
    for pid in _policy_order(old_ds, new_ds):
        diff = _policy_diff(old_ds, new_ds, pid, projects)
        if diff is not None:
            policies.append(diff)
    return policies, orphaned_reports(old_ds, new_ds, data)


# --- reading the two sides ----------------------------------------------------------------------


def _under(data: str, path: str) -> str:
    """A path inside the data folder as the repository names it (``data/policies/…``)."""
    return f"{data}/{path}" if data else path


def _side(name: str, commit: str | None, errors: list[Problem], data: str) -> Side:
    located = [dataclasses.replace(p, file=_under(data, p.file)) for p in errors]
    return Side(
        name=name,
        commit=commit,
        errors=len(errors),
        error_codes=dict(sorted(Counter(p.code for p in errors).items())),
        first_errors=located[:ERRORS_QUOTED],
    )


def no_years(_ds: Dataset) -> list[int]:
    """Read no report file (``load_checked``'s ``years``)."""
    return []


def diff_revisions(data: Path, old: str | None = None, new: str | None = None) -> PlanDiff:
    """Compare the data folder ``data`` (inside a git repository) at revision ``old`` with
    revision ``new``, or with the working tree if ``new`` is None. Without ``old``: the merge
    base of HEAD with main. Each side is read and checked as validate reads it — the old side's
    plan, the new side's plan and the report files of the years where the change can orphan
    values; a side with errors is compared for what could be read, and its errors are
    summarised in the result."""
    from okrtool.io.git import MAIN_BRANCH, Repository
    from okrtool.rules.validate import check_data_folder, load_checked

    repo = Repository.of(data)
    base = repo.revision(old) if old is not None else repo.merge_base(MAIN_BRANCH)
    head = repo.revision(new) if new is not None else None
    plan = (AGENCIES_DIR, POLICIES_DIR)
    years: list[int] = []

    def report_years(new_ds: Dataset) -> list[int]:
        """Once the new plan is read: the years whose reports can hold orphans (``load_checked``
        reads those only), written out first when the new side is a revision."""
        years.extend(sorted(orphan_years(old_ds, new_ds)))
        if head is not None and years:
            repo.extract(head, new_root, tuple(f"{REPORTS_DIR}/{y}" for y in years))
        return years

    with tempfile.TemporaryDirectory(prefix="okrtool-diff-") as tmp:
        # the old side's plan only: its report values are not what the change is about
        old_ds, old_errors = load_checked(repo.extract(base, Path(tmp) / "old", plan), no_years)
        if head is None:
            new_root = repo.working_data
            check_data_folder(new_root)
        else:
            new_root = repo.extract(head, Path(tmp) / "new", plan)
        new_ds, new_errors = load_checked(new_root, report_years)
    old_side = _side(base.name, base.commit, old_errors, repo.data)
    if old is None:
        old_side.merge_base_of = base.name
    new_side = _side(
        head.name if head else "working tree", head.commit if head else None, new_errors, repo.data
    )
    new_side.report_years = years
    policies, orphans = compare(old_ds, new_ds, repo.data)
    return PlanDiff(repo.data, old_side, new_side, policies, orphans)
