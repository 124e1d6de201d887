"""Real workbooks for the import tests: templates filled in, and sheets typed from scratch."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl

from helpers import run

#: The header of a sheet an officer types from scratch.
HEADER = ["Key result id", "Period", "Value", "Note"]


def make_template(root: Path, tmp_path: Path, agency: str, period: str) -> Path:
    """Run `okrtool report-template` for real; return the workbook it wrote."""
    out = tmp_path / f"{agency}-{period}.xlsx"
    code, output = run(
        "report-template", "--data", str(root), "-a", agency, "-p", period, "-o", str(out)
    )
    assert code == 0, output
    return out


def fill_template(template: Path, values: dict[str, Any], out: Path | None = None) -> Path:
    """Type ``values`` (key result id → what the officer types) into the template's Value
    column; return the saved workbook."""
    wb = openpyxl.load_workbook(template)
    ws = wb["Report"]
    rows = {ws.cell(r, 3).value: r for r in range(6, ws.max_row + 1)}
    for kr, value in values.items():
        ws.cell(rows[kr], 9, value)
    out = out or template
    wb.save(out)
    return out


def template_row(template: Path, kr: str) -> int:
    """The row of key result ``kr`` in a template."""
    ws = openpyxl.load_workbook(template)["Report"]
    for r in range(6, ws.max_row + 1):
        if ws.cell(r, 3).value == kr:
            return r
    raise AssertionError(f"{kr} not in {template}")


def sheet(path: Path, rows: list[list[Any]], title: str = "Sheet1", **formats: str) -> Path:
    """A workbook with one sheet holding ``rows`` from A1 (None for an empty cell);
    ``formats`` maps a cell (``C2``) to its number format."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            if value is not None:
                ws.cell(r, c, value)
    for ref, fmt in formats.items():
        ws[ref].number_format = fmt
    wb.save(path)
    return path


def with_cached_values(path: Path, cached: dict[str, str]) -> Path:
    """Give formula cells the cached result a calculating program (Excel) saves with them
    (openpyxl writes formulas without one)."""
    with zipfile.ZipFile(path) as zin:
        items = {name: zin.read(name) for name in zin.namelist()}
    xml = items["xl/worksheets/sheet1.xml"].decode()
    for ref, value in cached.items():
        xml, n = re.subn(
            rf'(<c r="{ref}"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v></v>)?',
            rf"\g<1>\g<2><v>{value}</v>",
            xml,
        )
        assert n == 1, f"no formula at {ref}"
    items["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in items.items():
            zout.writestr(name, data)
    return path


def import_(root: Path, *args: str) -> tuple[int, str]:
    """Run `okrtool import-reports` for real on the data folder ``root``."""
    return run("import-reports", "--data", str(root), *args)


def refusals(output: str) -> list[str]:
    """The refusal lines of an import's output (``FILE › SHEET!CELL: CODE ...``)."""
    return [line for line in output.splitlines() if " › " in line or line.startswith("    hint")]
