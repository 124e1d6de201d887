"""What a plan workbook changes: its cells read into edits of the policy files' data.

``apply_book`` takes a plan workbook read back (``plan_read``) and the policy files' data as
PyYAML reads it (plain dicts, by file), and changes that data as the workbook says: an OKR and
its key results written or changed, each agency's own target (allocations), projects, and an
agency's binding (``bound``); a hidden sheet changes nothing (its rows are not read), and a
workbook whose every sheet to read is hidden is refused. A field is written only when its value
differs from what the model reads today, so that a workbook imported twice changes nothing the
second time. Every cell it cannot take is a refusal located at the cell; nothing is written here
(``imports.plan`` does).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from okrtool.dataset import Dataset
from okrtool.imports.plan_cells import CellReader
from okrtool.imports.plan_read import PlanBook, PlanCell, PlanRow
from okrtool.io.plan_sheet import (
    AGGREGATES,
    BINDING,
    BINDING_SHEET,
    DIRECTIONS,
    MEASURES,
    OKR_SHEET,
    PROJECTS_SHEET,
    STATUSES,
    TARGETS_SHEET,
    WORKSHOP,
)
from okrtool.model import KeyResult, Policy
from okrtool.problems import Problem
from okrtool.typed import is_not_reported, normalize, plain, same_text

#: Allocations may differ from a summed target by this much (floating point), no more.
TOLERANCE = 1e-6


@dataclass
class Edits:
    """The policy files' data (by file relative to the data folder), changed as workbooks say;
    where each changed value came from, for locating what validate finds in the result."""

    ds: Dataset
    data: dict[str, dict[str, Any]]
    #: (object id, field or agency) → (sheet, cell)
    cells: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    #: binding lines to tell: (agency, key result, OKR title)
    bindings: list[tuple[str, str, str]] = field(default_factory=list)
    #: policy files changed
    changed: set[str] = field(default_factory=set)

    def policy_data(self, policy_id: str) -> tuple[str, dict[str, Any]]:
        rel = self.ds.where[("policy", policy_id)].file
        return rel, self.data[rel]


def _set(target: dict[str, Any], key: str, value: Any, current: Any, default: Any = None) -> bool:
    """Write ``value`` at ``key`` if it differs from what the model reads (``current``); a value
    equal to the field's ``default`` removes the key; a text equal to ``current`` but for its
    Unicode form (``same_text``) is left as the data has it. True if changed."""
    if value == current or (
        isinstance(value, str) and isinstance(current, str) and same_text(value, current)
    ):
        return False
    if value is None or (value == default and default is not None):
        target.pop(key, None)
    else:
        target[key] = int(value) if isinstance(value, float) and value.is_integer() else value
    return True


def _kr_data(okr: dict[str, Any], kr_id: str) -> dict[str, Any] | None:
    for kr in okr.get("key_results") or []:
        if kr.get("id") == kr_id:
            return kr
        for sub in kr.get("sub_targets") or []:
            if sub.get("id") == kr_id:
                return sub
    return None


def _key_results(
    r: CellReader, edits: Edits, policy: Policy, okr: dict[str, Any], rows: list[PlanRow]
) -> dict[str, tuple[KeyResult | None, dict[str, Any], PlanRow | None]]:
    """Write the key result rows into ``okr``; return id → (model before, data, row)."""
    ds = edits.ds
    out: dict[str, tuple[KeyResult | None, dict[str, Any], PlanRow | None]] = {}
    for row in rows:
        kr_id = normalize(str(row.value("id") or ""))
        if not kr_id:
            continue
        kr = ds.key_results.get(kr_id) if ds.kr_policy.get(kr_id) == policy.id else None
        inputs = (
            "title_th",
            "title_en",
            "unit",
            "unit_th",
            "target",
            "baseline",
            "direction",
            "measure",
            "aggregate",
        )
        if kr is None and all(is_not_reported(row.value(k)) for k in inputs):
            continue  # a blank row
        cells = row.cells
        texts = {
            "title_th": r.free(OKR_SHEET, cells["title_th"], True, "the key result's Thai title"),
            "title_en": r.free(OKR_SHEET, cells["title_en"], True, "its English title"),
            "unit": r.text(OKR_SHEET, row, "unit", True, "its unit (like points, tonnes, percent)"),
        }
        unit_th = r.text(OKR_SHEET, row, "unit_th", False, "")
        unit = texts["unit"] or (kr.unit if kr else "")
        target = r.amount(OKR_SHEET, row.cells["target"], unit, True)
        baseline = r.amount(OKR_SHEET, row.cells["baseline"], unit, False)
        direction = r.choice(OKR_SHEET, row, "direction", DIRECTIONS, False) or "higher"
        measure = r.choice(OKR_SHEET, row, "measure", MEASURES, True)
        aggregate = r.choice(OKR_SHEET, row, "aggregate", AGGREGATES, True)
        if None in (*texts.values(), target, measure, aggregate):
            continue
        for key in ("title_th", "title_en", "unit", "target", "measure", "aggregate"):
            edits.cells[(kr_id, key)] = (OKR_SHEET, row.cells[key].ref)
        data = _kr_data(okr, kr_id) if kr is not None else None
        if data is None:
            data = {"id": kr_id}
            okr.setdefault("key_results", []).append(data)
        for key, value, current, default in (
            ("title_th", texts["title_th"], kr.title_th if kr else None, None),
            ("title_en", texts["title_en"], kr.title_en if kr else None, None),
            ("unit", texts["unit"], kr.unit if kr else None, None),
            ("unit_th", unit_th, kr.unit_th if kr else None, None),
            ("baseline", baseline or 0.0, kr.baseline if kr else 0.0, 0.0),
            ("target", target, kr.target if kr else None, None),
            ("direction", direction, kr.direction if kr else None, None),
            ("measure", measure, kr.measure if kr else None, None),
            ("aggregate", aggregate, kr.aggregate if kr else None, None),
        ):
            _set(data, key, value, current, default)
        out[kr_id] = (kr, data, row)
    return out


def _allocations(
    r: CellReader,
    edits: Edits,
    policy: Policy,
    krs: dict[str, tuple[KeyResult | None, dict[str, Any], PlanRow | None]],
    rows: list[PlanRow],
) -> None:
    """Each agency's own target from the Targets sheet; a sum that is not the target refused."""
    ds = edits.ds
    may = {policy.host, *ds.supporters(policy)}
    wanted: dict[str, dict[str, float]] = {}
    last_cell: dict[str, PlanCell] = {}
    first_cell: dict[str, PlanCell] = {}
    for row in rows:
        kr_id = normalize(str(row.value("key_result") or ""))
        agency = normalize(str(row.value("agency") or ""))
        cell = row.cells["own_target"]
        if not kr_id or kr_id not in krs:
            if kr_id and not is_not_reported(cell.value):
                r.refuse(
                    TARGETS_SHEET,
                    row.cells["key_result"],
                    "E202",
                    f"found the key result '{kr_id}', expected one written on the {OKR_SHEET} "
                    "sheet",
                )
            continue
        kr, data, _ = krs[kr_id]
        unit = data.get("unit", "")
        value = r.amount(TARGETS_SHEET, cell, unit, False)
        if value is None:
            continue
        if agency not in may:
            r.refuse(
                TARGETS_SHEET,
                row.cells["agency"],
                "E401",
                f"found the agency '{agency}', which is neither the host '{policy.host}' nor a "
                f"supporter of policy '{policy.id}'",
                "give own targets only on the rows the sheet was made with",
            )
            continue
        if data.get("unit") == "percent" and value > 100:
            r.refuse(
                TARGETS_SHEET, cell, "E404", f"found {plain(value)}, expected a percentage, 0–100"
            )
            continue
        wanted.setdefault(kr_id, {})[agency] = value
        edits.cells[(kr_id, agency)] = (TARGETS_SHEET, cell.ref)
        first_cell.setdefault(kr_id, cell)
        last_cell[kr_id] = cell
    for kr_id, (kr, data, _) in krs.items():
        new = wanted.get(kr_id, {})
        old = dict(kr.allocations) if kr else {}
        if new == old:
            continue
        if new:
            data["allocations"] = {a: int(v) if v.is_integer() else v for a, v in new.items()}
        else:
            data.pop("allocations", None)
        if kr is None or kr.bound is None:
            data.setdefault("bound", {})  # from now on, who has bound is recorded
        target = data.get("target")
        if data.get("aggregate") == "sum" and new and isinstance(target, int | float):
            total = sum(new.values())
            if abs(total - target) > TOLERANCE * max(1.0, abs(target)):
                diff = total - target
                side = "over" if diff > 0 else "short"
                span = f"{first_cell[kr_id].ref}:{last_cell[kr_id].ref}"
                r.refuse(
                    TARGETS_SHEET,
                    last_cell[kr_id],
                    "E402",
                    f"the own targets of '{kr_id}' ({TARGETS_SHEET}!{span}) add up to "
                    f"{_num(total)} {data.get('unit', '')}; the target is {_num(target)} "
                    f"({_num(abs(diff))} {side})",
                    f"change the own targets so that they add up to {_num(target)}, or the "
                    f"target on the {OKR_SHEET} sheet",
                )


