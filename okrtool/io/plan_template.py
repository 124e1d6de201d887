"""`okrtool plan-template`: the host's workshop sheet and an agency's binding sheet, as .xlsx.

The workshop sheet of one policy and fiscal year: its OKR and key results (or room to write
them), a row per key result and agency H or R for each one's own target, and the projects bound
to the OKR. The binding sheet of one agency: every key result of the year on which it is H or R,
with its own target and the title of its own OKR bound to the host's goal. Both have the report
template's look and guards (``sheet_style``) and a hidden record of what they were made for,
which ``import-plan`` checks.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from okrtool.dataset import Dataset
from okrtool.errors import OkrtoolError, UsageError
from okrtool.fiscal import fiscal_year_of
from okrtool.io import sheet_style as style
from okrtool.io.outfile import check_file, check_files, check_folder, xlsx_name
from okrtool.io.plan_sheet import (
    AGGREGATES,
    BINDING,
    BINDING_COLUMNS,
    BINDING_SHEET,
    DIRECTIONS,
    INSTRUCTIONS_SHEET,
    KEY_RESULT_COLUMNS,
    MEASURES,
    NEW_KEY_RESULTS,
    OKR_LABELS,
    OKR_SHEET,
    PLAN_KIND,
    PLAN_VERSION,
    PROJECT_COLUMNS,
    PROJECTS_SHEET,
    ROLE_HOST,
    ROLE_SUPPORTER,
    SPARE_KEY_RESULTS,
    SPARE_PROJECTS,
    STATUSES,
    TARGET_COLUMNS,
    TARGETS_SHEET,
    WORKSHOP,
    Column,
    column_letter,
)
from okrtool.io.template import dataset_fingerprint
from okrtool.model import KeyResult, Okr, Policy
from okrtool.progress.frequency import MONTHLY, frequencies

#: The longest id the data format takes.
MAX_ID = 64
#: The row of the header of each table sheet, and of the key results on the OKR sheet.
HEADER_ROW = 5
KEY_RESULT_HEADER_ROW = 9


@dataclass
class KeyResultRow:
    """A key result as the workshop sheet shows it: one of the OKR's, or a blank one to write."""

    id: str
    kr: KeyResult | None
    frequency: str


@dataclass
class Workshop:
    """What one policy's workshop sheet holds."""

    policy: Policy
    fiscal_year: int
    okr: Okr | None
    okr_id: str
    key_results: list[KeyResultRow]
    #: the agencies that get a row per key result: the host, then the supporters
    agencies: list[tuple[str, str]]
    project_ids: list[str]


def _free_id(ds: Dataset, base: str, suffix: str, taken: set[str]) -> str:
    """``base`` + ``suffix`` cut to a valid id that no object of the dataset has."""
    n = 0
    while True:
        tail = suffix if n == 0 else f"{suffix}{n}"
        candidate = base[: MAX_ID - len(tail)].rstrip("-") + tail
        if candidate not in taken:
            taken.add(candidate)
            return candidate
        n += 1


def _ids_in_use(ds: Dataset) -> set[str]:
    return {key for _, key in ds.where}


def workshop_for(ds: Dataset, policy: Policy, fiscal_year: int) -> Workshop:
    """The workshop sheet of ``policy`` for ``fiscal_year``."""
    okr = next((o for o in policy.okrs if o.fiscal_year == fiscal_year), None)
    taken = _ids_in_use(ds)
    okr_id = okr.id if okr else _free_id(ds, policy.id, f"-{fiscal_year}", taken)
    # how each key result is reported that year, by every agency (``progress.frequency``)
    freq = frequencies(ds, fiscal_year)
    rows = (
        [KeyResultRow(kr.id, kr, freq.key_result_frequency(kr.id)) for kr in okr.all_key_results()]
        if okr
        else []
    )
    for n in range(len(rows) + 1, len(rows) + 1 + (SPARE_KEY_RESULTS if okr else NEW_KEY_RESULTS)):
        rows.append(KeyResultRow(_free_id(ds, okr_id, f"-kr{n}", taken), None, MONTHLY))
    assert policy.host is not None
    agencies = [(policy.host, ROLE_HOST)]
    agencies += [(a, ROLE_SUPPORTER) for a in ds.supporters(policy) if a != policy.host]
    projects = [p.id for p in okr.projects] if okr else []
    first = len(projects) + 1
    projects += [
        _free_id(ds, okr_id, f"-p{n}", taken) for n in range(first, first + SPARE_PROJECTS)
    ]
    return Workshop(policy, fiscal_year, okr, okr_id, rows, agencies, projects)


