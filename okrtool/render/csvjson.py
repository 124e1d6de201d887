"""The machine formats: CSV (formula-like text neutralised) and JSON, with raw numbers and ids."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from okrtool.io.cells import csv_text
from okrtool.render.text import BAND_WORDS

if TYPE_CHECKING:
    from okrtool.progress import ByReport, MissingReport, StatusReport

STATUS_FIELDS = (
    "policy",
    "key_result",
    "parent",
    "title",
    "host",
    "unit",
    "direction",
    "measure",
    "aggregate",
    "baseline",
    "target",
    "actual",
    "percent",
    "expected",
    "expected_percent",
    "status",
    "reported",
    "allocated",
    "districts_at_target",
    "districts_half_or_more",
    "districts_below_half",
    "districts_not_reported",
    "last_period",
    "period",
    "stale",
    "agency",
)


def flat_row(d: dict[str, Any]) -> dict[str, Any]:
    out = dict(d)
    districts = out.pop("districts", None) or {}
    for band in BAND_WORDS["en"]:
        out["districts_" + band.replace("-", "_")] = districts.get(band, "")
    return out


def write_csv(rows: list[dict[str, Any]], fields: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=list(fields), extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    for row in rows:
        # names come from the data: a title '=HYPERLINK(…)' must not run when opened (cells.py)
        writer.writerow({k: "" if row.get(k) is None else csv_text(row[k]) for k in fields})
    return out.getvalue()


def write_json(header: dict[str, Any], key: str, rows: list[dict[str, Any]]) -> str:
    return json.dumps({"header": header, key: rows}, ensure_ascii=False, indent=2)


MISSING_FIELDS = (
    "agency",
    "name",
    "zone",
    "zone_name",
    "reason",
    "policy",
    "key_result",
    "title",
    "policy_title",
    "host",
    "host_name",
    "last_period",
    "owed",
    "due",
    "days_overdue",
    "due_in_days",
)


BY_FIELDS = (
    "key_result",
    "agency",
    "name",
    "zone",
    "zone_name",
    "target",
    "actual",
    "percent",
    "band",
    "status",
    "reported",
    "allocated",
    "last_period",
    *("districts_" + b.replace("-", "_") for b in BAND_WORDS["en"]),
    "report",
    "stale",
    "expected",
    "count_target",
)


def status_json(report: StatusReport) -> str:
    """``okrtool status --format json``: the header and every row as ``to_dict`` gives it."""
    return write_json(report.header(), "rows", [r.to_dict() for r in report.rows])


def status_csv(report: StatusReport) -> str:
    """``okrtool status --format csv``: a row per key result, district bands flattened."""
    return write_csv([flat_row(r.to_dict()) for r in report.rows], STATUS_FIELDS)


def by_json(report: ByReport) -> str:
    """``okrtool status --by … --format json``: a table per key result."""
    return write_json(report.header(), "tables", [t.to_dict() for t in report.tables])


def by_csv(report: ByReport) -> str:
    """``okrtool status --by … --format csv``: a row per agency (or zone) and key result."""
    rows = [
        {"key_result": t.key_result.key_result, **flat_row(r.to_dict())}
        for t in report.tables
        for r in t.rows
    ]
    return write_csv(rows, BY_FIELDS)


def missing_json(report: MissingReport) -> str:
    """``okrtool missing --format json``."""
    return write_json(report.header(), "items", [i.to_dict() for i in report.items])


def missing_csv(report: MissingReport) -> str:
    """``okrtool missing --format csv``."""
    rows = [i.to_dict() for i in report.items]
    # the project column only when a project is owed, so a chase list of values keeps its shape
    fields = (*MISSING_FIELDS, "project") if any("project" in r for r in rows) else MISSING_FIELDS
    return write_csv(rows, fields)
