"""The site's open data: the plan, the reported values and the status rows as CSV and JSON under
``data/``, described by ``data/datapackage.json`` (the Frictionless Data Package convention:
https://specs.frictionlessdata.io/data-package/), so anyone can reuse them.

The values are the dataset's own and the status rows' own (``KeyResultRow.to_dict``); nothing is
recomputed. CSV text cells are escaped against formula injection (``cells.csv_text``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from okrtool.io.cells import FORMULA_STARTS, csv_text
from okrtool.model import Licence

if TYPE_CHECKING:
    from okrtool.site.gather import Gathered


@dataclass(frozen=True)
class Table:
    """One tabular resource: its name, title, fields (name, Frictionless type, description),
    and its title and description in Thai for the data page."""

    name: str
    title: str
    description: str
    fields: tuple[tuple[str, str, str], ...]
    title_th: str = ""
    description_th: str = ""


KEY_RESULTS = Table(
    "key-results",
    "Key results of the plan",
    "Every key result of the fiscal year shown; sub-targets name their parent.",
    (
        ("fiscal_year", "integer", "Thai fiscal year (Buddhist Era)"),
        ("policy", "string", "policy id"),
        ("okr", "string", "OKR id"),
        ("key_result", "string", "key result id"),
        ("parent", "string", "the key result this one is a sub-target of"),
        ("title_th", "string", "title in Thai"),
        ("title_en", "string", "title in English"),
        ("unit", "string", "unit ('percent' for 0–100)"),
        ("unit_th", "string", "unit in Thai"),
        ("baseline", "number", "value at the start of the fiscal year"),
        ("target", "number", "target for the fiscal year"),
        ("direction", "string", "higher or lower is better"),
        ("measure", "string", "increment, cumulative or level (docs/definitions.md)"),
        ("aggregate", "string", "sum, share-at-target, mean or latest (docs/definitions.md)"),
        ("host", "string", "host agency (H) of the policy"),
    ),
    "ตัวชี้วัดของแผน",
    "ตัวชี้วัดทุกตัวของปีงบประมาณที่แสดง เป้าย่อยระบุตัวชี้วัดหลักของตน",
)
ALLOCATIONS = Table(
    "allocations",
    "Allocations: each agency's own target",
    "Each agency bound to a key result of the fiscal year shown and its own target (a key "
    "result with none is carried by the policy's host, its target the key result's).",
    (
        ("key_result", "string", "key result id"),
        ("agency", "string", "agency id"),
        ("target", "number", "the agency's own target"),
    ),
    "การจัดสรรเป้าหมาย: เป้าหมายของแต่ละหน่วยงาน",
    "หน่วยงานที่ผูกกับตัวชี้วัดของปีงบประมาณที่แสดง และเป้าหมายของตน (ตัวชี้วัดที่ไม่มีการจัดสรร "
    "หน่วยงานหลักของนโยบายรับเป้าหมายทั้งหมด)",
)
REPORTS = Table(
    "reports",
    "Reported values",
    "Every value agencies reported for the fiscal year shown, as stored in data/reports/.",
    (
        ("agency", "string", "agency id"),
        ("fiscal_year", "integer", "Thai fiscal year (Buddhist Era)"),
        ("key_result", "string", "key result id"),
        ("period", "string", "a BE month (2567-06) or a fiscal quarter (FY2567-Q3)"),
        ("value", "number", "the value reported"),
        ("source", "string", "published, estimated, import or manual"),
        ("note", "string", "the note typed with the value"),
        ("file", "string", "the workbook it was imported from"),
        ("sha256", "string", "the workbook's SHA-256"),
        ("cell", "string", "the workbook cell"),
        ("recorded_at", "string", "when it was imported"),
    ),
    "ค่าที่รายงาน",
    "ทุกค่าที่หน่วยงานรายงานในปีงบประมาณที่แสดง ตามที่เก็บใน data/reports/ "
    "(คอลัมน์ source บอกว่าเป็นค่าที่เผยแพร่ ประมาณการ นำเข้า หรือบันทึกด้วยมือ)",
)
STATUS = Table(
    "status",
    "Status of every key result",
    "The rows of 'okrtool status --format json' as of the site's day: target, actual, "
    "expected by now and status (docs/definitions.md).",
    (
        ("policy", "string", "policy id"),
        ("key_result", "string", "key result id"),
        ("parent", "string", "parent key result of a sub-target"),
        ("host", "string", "host agency (H)"),
        ("unit", "string", "unit"),
        ("target", "number", "target"),
        ("actual", "number", "actual, aggregated over the agencies"),
        ("percent", "number", "percent of the way from the baseline to the target"),
        ("expected", "number", "expected by the as-of day"),
        ("status", "string", "done, on-track, at-risk, behind or no-data"),
        ("reported", "integer", "agencies that reported for the period"),
        ("allocated", "integer", "agencies with an allocation"),
        ("period", "string", "the period every agency should have reported for"),
        ("last_period", "string", "the latest period reported"),
    ),
    "สถานะของทุกตัวชี้วัด",
    "แถวของ 'okrtool status --format json' ณ วันที่ของเว็บไซต์: เป้าหมาย ผลงาน ที่ควรได้ "
    "และสถานะ (docs/definitions.md)",
)
TABLES = (KEY_RESULTS, ALLOCATIONS, REPORTS, STATUS)


def plain(x: Any) -> Any:
    """A number as JSON and CSV carry it: whole numbers as ints, float noise rounded away."""
    if isinstance(x, float):
        x = round(x, 6)
        return int(x) if x == int(x) else x
    return x


def _records(g: Gathered, table: Table) -> Iterator[dict[str, Any]]:
    ds = g.ds
    fy = g.status["en"].scope.fiscal_year
    if table is KEY_RESULTS:
        for policy in ds.policies.values():
            for okr, kr in ds.iter_key_results(policy):
                if okr.fiscal_year != fy:
                    continue
                yield {
                    "fiscal_year": okr.fiscal_year,
                    "policy": policy.id,
                    "okr": okr.id,
                    "key_result": kr.id,
                    "parent": ds.kr_parent.get(kr.id),
                    "title_th": kr.title_th,
                    "title_en": kr.title_en,
                    "unit": kr.unit,
                    "unit_th": kr.unit_th,
                    "baseline": kr.baseline,
                    "target": kr.target,
                    "direction": kr.direction,
                    "measure": kr.measure,
                    "aggregate": kr.aggregate,
                    "host": policy.host,
                }
    elif table is ALLOCATIONS:
        for policy in ds.policies.values():
            for okr, kr in ds.iter_key_results(policy):
                if okr.fiscal_year != fy:
                    continue
                for agency, target in ds.allocations(kr.id).items():
                    yield {"key_result": kr.id, "agency": agency, "target": target}
    elif table is REPORTS:
        for rv in sorted(ds.reports, key=lambda r: (r.origin, r.line)):
            yield {
                "agency": rv.agency,
                "fiscal_year": rv.fiscal_year,
                "key_result": rv.key_result,
                "period": str(rv.period),
                "value": rv.value,
                "source": rv.source,
                "note": rv.note,
                "file": rv.file,
                "sha256": rv.sha256,
                "cell": rv.cell,
                "recorded_at": rv.recorded_at,
            }
    else:
        for row in g.status["en"].rows:
            data = row.to_dict()
            yield {name: data[name] for name, _, _ in STATUS.fields}


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    # csv_text only for what could be a formula: a call per cell is most of the time here
    if value.__class__ is str and value.startswith(FORMULA_STARTS):
        return csv_text(value)
    return value


def _csv(fields: list[str], records: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    writer.writerows([_cell(r[f]) for f in fields] for r in records)
    # with a byte-order mark: Excel reads a CSV without one in the machine's code page, and
    # Thai comes out as mojibake; csv readers that know UTF-8 (utf-8-sig, Frictionless) skip it
    return out.getvalue().encode("utf-8-sig")


def _json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


#: One encoder for every record (json.dumps with options builds a new one each call).
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def _json_records(records: list[dict[str, Any]]) -> bytes:
    """A JSON array of objects, one a line (diffs stay readable)."""
    lines = ",\n".join(map(_ENCODE, records))
    return f"[\n{lines}\n]\n".encode()


def licenses(licence: Licence | None) -> dict[str, Any]:
    """The datapackage's ``licenses`` from the data's own licence (``Licence``); nothing when
    the data names none: no licence is assumed for it."""
    if licence is None:
        return {}
    entry = {"name": licence.name}
    if licence.url:
        entry["path"] = licence.url
    if licence.title:
        entry["title"] = licence.title
    return {"licenses": [entry]}


def open_data(g: Gathered) -> dict[str, bytes]:
    """data/<table>.csv and .json for every table, and data/datapackage.json describing them."""
    files: dict[str, bytes] = {}
    resources = []
    scope = g.status["en"].scope
    for table in TABLES:
        names = [f for f, _, _ in table.fields]
        numbers = [f for f, kind, _ in table.fields if kind in ("number", "integer")]
        records = list(_records(g, table))
        for r in records:
            for f in numbers:
                r[f] = plain(r[f])
        schema = {
            "fields": [{"name": n, "type": t, "description": d} for n, t, d in table.fields],
        }
        files[f"data/{table.name}.csv"] = _csv(names, records)
        files[f"data/{table.name}.json"] = _json_records(records)
        for fmt, mediatype in (("csv", "text/csv"), ("json", "application/json")):
            resources.append(
                {
                    "name": f"{table.name}-{fmt}",
                    "path": f"{table.name}.{fmt}",
                    "title": table.title,
                    "description": table.description,
                    "profile": "tabular-data-resource" if fmt == "csv" else "data-resource",
                    "format": fmt,
                    "mediatype": mediatype,
                    "encoding": "utf-8",
                    "schema": schema,
                }
            )
    package = {
        "profile": "data-package",
        "name": "okrtool-progress",
        "title": "Bangkok policy progress: plan, reports and status",
        "description": (
            f"Plan, reported values and status of FY {scope.fiscal_year} as of "
            f"{scope.as_of.isoformat()}, written by okrtool site."
        ),
        "version": scope.as_of.isoformat(),
        **licenses(g.ds.licence),
        "resources": resources,
    }
    files["data/datapackage.json"] = _json(package)
    return files