@dataclass
class BindingRow:
    """One key result on an agency's binding sheet."""

    policy: Policy
    kr: KeyResult
    role: str
    own_target: float | None
    okr_title: str
    bound_on: date | None


def binding_for(ds: Dataset, agency: str, fiscal_year: int) -> list[BindingRow]:
    """Every key result of ``fiscal_year`` on which ``agency`` is H or R, in dataset order."""
    rows = []
    for policy in ds.policies.values():
        if policy.host == agency:
            role = ROLE_HOST
        elif agency in ds.supporters(policy):
            role = ROLE_SUPPORTER
        else:
            continue
        for okr, kr in ds.iter_key_results(policy):
            if okr.fiscal_year != fiscal_year:
                continue
            bound = (kr.bound or {}).get(agency)
            rows.append(
                BindingRow(
                    policy,
                    kr,
                    role,
                    kr.allocations.get(agency),
                    bound.okr_title if bound else "",
                    bound.date if bound else None,
                )
            )
    return rows


# --- writing ------------------------------------------------------------------------------------

_MEASURE_WORDS = "นับเพิ่ม / increment, สะสม / cumulative, ระดับ / level"


def _unit(kr: KeyResult) -> str:
    return f"{kr.unit_th} / {kr.unit}" if kr.unit_th else kr.unit


def _number(x: float | None) -> Any:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x


def _table(ws: Any, columns: tuple[Column, ...], row: int) -> None:
    style.header(ws, row, [(c.header, c.width) for c in columns])


def _fill_row(ws: Any, row: int, columns: tuple[Column, ...], values: dict[str, Any]) -> None:
    shown = [values.get(c.key) for c in columns]
    style.cells(ws, row, shown)
    lines = max(str(v).count("\n") + 1 for v in shown if v is not None)
    if lines > 1:  # Thai above English: a row tall enough to show both
        ws.row_dimensions[row].height = 15 * lines
    for col, c in enumerate(columns, 1):
        if c.to_fill:
            style.to_fill(ws.cell(row, col))


def _check(dv: Any, ws: Any, columns: tuple[Column, ...], key: str, row: int) -> None:
    dv.add(f"{column_letter(columns, key)}{row}")


def _heading(ws: Any, title: str, lines: list[tuple[str, str]], note: str, last: int) -> None:
    style.title(ws, 1, title, last)
    for r, (label, value) in enumerate(lines, 2):
        style.label(ws, r, 1, label, value, span=3, label_span=2)
    style.note(ws, len(lines) + 2, note, last)


def _record(form: str, pairs: list[tuple[str, str]], ds: Dataset, made_at: str) -> list:
    return [
        ("kind", PLAN_KIND),
        ("version", PLAN_VERSION),
        ("form", form),
        *pairs,
        ("dataset", dataset_fingerprint(ds)),
        ("made_at", made_at),
    ]


