"""Comparing two plans: per policy, what was added, removed, renamed or changed.

Targets, baselines, units, directions, titles, H and R, OKRs, projects, each agency's own
target (allocations), who bound its own OKR to a key result (and to which OKR), and whether a
key result records bindings at all. Objects are matched by id across the whole plan, so a key
result moved to another OKR or policy is one change ("policy a → b"), not a removal and an
addition; a policy under a new id that keeps its file, its OKRs or its title is a rename.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from okrtool.dataset import POLICIES_DIR, Dataset
from okrtool.model import KeyResult, Okr, Policy, Project
from okrtool.progress.allocationdiff import allocation_diff, binding_changes
from okrtool.progress.diffmodel import (
    ADDED,
    CHANGED,
    REMOVED,
    RENAMED,
    UNREADABLE,
    Change,
    FieldChange,
    KeyResultDiff,
    Name,
    OkrDiff,
    PolicyDiff,
    ProjectDiff,
    Unit,
    agency_name,
)

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
    "records_bindings",
)
#: Fields whose value is an agency id (shown by the agency's name).
AGENCY_FIELDS = frozenset({"host", "owner"})
#: Fields whose change is a number (shown with how much it changed).
NUMBER_FIELDS = frozenset({"target", "baseline"})


def _field_change(name: str, old: Any, new: Any, old_ds: Dataset, new_ds: Dataset) -> FieldChange:
    change = FieldChange(name, old, new)
    if name in NUMBER_FIELDS and old is not None and new is not None:
        change.old, change.new = float(old), float(new)
        change.delta = float(new) - float(old)
        change.percent = change.delta / float(old) * 100 if old else None
    if name in AGENCY_FIELDS:
        change.old_name = agency_name(old_ds, new_ds, old)
        change.new_name = agency_name(new_ds, old_ds, new)
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
    derived = ("okr", "parent", "records_bindings")
    values = {f: getattr(kr, f) for f in KEY_RESULT_FIELDS if f not in derived}
    values["okr"] = ds.kr_okr.get(kr.id)
    values["parent"] = ds.kr_parent.get(kr.id)
    # ``bound:`` present (even empty): from then on an own target counts only once bound
    values["records_bindings"] = kr.bound is not None
    return values


def _frequency(kr: KeyResult, ds: Dataset) -> str:
    """How ``kr`` is reported in its OKR's fiscal year (``progress.frequency``: by quarter when
    every value of that year is for a quarter; with none, as a new key result has, by month)."""
    from okrtool.progress.frequency import MONTHLY, frequencies

    okr = ds.okrs.get(ds.kr_okr.get(kr.id, ""))
    if okr is None:
        return MONTHLY
    return frequencies(ds, okr.fiscal_year).key_result_frequency(kr.id)


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
        baseline=float(kr.baseline),
        measure=kr.measure,
        aggregate=kr.aggregate,
        frequency=_frequency(kr, ds) if change == ADDED else None,
        allocated=len(ds.allocations(kr.id)) if kr.id in ds.kr_policy else 0,
    )


def _okr_diff(change: Change, okr: Okr, ds: Dataset, other: Dataset) -> OkrDiff:
    return OkrDiff(
        id=okr.id,
        change=change,
        objective=Name(okr.id, okr.objective_th, okr.objective_en),
        fiscal_year=okr.fiscal_year,
        owner=agency_name(ds, other, okr.owner),
        key_results=sum(1 for _ in okr.all_key_results()),
    )


def _project_diff(change: Change, project: Project, ds: Dataset, other: Dataset) -> ProjectDiff:
    return ProjectDiff(
        id=project.id,
        change=change,
        title=Name(project.id, project.title_th, project.title_en),
        owner=agency_name(ds, other, project.owner),
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
        host=agency_name(ds, other, p.host),
    )


def _key_results_of(ds: Dataset, policy: Policy) -> Iterator[KeyResult]:
    for _, kr in ds.iter_key_results(policy):
        if ds.kr_policy.get(kr.id) == policy.id:  # a duplicate id belongs to its first home
            yield kr


#: every project of the old and of the new side, by id, with the id of its OKR
Projects = tuple[dict[str, tuple[str, Project]], dict[str, tuple[str, Project]]]


def _policy_diff(
    old_ds: Dataset,
    new_ds: Dataset,
    pid: str,
    projects: Projects,
    renamed: dict[str, str],
) -> PolicyDiff | None:
    """What changed in the policy ``pid`` (None if nothing did). ``renamed``: new id → old id
    of the policies under a new id; ``pid`` is then the new id."""
    old_pid = renamed.get(pid, pid)
    old, new = old_ds.policies.get(old_pid), new_ds.policies.get(pid)
    # a file on both sides that does not load on one: an error there, not a removal or addition
    if new is None and _does_not_load(new_ds, file_of(old_ds, pid)):
        assert old is not None
        diff = _policy_shell(UNREADABLE, old, old_ds, new_ds)
        diff.unreadable_on = "new"
        return diff
    if old is None and _does_not_load(old_ds, file_of(new_ds, pid)):
        assert new is not None
        diff = _policy_shell(UNREADABLE, new, new_ds, old_ds)
        diff.unreadable_on = "old"
        return diff
    if new is None:
        assert old is not None
        diff = _policy_shell(REMOVED, old, old_ds, new_ds)
        diff.supporters = [agency_name(old_ds, new_ds, a) for a in old_ds.supporters(old)]
    elif old is None:
        diff = _policy_shell(ADDED, new, new_ds, old_ds)
        diff.supporters = [agency_name(new_ds, old_ds, a) for a in new_ds.supporters(new)]
    else:
        diff = _policy_shell(CHANGED if old_pid == pid else RENAMED, new, new_ds, old_ds)
        if old_pid != pid:
            diff.old_id = old_pid
        diff.fields = _fields(
            POLICY_FIELDS, _policy_values(old), _policy_values(new), old_ds, new_ds
        )
        before, after = old_ds.supporters(old), new_ds.supporters(new)
        diff.supporters_added = [agency_name(new_ds, old_ds, a) for a in after if a not in before]
        diff.supporters_removed = [agency_name(old_ds, new_ds, a) for a in before if a not in after]
    moved_with = {old_id: new_id for new_id, old_id in renamed.items()}

    # OKRs and key results: those that live here now, then those that lived here and are gone
    for okr in new.okrs if new else []:
        if new_ds.okr_policy.get(okr.id) != pid:
            continue
        was = old_ds.okrs.get(okr.id)
        if was is None:
            diff.okrs.append(_okr_diff(ADDED, okr, new_ds, old_ds))
            continue
        before_values = _okr_values(old_ds, was)
        # an OKR that moved with its renamed policy has not changed policy
        before_values["policy"] = moved_with.get(before_values["policy"], before_values["policy"])
        fields = _fields(OKR_FIELDS, before_values, _okr_values(new_ds, okr), old_ds, new_ds)
        if fields:
            okr_diff = _okr_diff(CHANGED, okr, new_ds, old_ds)
            okr_diff.fields = fields
            diff.okrs.append(okr_diff)
    for okr in old.okrs if old else []:
        if old_ds.okr_policy.get(okr.id) == old_pid and okr.id not in new_ds.okrs:
            diff.okrs.append(_okr_diff(REMOVED, okr, old_ds, new_ds))

    for kr in _key_results_of(new_ds, new) if new else []:
        was_kr = old_ds.key_results.get(kr.id)
        if was_kr is None:
            diff.key_results.append(_kr_diff(ADDED, kr, new_ds))
            continue
        fields = _fields(
            KEY_RESULT_FIELDS, _kr_values(old_ds, was_kr), _kr_values(new_ds, kr), old_ds, new_ds
        )
        allocations = allocation_diff(old_ds, new_ds, was_kr, kr)
        bindings = binding_changes(old_ds, new_ds, was_kr, kr)
        if fields or allocations or bindings:
            kr_diff = _kr_diff(CHANGED, kr, new_ds)
            kr_diff.old_unit = Unit(was_kr.unit, was_kr.unit_th)
            kr_diff.fields = fields
            kr_diff.allocations = allocations
            kr_diff.bindings = bindings
            diff.key_results.append(kr_diff)
    for kr in _key_results_of(old_ds, old) if old else []:
        if kr.id not in new_ds.key_results:
            diff.key_results.append(_kr_diff(REMOVED, kr, old_ds))

    _compare_projects(diff, old_ds, new_ds, (old, new), projects)
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


def _compare_projects(
    diff: PolicyDiff,
    old_ds: Dataset,
    new_ds: Dataset,
    policies: tuple[Policy | None, Policy | None],
    projects: Projects,
) -> None:
    """Add to ``diff`` the projects of the policy added, removed or changed."""
    old, new = policies
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


def file_of(ds: Dataset, pid: str) -> str | None:
    """The file the policy ``pid`` is written in (relative to the data folder), if any."""
    where = ds.where.get(("policy", pid))
    return where.file if where else None


def _does_not_load(ds: Dataset, file: str | None) -> bool:
    """Whether ``ds`` has the policy file ``file`` but no policy read from it."""
    if file is None or file not in ds.files[POLICIES_DIR]:
        return False
    return not any(kind == "policy" and w.file == file for (kind, _), w in ds.where.items())


def _policy_order(old_ds: Dataset, new_ds: Dataset, renamed: dict[str, str]) -> list[str]:
    """Policy ids by the file they are written in (the new one, or the old for a removed one);
    a renamed policy once, by its new id."""
    gone = set(renamed.values())
    place: dict[str, str] = {}
    for ds in (old_ds, new_ds):
        for pid in ds.policies:
            if ds is old_ds and pid in gone:
                continue
            place[pid] = file_of(ds, pid) or pid
    return sorted(place, key=lambda pid: (place[pid], pid))


def renames(old_ds: Dataset, new_ds: Dataset) -> dict[str, str]:
    """new id → old id of each policy that is only in ``new_ds`` and matches one only in
    ``old_ds``: written in the same file, holding the same OKRs (by id), or with the same Thai
    or English title — in that order of trust, each policy paired once."""
    # a policy whose file does not load on the other side is not compared, nor paired
    removed = [
        pid
        for pid in old_ds.policies
        if pid not in new_ds.policies and not _does_not_load(new_ds, file_of(old_ds, pid))
    ]
    added = [
        pid
        for pid in new_ds.policies
        if pid not in old_ds.policies and not _does_not_load(old_ds, file_of(new_ds, pid))
    ]
    if not removed or not added:
        return {}

    def okrs(ds: Dataset, pid: str) -> frozenset[str]:
        return frozenset(o.id for o in ds.policies[pid].okrs)

    def titles(ds: Dataset, pid: str) -> set[str]:
        p = ds.policies[pid]
        return {t for t in (p.title_th, p.title_en) if t}

    tests = (
        lambda old, new: file_of(old_ds, old) == file_of(new_ds, new),
        lambda old, new: bool(okrs(old_ds, old)) and okrs(old_ds, old) == okrs(new_ds, new),
        lambda old, new: bool(titles(old_ds, old) & titles(new_ds, new)),
    )
    pairs: dict[str, str] = {}
    for same in tests:
        for new in added:
            if new in pairs:
                continue
            for old in removed:
                if old not in pairs.values() and same(old, new):
                    pairs[new] = old
                    break
    return pairs


def compare_plans(old_ds: Dataset, new_ds: Dataset) -> list[PolicyDiff]:
    """Per policy, what changed in the plan from ``old_ds`` to ``new_ds``."""
    policies = []
    projects = (_projects(old_ds), _projects(new_ds))
    renamed = renames(old_ds, new_ds)
    for pid in _policy_order(old_ds, new_ds, renamed):
        diff = _policy_diff(old_ds, new_ds, pid, projects, renamed)
        if diff is not None:
            policies.append(diff)
    return policies