def _num(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0")


def _projects(
    r: CellReader, edits: Edits, okr: dict[str, Any], kr_ids: set[str], rows: list[PlanRow]
) -> None:
    ds = edits.ds
    existing = {p.get("id"): p for p in okr.get("projects") or []}
    for row in rows:
        pid = normalize(str(row.value("id") or ""))
        inputs = ("title_th", "title_en", "owner", "key_result", "status")
        if not pid or (pid not in existing and all(is_not_reported(row.value(k)) for k in inputs)):
            continue
        cells = row.cells
        title_th = r.free(PROJECTS_SHEET, cells["title_th"], True, "the project's Thai title")
        title_en = r.free(PROJECTS_SHEET, cells["title_en"], True, "its English title")
        owner = r.text(PROJECTS_SHEET, row, "owner", True, "the owner's agency id (like env)")
        kr_id = r.text(PROJECTS_SHEET, row, "key_result", False, "")
        status = r.choice(PROJECTS_SHEET, row, "status", STATUSES, True)
        if owner is not None and owner not in ds.agencies:
            r.refuse(
                PROJECTS_SHEET,
                row.cells["owner"],
                "E202",
                f"found the agency '{owner}', expected an agency id (like env or bang-rak)",
            )
            owner = None
        if kr_id is not None and kr_id not in kr_ids:
            r.refuse(
                PROJECTS_SHEET,
                row.cells["key_result"],
                "E202",
                f"found the key result '{kr_id}', expected one of "
                f"{', '.join(sorted(kr_ids))} or a blank",
            )
            continue
        if None in (title_th, title_en, owner, status):
            continue
        project = ds.projects.get(pid) if pid in existing else None
        data = existing.get(pid)
        if data is None:
            data = {"id": pid}
            okr.setdefault("projects", []).append(data)
        for key, value, current in (
            ("title_th", title_th, project.title_th if project else None),
            ("title_en", title_en, project.title_en if project else None),
            ("owner", owner, project.owner if project else None),
            ("key_result", kr_id, project.key_result if project else None),
            ("status", status, project.status if project else None),
        ):
            _set(data, key, value, current)
        edits.cells[(pid, "owner")] = (PROJECTS_SHEET, row.cells["owner"].ref)


def _workshop(r: CellReader, edits: Edits, book: PlanBook) -> None:
    ds = edits.ds
    policy_id = book.meta.get("policy", "")
    policy = ds.policies.get(policy_id)
    fiscal_year = (
        int(book.meta["fiscal_year"]) if book.meta.get("fiscal_year", "").isdigit() else None
    )
    okr_id = book.meta.get("okr", "")
    if policy is None or fiscal_year is None or not okr_id:
        r.problems.append(
            Problem(
                "E809",
                r.name,
                f"the workbook's record names the policy '{policy_id}', which is not in the "
                "data folder",
                hint="make the workshop sheet again with 'okrtool plan-template --policy'",
            )
        )
        return
    sheets = (OKR_SHEET, TARGETS_SHEET, PROJECTS_SHEET)
    if all(s in book.hidden for s in sheets):
        r.problems.append(_all_hidden(r.name, sheets))
        return
    missing = [s for s in sheets if s not in book.tables and s not in book.hidden]
    if missing:
        r.problems.append(
            Problem(
                "E809",
                r.name,
                f"the sheet(s) {', '.join(missing)} are missing or their header row was changed",
                hint="fill in the workshop sheet as 'okrtool plan-template' made it",
            )
        )
        return
    rel, data = edits.policy_data(policy.id)
    okr_model = ds.okrs.get(okr_id)
    had_okrs = "okrs" in data
    okrs = data.setdefault("okrs", [])
    okr = next((o for o in okrs if o.get("id") == okr_id), None)
    krs_written = okr_model is not None
    labels = book.labels
    texts = {}
    for key, what in (
        ("objective_th", "the objective in Thai"),
        ("objective_en", "the objective in English"),
    ):
        cell = labels.get(key)
        required = krs_written or _any_kr(book)
        texts[key] = r.free(OKR_SHEET, cell, required, what) if cell is not None else None
    if okr is None:  # added below only if the sheet writes a key result (or projects: refused)
        okr = {
            "id": okr_id,
            "fiscal_year": fiscal_year,
            "owner": policy.host,
            "objective_th": texts["objective_th"],
            "objective_en": texts["objective_en"],
            "key_results": [],
        }
        fresh = True
    else:
        fresh = False
        for key in ("objective_th", "objective_en"):
            if texts[key] is not None:
                _set(okr, key, texts[key], getattr(okr_model, key, None))
    # a hidden sheet is not read (plan_read): what it would set stays as the data has it
    if OKR_SHEET in book.hidden:
        krs = _key_results_as_they_are(edits, policy, okr)
    else:
        krs = _key_results(r, edits, policy, okr, book.tables[OKR_SHEET])
    if TARGETS_SHEET not in book.hidden:
        _allocations(r, edits, policy, krs, book.tables[TARGETS_SHEET])
    if PROJECTS_SHEET not in book.hidden:
        _projects(r, edits, okr, set(krs) | set(_ids_of(okr)), book.tables[PROJECTS_SHEET])
    if fresh and (okr["key_results"] or okr.get("projects")):
        if not okr["key_results"]:
            r.problems.append(
                Problem(
                    "E803",
                    r.name,
                    f"projects were written for the new OKR '{okr_id}', but no key result",
                    hint=f"write at least one key result on the {OKR_SHEET} sheet",
                )
            )
        okrs.append(okr)
    if not okrs and not had_okrs:
        data.pop("okrs", None)
    edits.changed.add(rel)


def _key_results_as_they_are(
    edits: Edits, policy: Policy, okr: dict[str, Any]
) -> dict[str, tuple[KeyResult | None, dict[str, Any], PlanRow | None]]:
    """The OKR's key results as the data has them (its OKR sheet hidden, not read)."""
    ds = edits.ds
    out: dict[str, tuple[KeyResult | None, dict[str, Any], PlanRow | None]] = {}
    for kr_id in _ids_of(okr):
        data = _kr_data(okr, kr_id)
        if data is not None and ds.kr_policy.get(kr_id) == policy.id:
            out[kr_id] = (ds.key_results[kr_id], data, None)
    return out


def _all_hidden(name: str, sheets: tuple[str, ...]) -> Problem:
    """The refusal of a workbook whose every sheet to read is hidden: nothing left to import."""
    shown_names = ", ".join(f"'{s}'" for s in sheets)
    return Problem(
        "E809",
        name,
        f"the sheet{'s' if len(sheets) > 1 else ''} {shown_names} "
        f"{'are' if len(sheets) > 1 else 'is'} hidden: hidden sheets are not read, since nobody "
        "sees what they hold",
        hint="unhide the sheet (right-click a sheet tab › Unhide), check what it holds, save and "
        "send it again",
    )


def _any_kr(book: PlanBook) -> bool:
    return any(not is_not_reported(row.value("title_th")) for row in book.tables.get(OKR_SHEET, []))


def _ids_of(okr: dict[str, Any]) -> list[str]:
    return [kr.get("id") for kr in okr.get("key_results") or []]


def _binding(r: CellReader, edits: Edits, book: PlanBook, today: date) -> None:
    ds = edits.ds
    agency = book.meta.get("agency", "")
    if agency not in ds.agencies:
        r.problems.append(
            Problem(
                "E809",
                r.name,
                f"the workbook's record names the agency '{agency}', which is not in the data "
                "folder",
                hint="make the binding sheet again with 'okrtool plan-template --agency'",
            )
        )
        return
    rows = book.tables.get(BINDING_SHEET)
    if BINDING_SHEET in book.hidden:
        r.problems.append(_all_hidden(r.name, (BINDING_SHEET,)))
        return
    if rows is None:
        r.problems.append(
            Problem(
                "E809",
                r.name,
                f"the sheet {BINDING_SHEET} is missing or its header row was changed",
                hint="fill in the binding sheet as 'okrtool plan-template' made it",
            )
        )
        return
    for row in rows:
        kr_id = normalize(str(row.value("key_result") or ""))
        if not kr_id:
            continue
        target_cell, title_cell = row.cells["own_target"], row.cells["okr_title"]
        if is_not_reported(target_cell.value) and is_not_reported(title_cell.value):
            continue
        kr = ds.key_results.get(kr_id)
        if kr is None:
            r.refuse(
                BINDING_SHEET,
                row.cells["key_result"],
                "E202",
                f"found the key result '{kr_id}', which is not in the data folder (removed "
                "since the sheet was made?)",
                "make the binding sheet again",
            )
            continue
        policy = ds.policies[ds.kr_policy[kr_id]]
        if agency != policy.host and agency not in ds.supporters(policy):
            r.refuse(
                BINDING_SHEET,
                row.cells["key_result"],
                "E401",
                f"'{agency}' is neither the host '{policy.host}' nor a supporter of policy "
                f"'{policy.id}' any more",
                "make the binding sheet again",
            )
            continue
        rel, data = edits.policy_data(policy.id)
        okr = next(o for o in data["okrs"] if o.get("id") == ds.kr_okr[kr_id])
        kr_data = _kr_data(okr, kr_id)
        assert kr_data is not None
        value = r.amount(BINDING_SHEET, target_cell, kr.unit, False)
        title = r.free(BINDING_SHEET, title_cell, False, "the title of its own OKR")
        if value is not None:
            if kr.is_percent and value > 100:
                r.refuse(
                    BINDING_SHEET,
                    target_cell,
                    "E404",
                    f"found {plain(value)}, expected a percentage, 0–100",
                )
                continue
            edits.cells[(kr_id, agency)] = (BINDING_SHEET, target_cell.ref)
            if kr.allocations.get(agency) != value:
                allocations = kr_data.setdefault("allocations", {})
                allocations[agency] = int(value) if value.is_integer() else value
                edits.changed.add(rel)
        if title is not None:
            edits.cells[(kr_id, f"bound:{agency}")] = (BINDING_SHEET, title_cell.ref)
            old = (kr.bound or {}).get(agency)
            if old is None or not same_text(title, old.okr_title):
                bound = kr_data.get("bound") or {}
                kr_data["bound"] = bound
                bound[agency] = {"okr_title": title, "date": today}
                edits.bindings.append((agency, kr_id, title))
                edits.changed.add(rel)


def apply_book(edits: Edits, book: PlanBook, name: str, today: date) -> list[Problem]:
    """Apply the workbook ``book`` (named ``name`` in refusals) to ``edits``; return its
    refusals (``edits`` is then to be thrown away)."""
    r = CellReader(name)
    form = book.meta.get("form")
    unsaved = list(book.formulas())
    for sheet, cell in unsaved:
        r.refuse(
            sheet,
            cell,
            "E804",
            f"found the formula {cell.formula} with no saved result, expected a value",
            "open the file in Excel or LibreOffice so that it calculates, save it and send it "
            "again; or type the number instead of the formula",
        )
    if unsaved:
        return r.problems
    if form == WORKSHOP:
        _workshop(r, edits, book)
    elif form == BINDING:
        _binding(r, edits, book, today)
    else:
        r.problems.append(
            Problem(
                "E809",
                name,
                f"the workbook's record names the form {form!r}, expected {WORKSHOP} or {BINDING}",
                hint="make the sheet again with 'okrtool plan-template'",
            )
        )
    return r.problems