WORKSHOP_INSTRUCTIONS = (
    ("วิธีกรอกแผนจากการประชุมเชิงปฏิบัติการ", True),
    ("1. กรอกเฉพาะช่องสีเหลือง: วัตถุประสงค์และผลลัพธ์หลัก (แผ่นงาน OKR), เป้าหมายของแต่ละหน่วยงาน", False),
    ("   (แผ่นงาน Targets) และโครงการ (แผ่นงาน Projects)", False),
    ("2. เป้าหมายของหน่วยงานรวมกันต้องเท่ากับค่าเป้าหมายของผลลัพธ์หลักที่รวมผลแบบ sum", False),
    ("3. ผลลัพธ์หลักที่ยังไม่ใช้ให้เว้นว่างทั้งแถว ห้ามแก้รหัสและชื่อแผ่นงาน", False),
    ("", False),
    ("How to fill in the workshop plan", True),
    ("1. Fill in only the yellow cells: the objective and key results (sheet OKR), each", False),
    ("   agency's own target (sheet Targets) and the projects (sheet Projects).", False),
    ("2. For a key result counted by 'sum', the own targets must add up to its target.", False),
    ("3. Leave a key result row you do not need blank. Do not change ids or sheet names.", False),
    (f"4. Measure: {_MEASURE_WORDS}. Aggregate: {', '.join(AGGREGATES)}.", False),
    ("5. Save as .xlsx and send it back to the Strategy and Evaluation Department.", False),
)

BINDING_INSTRUCTIONS = (
    ("วิธีผูก OKR ของหน่วยงาน", True),
    ("1. ทุกแถวคือผลลัพธ์หลักที่หน่วยงานเป็นหน่วยงานรับผิดชอบหลัก (H) หรือหน่วยงานสนับสนุน (R)", False),
    ("2. กรอกหรือยืนยันเป้าหมายของหน่วยงาน และชื่อ OKR ของหน่วยงานที่ผูกกับเป้าหมายนี้ (สีเหลือง)", False),
    ("", False),
    ("How to bind your OKRs", True),
    ("1. Each row is a key result on which your agency is the host (H) or a supporter (R).", False),
    (
        "2. Enter or confirm your own target, and the title of your own OKR bound to it (yellow).",
        False,
    ),
    ("3. Save as .xlsx and send it back to the Strategy and Evaluation Department.", False),
)


