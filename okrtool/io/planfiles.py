"""The agency and policy files (YAML) read into a Dataset, by id and place.

What does not load or validate becomes located Problems (E101-E109).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

from pydantic import TypeAdapter, ValidationError

from okrtool.dataset import Dataset, Where
from okrtool.io.load import MAX_FILE_BYTES, YamlError
from okrtool.io.modelproblems import found_text, model_problems
from okrtool.io.yamlcache import ParseCache
from okrtool.model import AgencyFile, Licence, Policy, ReportingCalendar
from okrtool.problems import Problem


def _load_mapping(
    path: Path, rel: str, problems: list[Problem], cache: ParseCache
) -> dict[str, Any] | None:
    try:
        loaded = cache.read(path)
    except YamlError as exc:
        problems.append(Problem(exc.code, rel, exc.message, exc.line, exc.column))
        return None
    except OSError as exc:
        problems.append(Problem("E106", rel, f"cannot read the file: {exc.strerror}", 1, 1))
        return None
    for dup in loaded.duplicates:
        problems.append(
            Problem(
                "E102",
                rel,
                f"key '{dup.key}' written twice in one mapping (first at line {dup.first_line})",
                dup.line,
                dup.column,
                hint="keep one; YAML would silently use the last",
            )
        )
    for bad in loaded.bad_values:
        problems.append(Problem(bad.code, rel, bad.message, bad.line, bad.column))
    if loaded.bad_values:  # read no further, as for a syntax error: its ids are kept unverified
        return None
    if not isinstance(loaded.data, dict):
        found = "the file is empty" if loaded.data is None else f"found {found_text(loaded.data)}"
        problems.append(Problem("E106", rel, f"{found}; expected a mapping of keys", 1, 1))
        return None
    return loaded.data


_agency_file = TypeAdapter(AgencyFile)
_policy = TypeAdapter(Policy)


def _register(ds: Dataset, kind: str, table: dict[str, Any], obj: Any, where: Where) -> None:
    key = (kind, obj.id)
    if key in ds.where:
        ds.duplicates.append((kind, obj.id, where))
        return
    ds.where[key] = where
    table[obj.id] = obj


def _valid_items(ds: Dataset, data: dict[str, Any]) -> AgencyFile:
    """The entries of an agency file that are valid on their own, so one bad entry does not
    make every reference to the others unknown."""
    good: dict[str, list[Any]] = {}
    for key, info in AgencyFile.model_fields.items():
        items = data.get(key)
        if key in ("sources", "calendar", "licence") or not isinstance(items, list):
            continue
        item_type = TypeAdapter(get_args(info.annotation)[0])
        good[key] = []
        for item in items:
            try:
                good[key].append(item_type.validate_python(item))
            except ValidationError:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    ds.unverified_ids.add(item["id"])
    try:
        calendar = TypeAdapter(ReportingCalendar).validate_python(data.get("calendar"))
    except ValidationError:
        calendar = None
    try:
        licence = TypeAdapter(Licence).validate_python(data.get("licence"))
    except ValidationError:
        licence = None
    return AgencyFile.model_construct(**good, calendar=calendar, licence=licence)


def read_agency_file(ds: Dataset, path: Path, problems: list[Problem], cache: ParseCache) -> None:
    """Register the objects of the agency file ``path`` in ``ds``; note the problems met."""
    rel = path.relative_to(ds.root).as_posix()
    data = _load_mapping(path, rel, problems, cache)
    if data is None:
        written = _ids_written(path)
        if written is None:
            ds.agencies_unreadable = True
        else:
            ds.unverified_ids.update(written)
        return
    try:
        af = _agency_file.validate_python(data)
    except ValidationError as exc:
        problems.extend(model_problems(exc, rel, AgencyFile))
        af = _valid_items(ds, data)
    tables = {
        "dimension": ("dimensions", ds.dimensions),
        "edition": ("editions", ds.editions),
        "zone": ("zones", ds.zones),
        "section": ("sections", ds.sections),
        "agency": ("departments", ds.departments),
        "group": ("groups", ds.groups),
    }
    for kind, (key, table) in tables.items():
        for i, obj in enumerate(getattr(af, key)):
            _register(ds, kind, table, obj, Where(rel, (key, i)))
    for i, district in enumerate(af.districts):
        _register(ds, "agency", ds.districts, district, Where(rel, ("districts", i)))
    if af.calendar is not None:
        where = Where(rel, ("calendar",))
        if ds.calendar_where is None:
            ds.calendar, ds.calendar_where = af.calendar, where
        else:
            ds.calendar_duplicates.append(where)
    if af.licence is not None and ds.licence is None:
        ds.licence = af.licence
    for i, edition in enumerate(af.editions):
        # ids of development issues and goals are unique across editions, as every kind's (E201)
        for j, issue in enumerate(edition.development_issues):
            at = ("editions", i, "development_issues", j)
            _register(ds, "development issue", {}, issue, Where(rel, at))
            for k, goal in enumerate(issue.goals):
                _register(ds, "goal", {}, goal, Where(rel, (*at, "goals", k)))


def read_policy_file(ds: Dataset, path: Path, problems: list[Problem], cache: ParseCache) -> None:
    """Register the policy of the file ``path`` in ``ds``, with its OKRs, key results and
    projects; note the problems met."""
    rel = path.relative_to(ds.root).as_posix()
    data = _load_mapping(path, rel, problems, cache)
    if data is None:
        written = _ids_written(path)
        if written is None:
            ds.policies_unreadable = True
        else:
            ds.unverified_key_results.update(written)
        return
    try:
        policy = _policy.validate_python(data)
    except ValidationError as exc:
        problems.extend(model_problems(exc, rel, Policy))
        ds.unverified_key_results.update(_raw_key_result_ids(data))
        return
    _register(ds, "policy", ds.policies, policy, Where(rel, ()))
    if ds.where[("policy", policy.id)].file != rel:
        return
    for o, okr in enumerate(policy.okrs):
        okr_path = ("okrs", o)
        _register(ds, "okr", ds.okrs, okr, Where(rel, okr_path))
        ds.okr_policy.setdefault(okr.id, policy.id)
        for k, kr in enumerate(okr.key_results):
            kr_path = (*okr_path, "key_results", k)
            _register(ds, "key result", ds.key_results, kr, Where(rel, kr_path))
            ds.kr_okr.setdefault(kr.id, okr.id)
            ds.kr_policy.setdefault(kr.id, policy.id)
            for s, sub in enumerate(kr.sub_targets):
                _register(
                    ds, "key result", ds.key_results, sub, Where(rel, (*kr_path, "sub_targets", s))
                )
                ds.kr_okr.setdefault(sub.id, okr.id)
                ds.kr_policy.setdefault(sub.id, policy.id)
                ds.kr_parent.setdefault(sub.id, kr.id)
        for j, project in enumerate(okr.projects):
            _register(ds, "project", ds.projects, project, Where(rel, (*okr_path, "projects", j)))


#: ``id: x`` written anywhere: in block style, as a list item, or inside a flow mapping.
_ID_WRITTEN = re.compile(r"""(?:^|[\s{,\[-])id\s*:\s*["']?([^\s"',\]}#]+)""", re.MULTILINE)


def _ids_written(path: Path) -> set[str] | None:
    """Every id written in a file that does not load (read as text however broken), so that
    only what that file defines goes unchecked while it is broken; None if it cannot be read."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None
    return set(_ID_WRITTEN.findall(text))


def _raw_key_result_ids(data: dict[str, Any]) -> Iterator[str]:
    """Key result ids in a policy that failed validation, so its reports do not cascade."""
    okrs = data.get("okrs")
    for okr in okrs if isinstance(okrs, list) else []:
        krs = okr.get("key_results") if isinstance(okr, dict) else None
        for kr in krs if isinstance(krs, list) else []:
            if not isinstance(kr, dict):
                continue
            yield str(kr.get("id"))
            subs = kr.get("sub_targets")
            for sub in subs if isinstance(subs, list) else []:
                if isinstance(sub, dict):
                    yield str(sub.get("id"))