def write_workshop(ds: Dataset, w: Workshop, path: Path, made_at: str) -> tuple[int, int]:
    """Write the workshop sheet ``w`` at ``path``; return its number of key results and of
    blank rows left for new ones."""
    from openpyxl import Workbook

    policy, okr = w.policy, w.okr
    wb = Workbook()
    ws = wb.active
    ws.title = OKR_SHEET
    host = f"{ds.agency_name(policy.host or '', 'th')} / {ds.agency_name(policy.host or '', 'en')}"
    last = len(KEY_RESULT_COLUMNS)
    style.title(ws, 1, f"แผนจากการประชุมเชิงปฏิบัติการ — Workshop plan: {policy.title_th}", last)
    style.label(
        ws, 2, 1, "นโยบาย / Policy:", f"{policy.title_th} / {policy.title_en} ({policy.id})", 6, 2
    )
    style.label(ws, 3, 1, "หน่วยงานรับผิดชอบหลัก / Host:", f"{host} ({policy.host})", 6, 2)
    style.label(ws, 4, 1, "ปีงบประมาณ / Fiscal year:", str(w.fiscal_year), 1, 2)
    values = {
        "okr": w.okr_id,
        "objective_th": okr.objective_th if okr else None,
        "objective_en": okr.objective_en if okr else None,
    }
    for r, (key, label) in enumerate(OKR_LABELS.items(), 5):
        cell = style.label(ws, r, 1, label, values[key], 6, 2)
        if key != "okr":
            style.to_fill(cell)
        lines = str(values[key] or "").count("\n") + 1
        if lines > 1:  # an objective written on lines of its own: all of them shown
            ws.row_dimensions[r].height = 15 * lines
    style.note(
        ws,
        8,
        "กรอกเฉพาะช่องสีเหลือง แถวที่ไม่ใช้เว้นว่าง — Fill in only the yellow cells; leave rows you "
        f"do not need blank. See the {INSTRUCTIONS_SHEET} sheet.",
        last,
    )
    _table(ws, KEY_RESULT_COLUMNS, KEY_RESULT_HEADER_ROW)
    cols = KEY_RESULT_COLUMNS
    amount = style.number_check("ค่า / Value")
    percent = style.number_check("ค่า / Value", percent=True)
    choices = {
        "direction": style.choice_check("ทิศทาง / Direction", DIRECTIONS),
        "measure": style.choice_check("การนับค่า / Measure", MEASURES),
        "aggregate": style.choice_check("การรวมผล / Aggregate", AGGREGATES),
    }
    texts = style.text_check("ข้อความ / Text")
    for i, row in enumerate(w.key_results, 1):
        r = KEY_RESULT_HEADER_ROW + i
        kr = row.kr
        _fill_row(
            ws,
            r,
            cols,
            {
                "no": i,
                "id": row.id,
                "title_th": kr.title_th if kr else None,
                "title_en": kr.title_en if kr else None,
                "unit": kr.unit if kr else None,
                "unit_th": kr.unit_th if kr else None,
                "target": _number(kr.target) if kr else None,
                "baseline": _number(kr.baseline) if kr else None,
                "direction": kr.direction if kr else None,
                "measure": kr.measure if kr else None,
                "aggregate": kr.aggregate if kr else None,
                "frequency": row.frequency,
            },
        )
        for key in ("target", "baseline"):
            _check(percent if kr and kr.is_percent else amount, ws, cols, key, r)
        for key, dv in choices.items():
            _check(dv, ws, cols, key, r)
        for key in ("title_th", "title_en", "unit", "unit_th"):
            _check(texts, ws, cols, key, r)
    style.add_checks(ws, [amount, percent, texts, *choices.values()])
    ws.freeze_panes = ws.cell(KEY_RESULT_HEADER_ROW + 1, 3)
    style.protect(ws)

    targets = wb.create_sheet(TARGETS_SHEET)
    last = len(TARGET_COLUMNS)
    _heading(
        targets,
        f"เป้าหมายของแต่ละหน่วยงาน — Each agency's own target: {policy.title_th}",
        [("นโยบาย / Policy:", f"{policy.title_th} ({policy.id})")],
        "กรอกเป้าหมายของหน่วยงาน (สีเหลือง) ผลรวมต้องเท่ากับค่าเป้าหมาย (sum) — Fill in each agency's own "
        "target (yellow); for 'sum' they add up to the key result's target.",
        last,
    )
    _table(targets, TARGET_COLUMNS, HEADER_ROW)
    amount, percent = (
        style.number_check("เป้าหมาย / Own target"),
        style.number_check("เป้าหมาย / Own target", percent=True),
    )
    r = HEADER_ROW
    for row in w.key_results:
        kr = row.kr
        for agency, role in w.agencies:
            r += 1
            bound = ((kr.bound or {}).get(agency) if kr else None) or None
            _fill_row(
                targets,
                r,
                TARGET_COLUMNS,
                {
                    "no": r - HEADER_ROW,
                    "key_result": row.id,
                    "title": kr.title_th if kr else None,
                    "unit": _unit(kr) if kr else None,
                    "agency": agency,
                    "agency_name": ds.agency_name(agency, "th"),
                    "role": role,
                    "own_target": _number(kr.allocations.get(agency)) if kr else None,
                    "bound": bound.okr_title if bound else None,
                },
            )
            _check(
                percent if kr and kr.is_percent else amount,
                targets,
                TARGET_COLUMNS,
                "own_target",
                r,
            )
    style.add_checks(targets, [amount, percent])
    targets.freeze_panes = targets.cell(HEADER_ROW + 1, 3)
    style.protect(targets)

    projects = wb.create_sheet(PROJECTS_SHEET)
    last = len(PROJECT_COLUMNS)
    _heading(
        projects,
        f"โครงการ/กิจกรรมที่ผูกกับ OKR — Projects bound to the OKR: {policy.title_th}",
        [("รหัส OKR / OKR id:", w.okr_id)],
        "กรอกโครงการ (สีเหลือง) แถวที่ไม่ใช้เว้นว่าง — Fill in the projects (yellow); leave rows you "
        "do not need blank.",
        last,
    )
    _table(projects, PROJECT_COLUMNS, HEADER_ROW)
    status = style.choice_check("สถานะ / Status", STATUSES)
    kr_ids = [row.id for row in w.key_results]
    listed = ",".join(kr_ids)
    key_result = style.choice_check("ผลลัพธ์หลัก / Key result", kr_ids) if len(listed) < 250 else None
    owners = style.text_check("รหัสหน่วยงาน / Agency id", 64)
    titles = style.text_check("ข้อความ / Text")
    by_id = {p.id: p for p in (okr.projects if okr else [])}
    for i, pid in enumerate(w.project_ids, 1):
        r = HEADER_ROW + i
        p = by_id.get(pid)
        _fill_row(
            projects,
            r,
            PROJECT_COLUMNS,
            {
                "no": i,
                "id": pid,
                "title_th": p.title_th if p else None,
                "title_en": p.title_en if p else None,
                "owner": p.owner if p else None,
                "key_result": p.key_result if p else None,
                "status": p.status if p else None,
            },
        )
        _check(status, projects, PROJECT_COLUMNS, "status", r)
        _check(owners, projects, PROJECT_COLUMNS, "owner", r)
        for key in ("title_th", "title_en"):
            _check(titles, projects, PROJECT_COLUMNS, key, r)
        if key_result is not None:
            _check(key_result, projects, PROJECT_COLUMNS, "key_result", r)
    style.add_checks(projects, [c for c in (status, key_result, owners, titles) if c is not None])
    projects.freeze_panes = projects.cell(HEADER_ROW + 1, 3)
    style.protect(projects)

    style.lines_sheet(wb, INSTRUCTIONS_SHEET, WORKSHOP_INSTRUCTIONS)
    record = [("policy", policy.id), ("fiscal_year", str(w.fiscal_year)), ("okr", w.okr_id)]
    style.meta_sheet(wb, _record(WORKSHOP, record, ds, made_at))
    wb.properties.creator = "okrtool"
    wb.properties.title = f"{policy.id} {w.fiscal_year} workshop"
    style.save(wb, path)
    blank = sum(row.kr is None for row in w.key_results)
    return len(w.key_results) - blank, blank


def write_binding(
    ds: Dataset, agency: str, fiscal_year: int, rows: list[BindingRow], path: Path, made_at: str
) -> tuple[int, int]:
    """Write ``agency``'s binding sheet at ``path``; return its number of rows."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = BINDING_SHEET
    cols = BINDING_COLUMNS
    name = f"{ds.agency_name(agency, 'th')} / {ds.agency_name(agency, 'en')} ({agency})"
    _heading(
        ws,
        f"การผูก OKR ของหน่วยงาน — Binding OKRs: {ds.agency_name(agency, 'th')}",
        [("หน่วยงาน / Agency:", name), ("ปีงบประมาณ / Fiscal year:", str(fiscal_year))],
        "กรอกเป้าหมายของหน่วยงานและชื่อ OKR ที่ผูก (สีเหลือง) — Enter your own target and the title of "
        f"your OKR bound to each key result (yellow). See the {INSTRUCTIONS_SHEET} sheet.",
        len(cols),
    )
    _table(ws, cols, HEADER_ROW)
    amount = style.number_check("เป้าหมาย / Own target")
    percent = style.number_check("เป้าหมาย / Own target", percent=True)
    titles = style.text_check("ชื่อ OKR / OKR title")
    for i, row in enumerate(rows, 1):
        r = HEADER_ROW + i
        kr = row.kr
        _fill_row(
            ws,
            r,
            cols,
            {
                "no": i,
                "policy": f"{row.policy.title_th}\n{row.policy.title_en}",
                "key_result": kr.id,
                "title": f"{kr.title_th}\n{kr.title_en}",
                "unit": _unit(kr),
                "role": row.role,
                "target": _number(kr.target),
                "own_target": _number(row.own_target),
                "okr_title": row.okr_title or None,
                "bound_on": row.bound_on.isoformat() if row.bound_on else None,
            },
        )
        _check(percent if kr.is_percent else amount, ws, cols, "own_target", r)
        _check(titles, ws, cols, "okr_title", r)
    style.add_checks(ws, [amount, percent, titles])
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 3)
    style.protect(ws)
    style.lines_sheet(wb, INSTRUCTIONS_SHEET, BINDING_INSTRUCTIONS)
    record = [("agency", agency), ("fiscal_year", str(fiscal_year))]
    style.meta_sheet(wb, _record(BINDING, record, ds, made_at))
    wb.properties.creator = "okrtool"
    wb.properties.title = f"{agency} {fiscal_year} binding"
    style.save(wb, path)
    return len(rows), 0


# --- the command ------------------------------------------------------------------------------


def _unknown(what: str, value: str, known: list[str]) -> UsageError:
    near = difflib.get_close_matches(value, known, n=1)
    hint = f"; did you mean '{near[0]}'?" if near else ""
    return UsageError(f"--{what} {value}: unknown {what}{hint}")


def _year_of(policy: Policy, fiscal_year: int | None) -> int:
    if fiscal_year is not None:
        return fiscal_year
    if policy.okrs:
        return max(o.fiscal_year for o in policy.okrs)
    return fiscal_year_of(date.today())


def _target(output: Path | None, name: str, folder_default: str | None) -> Path:
    if folder_default is not None:
        return (output or Path(folder_default)) / name
    path = output or Path(name)
    if os.path.isdir(path):
        path = path / name
    return path


def make_plan_templates(
    root: Path,
    policy: str | None = None,
    host: str | None = None,
    agency: str | None = None,
    fiscal_year: int | None = None,
    output: Path | None = None,
    force: bool = False,
) -> list[tuple[Path, tuple[int, int]]]:
    """Write the workshop sheet of ``policy`` (or of every policy ``host`` hosts, one workbook
    each in the folder ``output``) or the binding sheet of ``agency``; return each file written
    with its number of rows and of blank rows for new key results. A workbook already there is
    written over only with ``force``."""
    if sum(x is not None for x in (policy, host, agency)) != 1:
        raise UsageError("give one of --policy, --host or --agency")
    years = (lambda _ds: [fiscal_year]) if fiscal_year is not None else None
    from okrtool.rules.validate import load_valid

    ds = load_valid(root, years)
    made_at = datetime.now().astimezone().isoformat(timespec="seconds")
    jobs: list[tuple[Path, Any]] = []
    if agency is not None:
        if agency not in ds.agencies:
            raise _unknown("agency", agency, list(ds.agencies))
        year = fiscal_year or max(
            (o.fiscal_year for o in ds.okrs.values()), default=fiscal_year_of(date.today())
        )
        rows = binding_for(ds, agency, year)
        if not rows:
            raise OkrtoolError(
                f"'{agency}' is H or R of no key result in FY {year}: nothing to bind"
            )
        path = _target(output, f"{agency}-{year}-binding.xlsx", None)
        jobs.append((path, lambda p: write_binding(ds, agency, year, rows, p, made_at)))
    else:
        if policy is not None:
            if policy not in ds.policies:
                raise _unknown("policy", policy, list(ds.policies))
            chosen = [ds.policies[policy]]
        else:
            if host not in ds.agencies:
                raise _unknown("host", host or "", list(ds.agencies))
            chosen = [p for p in ds.policies.values() if p.host == host]
            if not chosen:
                raise OkrtoolError(f"'{host}' hosts no policy: no workshop to prepare")
        for p in chosen:
            if p.host is None or p.group is None:
                raise OkrtoolError(
                    f"policy '{p.id}' has no host or mission group yet: write 'host' and 'group' "
                    "in its file first (a workshop is convened by the host; E304)"
                )
            year = _year_of(p, fiscal_year)
            w = workshop_for(ds, p, year)
            name = f"{p.id}-{year}-workshop.xlsx"
            path = _target(output, name, f"workshop-{host}" if host is not None else None)
            jobs.append((path, lambda out, w=w: write_workshop(ds, w, out, made_at)))
    paths = [path for path, _ in jobs]
    if host is not None:
        check_folder(paths[0].parent, root, may_create=True)
    else:
        xlsx_name(paths[0])
        check_file(paths[0], force, root)
    check_files(paths, force)
    written = []
    for path, write in jobs:
        try:
            written.append((path, write(path)))
        except OSError as exc:
            raise UsageError(f"--output {path}: cannot write the file ({exc.strerror})") from None
    return written
